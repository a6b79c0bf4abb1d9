"""CalDAV addresses and their passwords.

An address is ``caldav+https://USER@HOST/PATH/`` (``caldav+http://`` for a server on this
machine or the local network). The password is never part of it: it comes from
``LEADTIME_CALDAV_PASSWORD``, the system keyring (service ``leadtime:HOST``, user ``USER``,
when the optional ``keyring`` package is installed) or a prompt the caller supplies
(:func:`caldav_password`), and every error message masks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from leadtime import passwords
from leadtime.errors import UsageError
from leadtime.passwords import KeyringLookup
from leadtime.secrets import mask_text

__all__ = [
    "PASSWORD_VARIABLE",
    "CaldavAddress",
    "caldav_password",
    "parse_caldav_address",
    "terminal_prompt",
]

PASSWORD_VARIABLE = "LEADTIME_CALDAV_PASSWORD"
_SCHEMES = {"caldav+https": "https", "caldav+http": "http"}


@dataclass(frozen=True)
class CaldavAddress:
    """Where a CalDAV account or calendar lives; ``str()`` gives the storable address."""

    scheme: str  # "https" or "http"
    user: str
    host: str  # host[:port]
    path: str  # starts and, for collections, ends with "/"

    @property
    def url(self) -> str:
        """The plain http(s) URL, without user or password."""
        return f"{self.scheme}://{self.host}{self.path}"

    def __str__(self) -> str:
        return f"caldav+{self.scheme}://{quote(self.user, safe='')}@{self.host}{self.path}"


def parse_caldav_address(text: str) -> CaldavAddress:
    """Read ``caldav+https://USER@HOST/PATH/`` (or ``caldav+http://``) into a CaldavAddress.

    The user may be an e-mail address (``jane@example.com@host`` or ``jane%40example.com@host``).
    An address with a password in it is refused (:class:`UsageError`, the password masked):
    leadtime stores the address, and passwords are never stored.
    """
    scheme, sep, rest = text.strip().partition("://")
    if not sep or scheme.lower() not in _SCHEMES:
        raise UsageError(
            f"not a CalDAV address: {mask_text(text)}",
            hint="write it as caldav+https://USER@HOST/PATH/",
        )
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if ":" in userinfo:
        raise UsageError(
            f"the CalDAV address contains a password: {mask_text(text)}",
            hint=f"leave it out and set {PASSWORD_VARIABLE} or use the system keyring",
        )
    user = unquote(userinfo)
    if not at or not user:
        raise UsageError(
            f"the CalDAV address names no user: {mask_text(text)}",
            hint="write it as caldav+https://USER@HOST/PATH/",
        )
    if not host:
        raise UsageError(f"the CalDAV address names no server: {mask_text(text)}")
    path = "/" + path.split("?", 1)[0].split("#", 1)[0] if slash else "/"
    return CaldavAddress(_SCHEMES[scheme.lower()], user, host.lower(), path)


def caldav_password(
    address: CaldavAddress,
    *,
    environ: Mapping[str, str],
    prompt: Callable[[str], str] | None,
    keyring_lookup: KeyringLookup = passwords.keyring_lookup,
) -> str:
    """The password for ``address``: from the environment, the keyring, or a prompt.

    In order: ``environ["LEADTIME_CALDAV_PASSWORD"]``; the system keyring entry for service
    ``leadtime:HOST`` and the address's user (``keyring set leadtime:HOST USER``), when the
    ``keyring`` package is installed and has a backend; ``prompt(question)``, which the CLI
    passes only when standard input is a terminal. Otherwise :class:`InputError`.
    """
    return passwords.find_password(
        what="CalDAV",
        variable=PASSWORD_VARIABLE,
        service=f"leadtime:{address.host}",
        user=address.user,
        host=address.host,
        environ=environ,
        prompt=prompt,
        keyring_lookup=keyring_lookup,
    )


terminal_prompt = passwords.terminal_prompt
