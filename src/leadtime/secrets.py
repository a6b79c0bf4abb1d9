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

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "MASK", "default_name", "looks_secret", "mask_text", "mask_url", "remember", "url_secrets",
]  # fmt: skip

MASK = "…"

# Opening the database imports this module: ``re``, ``urllib`` and the rest load inside the
# functions that need them, and patterns compile on first use (re's cache), so that a
# local database's plain address costs the daily commands nothing.
# Path segments that are words, numbers or dates are kept; long random-looking ones are not.
_MIN_SECRET_LENGTH = 16
_MIN_ENTROPY = 3.0  # bits per character over the segment's characters
_HEX_RUN = r"(?i)[0-9a-f]{16,}"
_GUID = r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Google calendar ids are addresses: readable, but the private-TOKEN segment next to them is not.
_PREFIXED = r"(?i)^(private|public|share|token)[-_](.+)$"
_SEPARATORS = r"[-_.~+ ]"


def unquote(text: str) -> str:
    """``text`` %-decoded (urllib loaded only for text that has a ``%``)."""
    if "%" not in text:
        return text
    from urllib.parse import unquote as decoded

    return decoded(text)


def _entropy(text: str) -> float:
    import math
    from collections import Counter

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
    import re

    text = unquote(segment)
    if "@" in text:
        text = text.rpartition("@")[0]
    stem = text.rsplit(".", 1)[0] if text.lower().endswith((".ics", ".ical", ".ifb")) else text
    if re.search(_GUID, stem) or re.search(_HEX_RUN, stem):
        return True
    if len(stem) < _MIN_SECRET_LENGTH:
        return False
    if all(_wordlike(part) for part in re.split(_SEPARATORS, stem) if part):
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
    import re

    for at in ("@", "%40"):
        local, found, domain = segment.rpartition(at)
        if found and local:
            return (MASK if looks_secret(local) else local) + at + domain
    prefixed = re.match(_PREFIXED, segment)
    if prefixed and looks_secret(prefixed.group(2)):
        return f"{prefixed.group(1)}-{MASK}"
    if looks_secret(segment):
        suffix = ""
        for extension in (".ics", ".ical", ".ifb"):
            if segment.lower().endswith(extension):
                suffix = segment[-len(extension) :]
        return MASK + suffix
    return segment


# Database URL query keys whose value says how to connect, never who may: shown as they are.
# Every other value is masked (a database's ``?password=…``), and in a web address every one.
_SHOWN_KEYS = frozenset(
    {
        "application_name", "cache", "charset", "check_same_thread", "connect_timeout",
        "dbname", "driver", "gssencmode", "host", "hostaddr", "immutable", "mode", "port",
        "sslcert", "sslcrl", "sslkey", "sslmode", "sslrootcert", "target_session_attrs",
        "timeout", "uri", "user",
    }
)  # fmt: skip
# Schemes whose address is read by RFC 3986 (the authority ends at the first "/"); any
# other is a database URL, read as SQLAlchemy reads it (a password may hold "/", "?", "#").
_WEB_SCHEMES = frozenset({"http", "https", "webcal", "caldav+http", "caldav+https"})
_PORT = r"\d*(?:[/?#]|$)"
_URL_IN_TEXT = r"(?i)\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+"

_MIN_KNOWN = 3  # a shorter "secret" would mask every such letter pair in a message
_known: set[str] = set()  # secrets met in this run: masked wherever they appear


def _shown(key: str, web: bool) -> bool:
    return not web and unquote(key).lower() in _SHOWN_KEYS


def _mask_query(query: str, web: bool) -> str:
    parts = []
    for pair in query.split("&"):
        if not pair:
            continue
        key, sep, _value = pair.partition("=")
        if sep:
            parts.append(pair if _shown(key, web) else f"{key}={MASK}")
        else:  # a bare word such as ?export stays; a bare token does not
            parts.append(MASK if looks_secret(key) else key)
    return "&".join(parts)


def _split_userinfo(scheme: str, rest: str) -> tuple[str, str | None, str]:
    """(user, password or None, what follows the user info) of the text after ``://``.

    The user name ends at the first ``:``, ``/`` or ``@``. A password runs to the *last*
    ``@`` of the address: wider than any client reads it, so that no reading of an
    address (a password with ``/`` or ``@`` in it, unencoded) leaves part of it shown.
    For a web address ``host:8443/...`` is a port, not a password.
    """
    end = next((i for i, c in enumerate(rest) if c in ":/@?#"), len(rest))
    if end == len(rest) or rest[end] in "/?#":
        return "", None, rest
    if rest[end] == "@":
        return rest[:end], None, rest[end + 1 :]
    after_colon = rest[end + 1 :]
    last_at = after_colon.rfind("@")
    if last_at == -1:
        return "", None, rest  # host:port
    if scheme.lower() in _WEB_SCHEMES:
        import re

        authority_end = next((i for i, c in enumerate(after_colon) if c in "/?#"), None)
        if re.match(_PORT, after_colon) and authority_end is not None and authority_end < last_at:
            return "", None, rest  # host:port/path with an "@" in the path
    return rest[:end], after_colon[:last_at], after_colon[last_at + 1 :]


