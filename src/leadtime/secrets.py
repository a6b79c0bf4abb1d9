"""Keep secrets in source addresses out of everything leadtime prints.

Calendar feeds are protected by nothing but their address: Google's "secret address in
iCal format", Outlook's published calendar link, iCloud's public calendar link and the share
links of Fastmail and Nextcloud all carry a random token in the path, and some add one in the
query string or in the user info. :func:`mask_url` replaces each of those with ``…`` so the
address can be shown in messages, listings and logs; :func:`mask_text` does the same for free
text that may quote a known secret; :func:`default_name` gives a readable calendar name that
keeps two feeds from one host apart.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

__all__ = ["MASK", "default_name", "looks_secret", "mask_text", "mask_url"]

MASK = "…"

# Path segments that are words, numbers or dates are kept; long random-looking ones are not.
_MIN_SECRET_LENGTH = 16
_MIN_ENTROPY = 3.0  # bits per character over the segment's characters
_HEX_RUN = re.compile(r"[0-9a-f]{16,}", re.IGNORECASE)
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
# Google calendar ids are addresses: readable, but the private-TOKEN segment next to them is not.
_PREFIXED = re.compile(r"^(private|public|share|token)[-_](.+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_.~+ ]")
_URL_IN_TEXT = re.compile(r"(?:https?|webcal|caldav\+https?)://[^\s'\"<>]+", re.IGNORECASE)


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_secret(segment: str) -> bool:
    """Whether one path segment looks like a token rather than a name a person chose.

    A segment counts as a secret when it is a GUID, holds a run of 16 or more hex digits, or
    is at least 16 characters long, is not made of words and numbers only (``team-offsites-2026``
    is a name), and is close to random (high character entropy). File names such as
    ``basic.ics``, words, dates and short numbers are kept. For an address-like segment
    (``id@domain``, Google's calendar ids) only the part before the ``@`` is judged.
    """
    text = unquote(segment)
    if "@" in text:
        text = text.rpartition("@")[0]
    stem = text.rsplit(".", 1)[0] if text.lower().endswith((".ics", ".ical", ".ifb")) else text
    if _GUID.search(stem) or _HEX_RUN.search(stem):
        return True
    if len(stem) < _MIN_SECRET_LENGTH:
        return False
    if all(_wordlike(part) for part in _SEPARATORS.split(stem) if part):
        return False
    return _entropy(stem) >= _MIN_ENTROPY


def _wordlike(part: str) -> bool:
    """A number, or a word as people write it (lower case, Capitalised, or a short ACRONYM)."""
    if part.isdigit():
        return True
    if not part.isalpha() or len(part) >= _MIN_SECRET_LENGTH:
        return False
    return part.islower() or part.istitle() or (part.isupper() and len(part) <= 6)


def _mask_segment(segment: str) -> str:
    for at in ("@", "%40"):
        local, found, domain = segment.rpartition(at)
        if found and local:
            return (MASK if looks_secret(local) else local) + at + domain
    prefixed = _PREFIXED.match(segment)
    if prefixed and looks_secret(prefixed.group(2)):
        return f"{prefixed.group(1)}-{MASK}"
    if looks_secret(segment):
        suffix = ""
        for extension in (".ics", ".ical", ".ifb"):
            if segment.lower().endswith(extension):
                suffix = segment[-len(extension) :]
        return MASK + suffix
    return segment


def _mask_query(query: str) -> str:
    parts = []
    for pair in query.split("&"):
        if not pair:
            continue
        key, sep, _value = pair.partition("=")
        if sep:
            parts.append(f"{key}={MASK}")
        else:  # a bare word such as ?export stays; a bare token does not
            parts.append(MASK if looks_secret(key) else key)
    return "&".join(parts)


def mask_url(url: str) -> str:
    """The address with its secrets replaced by ``…``, fit to be printed.

    Masked: the password in the user info (the user name stays, it says whose calendar it
    is), every query string value, a fragment, and path segments that look like tokens (see
    :func:`looks_secret`; ``private-<token>`` keeps its readable prefix). Scheme, host, port
    and ordinary path segments stay, so the user can still tell feeds apart::

        https://calendar.google.com/calendar/ical/me%40example.com/private-…/basic.ics

    Text that is not an absolute URL is returned unchanged (a file path is not a secret).
    """
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    authority, slash, path_and_more = rest.partition("/")
    path_part, _, fragment = path_and_more.partition("#")
    path, question, query = path_part.partition("?")
    if not slash:
        authority, _, fragment = authority.partition("#")
        authority, question, query = authority.partition("?")
    userinfo, at, hostport = authority.rpartition("@")
    if at:
        user, colon, _password = userinfo.partition(":")
        authority = f"{_mask_segment(user) if looks_secret(user) else user}"
        authority += f":{MASK}" if colon else ""
        authority += f"@{hostport}"
    masked_path = "/".join(_mask_segment(s) for s in path.split("/"))
    out = f"{scheme}://{authority}{slash}{masked_path}"
    if question:
        out += "?" + _mask_query(query)
    if fragment:
        out += "#" + MASK
    return out


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each known secret, and the secrets of every URL in it, masked.

    ``secrets`` are strings known to be secret (a password, a feed address): every
    occurrence is replaced, a URL by its :func:`mask_url` form and anything else by ``…``;
    longer secrets are replaced first so one that contains another is masked whole.
    Then every URL left in the text is masked with :func:`mask_url`, so an error message
    from a library that quotes the address it failed on is safe to print.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        replacement = mask_url(secret) if "://" in secret else MASK
        text = text.replace(secret, replacement)
    return _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)


def _readable_id(url: str) -> str | None:
    """The calendar's own name where the address carries one (a Google calendar id)."""
    for segment in urlsplit(url).path.split("/"):
        local, at, domain = unquote(segment).rpartition("@")
        if at and local and "." in domain and not looks_secret(local):
            return f"{local}@{domain}".lower()
    return None


def default_name(url: str) -> str:
    """The calendar name used for a URL when the user gives none.

    ``HOST-HASH``: the host (without ``www.``) and the first 6 hex digits of the SHA-256 of
    the whole address, so two feeds from one host (two Google calendars, say) never share a
    name and importing the same address again finds the same calendar. Where the address
    names the calendar readably (a Google calendar id such as ``me@example.com``) that name
    is used instead of the host: ``me@example.com-HASH``. The hash is of the address with
    ``webcal://`` read as ``https://``, so both forms of one feed get one name. The name
    never contains a token: six hex digits of a hash reveal nothing usable.
    """
    normalised = re.sub(r"^webcal://", "https://", url.strip(), flags=re.IGNORECASE)
    normalised = re.sub(r"^caldav\+", "", normalised, flags=re.IGNORECASE)
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:6]
    readable = _readable_id(normalised)
    if readable:
        return f"{readable}-{digest}"
    host = (urlsplit(normalised).hostname or "calendar").lower()
    host = host.removeprefix("www.")
    return f"{host}-{digest}"
