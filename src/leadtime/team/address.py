"""The address of a team database and the password that goes with it.

An address is a PostgreSQL URL without a password:
``postgresql://ROLE@HOST[:PORT]/DATABASE[?sslmode=verify-full&...]`` (``postgres://`` and
the SQLAlchemy forms ``postgresql+psycopg://`` / ``postgresql+psycopg2://`` are read the
same). It is what ``team join`` and ``team init`` remember, so a password in it is refused:
the password comes from ``LEADTIME_TEAM_PASSWORD``, the system keyring (service
``leadtime-team:HOST``, user ROLE) or a prompt on a terminal, and is never stored.
Cheap to import: no database driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from leadtime import passwords
from leadtime.errors import UsageError
from leadtime.secrets import mask_url

__all__ = [
    "PASSWORD_VARIABLE",
    "TeamAddress",
    "keyring_service",
    "parse_team_address",
    "team_password",
]

PASSWORD_VARIABLE = "LEADTIME_TEAM_PASSWORD"
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")
# libpq connection parameters an address may carry in its query string: transport security
# and politeness. Passwords (password, sslpassword) and anything else are refused.
OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "channel_binding",
    "gssencmode",
    "connect_timeout",
    "target_session_attrs",
    "application_name",
)
HINT = "write it as postgresql://ROLE@HOST/DATABASE (add ?sslmode=verify-full for TLS)"


@dataclass(frozen=True)
class TeamAddress:
    """Where the team database is, and as which role; ``str()`` gives the storable URL."""

    role: str
    host: str  # "" for the local socket
    port: int | None
    database: str
    options: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port is not None else ""
        query = "&".join(f"{key}={quote(value, safe='/')}" for key, value in self.options)
        return (
            f"postgresql://{quote(self.role, safe='')}@{host}{port}/"
            f"{quote(self.database, safe='')}" + (f"?{query}" if query else "")
        )

    @property
    def where(self) -> str:
        """``ROLE at HOST``, for questions and messages."""
        return f"{self.role} at {self.host or 'the local server'}"

    def connect_args(self) -> dict[str, Any]:
        """The libpq keyword parameters, without a password."""
        args: dict[str, Any] = {"user": self.role, "dbname": self.database}
        if self.host:
            args["host"] = self.host
        if self.port is not None:
            args["port"] = self.port
        args.update(self.options)
        args.setdefault("connect_timeout", "10")
        args.setdefault("application_name", "leadtime")
        return args


def parse_team_address(text: str) -> TeamAddress:
    """Read ``postgresql://ROLE@HOST[:PORT]/DATABASE[?options]`` into a TeamAddress.

    :class:`UsageError` (the text masked) for anything else: another scheme, a password in
    the address, no role, no database, a bad port, an option leadtime does not pass on.
    """
    shown = mask_url(text.strip())
    scheme, sep, _rest = text.strip().partition("://")
    if not sep or scheme.lower() not in _SCHEMES:
        raise UsageError(f"not a PostgreSQL address: {shown}", hint=HINT)
    parts = urlsplit(text.strip())
    if parts.password is not None:
        raise UsageError(
            f"the team address contains a password: {shown}",
            hint=f"leave it out and set {PASSWORD_VARIABLE}, or use the system keyring",
        )
    role = unquote(parts.username or "")
    if not role:
        raise UsageError(f"the team address names no role: {shown}", hint=HINT)
    database = unquote(parts.path.lstrip("/"))
    if not database or "/" in database:
        raise UsageError(f"the team address names no database: {shown}", hint=HINT)
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"the team address has a bad port: {shown}", hint=HINT) from None
    options = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if "password" in key.lower():
            raise UsageError(
                f"the team address contains a password: {shown}",
                hint=f"leave it out and set {PASSWORD_VARIABLE}, or use the system keyring",
            )
        if key not in OPTIONS:
            raise UsageError(
                f"the team address has an option leadtime does not pass on: {key}",
                hint="known: " + ", ".join(OPTIONS),
            )
        options.append((key, value))
    if parts.fragment:
        raise UsageError(f"the team address has a fragment: {shown}", hint=HINT)
    return TeamAddress(role, (parts.hostname or "").lower(), port, database, tuple(options))


def keyring_service(address: TeamAddress) -> str:
    """The keyring service a team password is stored under: ``leadtime-team:HOST``."""
    return f"leadtime-team:{address.host or 'localhost'}"


def team_password(
    address: TeamAddress,
    *,
    environ: Mapping[str, str],
    prompt: passwords.Prompt | None,
    keyring_lookup: passwords.KeyringLookup = passwords.keyring_lookup,
    required: bool = True,
) -> str | None:
    """The role's password: ``LEADTIME_TEAM_PASSWORD``, the keyring, or ``prompt``.

    Not ``required``: None when neither the environment nor the keyring has one and there
    is no prompt, so that a server that asks for none (certificates, a trusted local
    socket, libpq's own ``~/.pgpass``) can still be used.
    """
    return passwords.find_password(
        what="team",
        variable=PASSWORD_VARIABLE,
        service=keyring_service(address),
        user=address.role,
        host=address.host or "localhost",
        environ=environ,
        prompt=prompt,
        keyring_lookup=keyring_lookup,
        required=required,
    )