def mask_url(url: str) -> str:
    """The address with its secrets replaced by ``…``, fit to be printed; the one masking
    of every address leadtime shows (calendar feeds, CalDAV servers, database URLs).

    Masked: the password in the user info (the user name stays, it says whose calendar or
    database it is), every query string value (in a database URL, all but those that only
    say how to connect: ``sslmode``, ``host``, …), a fragment, and, in a web address, path
    segments that look like tokens (see :func:`looks_secret`; ``private-<token>`` keeps
    its readable prefix). Scheme, host, port and ordinary path segments stay, so the user
    can still tell feeds apart::

        https://calendar.google.com/calendar/ical/me%40example.com/private-…/basic.ics
        postgresql+psycopg://lead:…@db.internal/leadtime?sslmode=require

    Text that is not an absolute URL is returned unchanged (a file path is not a secret).
    """
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        return url
    web = scheme.lower() in _WEB_SCHEMES
    user, password, rest = _split_userinfo(scheme, rest)
    stop = next((i for i, c in enumerate(rest) if c in ("/?#" if web else "?")), len(rest))
    hostport, rest = rest[:stop], rest[stop:]
    path_part, _, fragment = rest.partition("#") if web else (rest, "", "")
    path, question, query = path_part.partition("?")
    out = f"{scheme}://"
    if user or password is not None:
        out += _mask_segment(user) if looks_secret(user) else user
        out += f":{MASK}" if password is not None else ""
        out += "@"
    out += hostport
    out += "/".join(_mask_segment(s) for s in path.split("/")) if web else path
    if question:
        out += "?" + _mask_query(query, web)
    if fragment:
        out += "#" + MASK
    return out


def url_secrets(url: str) -> list[str]:
    """The secret parts of an address as written and %-decoded: its password and the
    values of its query string that :func:`mask_url` masks."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return []
    _user, password, rest = _split_userinfo(scheme, rest)
    found = [password] if password else []
    web = scheme.lower() in _WEB_SCHEMES
    for pair in rest.partition("?")[2].partition("#")[0].split("&"):
        key, eq, value = pair.partition("=")
        if eq and value and not _shown(key, web):
            found.append(value)
    found += [unquote(s) for s in found if unquote(s) != s]
    return [s for s in found if len(s) >= _MIN_KNOWN]


def remember(*secrets: str) -> None:
    """Mask these strings (a password, an address with one) in every later
    :func:`mask_text` of this run, whatever message quotes them."""
    for secret in secrets:
        if len(secret) >= _MIN_KNOWN:
            _known.add(secret)
            _known.update(url_secrets(secret))


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each known secret, and the secrets of every URL in it, masked.

    ``secrets`` are strings known to be secret (a password, a feed address), as are those
    given to :func:`remember`: every occurrence is replaced, a URL by its :func:`mask_url`
    form and anything else by ``…``; longer secrets are replaced first so one that contains
    another is masked whole. Then every URL left in the text is masked with
    :func:`mask_url`, so an error message from a library that quotes the address it
    failed on is safe to print.
    """
    import re

    for secret in sorted({s for s in (*secrets, *_known) if s}, key=len, reverse=True):
        replacement = mask_url(secret) if "://" in secret else MASK
        text = text.replace(secret, replacement)
    return re.sub(_URL_IN_TEXT, lambda m: mask_url(m.group(0)), text)


def _readable_id(url: str) -> str | None:
    """The calendar's own name where the address carries one (a Google calendar id)."""
    from urllib.parse import urlsplit

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
    import hashlib
    import re
    from urllib.parse import urlsplit

    normalised = re.sub(r"^webcal://", "https://", url.strip(), flags=re.IGNORECASE)
    normalised = re.sub(r"^caldav\+", "", normalised, flags=re.IGNORECASE)
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:6]
    readable = _readable_id(normalised)
    if readable:
        return f"{readable}-{digest}"
    host = (urlsplit(normalised).hostname or "calendar").lower()
    host = host.removeprefix("www.")
    return f"{host}-{digest}"
