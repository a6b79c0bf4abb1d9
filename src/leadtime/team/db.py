"""Talking to the team database: signing in, the schema check, and every failure as one
line that names the database and never the password.

The driver is psycopg2, imported here only: signing in and reading the report costs less
than a third of the client CPU psycopg 3 takes, and a sixth of SQLAlchemy's over either
(see docs/team.md); no other command loads it. A password is tried only as the user gives it: from
``LEADTIME_TEAM_PASSWORD`` or the keyring; otherwise the server is asked first without one
(certificates, a trusted socket, libpq's own ``~/.pgpass``), and only if it wants one is the
prompt shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from leadtime.errors import StorageError
from leadtime.passwords import Prompt
from leadtime.secrets import mask_text, mask_url
from leadtime.team.address import PASSWORD_VARIABLE, TeamAddress, keyring_service, team_password
from leadtime.team.schema import HEAD, MEMBER_ROLE, REVISIONS, SCHEMA

if TYPE_CHECKING:
    from psycopg2.extensions import connection as Connection

__all__ = ["Session", "TeamError", "open_session"]

Params = Sequence[Any] | Mapping[str, Any]
DRIVER_HINT = "install the PostgreSQL driver: pipx inject leadtime psycopg2-binary"


class TeamError(StorageError):
    """The team database cannot be reached, refuses us, or is not a team of this version
    (exit 4). ``reason``: ``driver``, ``unreachable``, ``password``, ``refused``,
    ``no-database``, ``not-member``, ``missing``, ``older``, ``newer``, ``not-owner``,
    ``refused-data``, ``failed``."""

    def __init__(self, message: str, *, reason: str, hint: str | None = None):
        super().__init__(message, hint)
        self.reason = reason


class _NeedsPassword(Exception):
    """The server asked for a password and none was given."""


def _driver() -> Any:
    try:
        import psycopg2
    except ImportError:
        raise TeamError(
            "the team view needs the PostgreSQL driver psycopg2, which is not installed",
            reason="driver",
            hint=DRIVER_HINT + " (or: pip install 'leadtime[team]')",
        ) from None
    return psycopg2


def open_session(
    address: TeamAddress, *, environ: Mapping[str, str], prompt: Prompt | None
) -> Session:
    """Sign in to the team database as the address's role.

    The password comes from the environment or the keyring; failing both, the server is
    asked without one, and only when it wants one does ``prompt`` ask (no prompt: an
    :class:`~leadtime.errors.InputError` saying where a password can come from).
    """
    driver = _driver()
    password = team_password(address, environ=environ, prompt=None, required=False)
    if password is None:
        try:
            return Session(_connect(driver, address, None), address, None)
        except _NeedsPassword:
            password = team_password(
                address, environ={}, prompt=prompt, keyring_lookup=lambda _s, _u: None
            )
    try:
        return Session(_connect(driver, address, password), address, password)
    except _NeedsPassword:  # the server asked again: as good as a wrong password
        raise _wrong_password(address) from None


def _connect(driver: Any, address: TeamAddress, password: str | None) -> Connection:
    try:
        raw: Connection = driver.connect(**address.connect_args(), password=password)
    except driver.Error as exc:
        raise _connect_error(exc, address, password) from None
    return raw


def _first_line(exc: BaseException, secrets: Sequence[str | None]) -> str:
    text = str(exc).strip()
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return mask_text(line or type(exc).__name__, [s for s in secrets if s])


def _display(address: TeamAddress) -> str:
    return mask_url(str(address))


def _wrong_password(address: TeamAddress) -> TeamError:
    return TeamError(
        f"the team database refused the password of {address.where}",
        reason="password",
        hint=f"check {PASSWORD_VARIABLE} or the keyring entry "
        f"({keyring_service(address)}, {address.role})",
    )


def _connect_error(exc: BaseException, address: TeamAddress, password: str | None) -> Exception:
    """A sign-in failure as one masked line; a missing password as :class:`_NeedsPassword`."""
    detail = _first_line(exc, [password])
    lowered = detail.lower()
    display = _display(address)
    if "no password supplied" in lowered:
        return _NeedsPassword()
    if "password authentication failed" in lowered:
        return _wrong_password(address)
    if "does not exist" in lowered and "database" in lowered:
        return TeamError(
            f"there is no database '{address.database}' at {address.host or 'the local server'}",
            reason="no-database",
            hint="check the database name in the team address",
        )
    if "does not exist" in lowered and "role" in lowered:
        return TeamError(
            f"the team database has no role '{address.role}'",
            reason="refused",
            hint="the team's owner adds it with: leadtime team add ROLE",
        )
    if "pg_hba.conf" in lowered:
        return TeamError(
            f"the team database at {display} does not let {address.role} sign in from here",
            reason="refused",
            hint=f"ask its owner ({detail})",
        )
    return TeamError(
        f"cannot reach the team database at {display}: {detail}",
        reason="unreachable",
        hint="check the address, and that the server is up and reachable from here",
    )


class Session:
    """One signed-in connection; every statement runs in one transaction until
    :meth:`commit`, and closing without committing rolls it back."""

    def __init__(self, raw: Connection, address: TeamAddress, password: str | None):
        self.raw = raw
        self.address = address
        self.display = _display(address)
        self._password = password

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.raw.close()  # an uncommitted transaction is rolled back by the server

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Translate the driver's errors inside the block into :class:`TeamError`."""
        driver = _driver()
        try:
            yield
        except driver.Error as exc:
            raise self.error(exc) from None

    def rows(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (none for a statement without)."""
        with self.errors(), self.raw.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (None without rows)."""
        found = self.rows(sql, params)
        return found[0][0] if found else None

    def commit(self) -> None:
        with self.errors():
            self.raw.commit()

    def check_schema(self) -> str:
        """The team schema's revision; :class:`TeamError` unless it is this program's and
        this role may use it."""
        try:
            revision = self.value(f"SELECT version_num FROM {SCHEMA}.alembic_version")
        except TeamError as exc:
            if exc.reason == "not-member":
                raise TeamError(
                    f"{self.address.role} is not a member of the team at {self.display}",
                    reason="not-member",
                    hint=f"ask the team's owner to run: leadtime team add {self.address.role}",
                ) from None
            raise
        if revision is None:
            raise self._missing()
        if revision not in REVISIONS:
            raise TeamError(
                f"the team at {self.display} was set up by a newer leadtime "
                f"(schema {revision}); this one knows up to {HEAD}",
                reason="newer",
                hint="upgrade leadtime (pipx upgrade leadtime); nothing was changed",
            )
        if revision != HEAD:
            raise TeamError(
                f"the team at {self.display} has an older schema ({revision}) than this "
                f"leadtime ({HEAD})",
                reason="older",
                hint="its owner upgrades it with: leadtime team init URL",
            )
        return str(revision)

    def is_member(self) -> bool:
        """Whether this role is in the members' group."""
        return bool(self.value("SELECT pg_has_role(current_user, %s, 'MEMBER')", (MEMBER_ROLE,)))

    def _missing(self) -> TeamError:
        return TeamError(
            f"there is no leadtime team at {self.display}",
            reason="missing",
            hint="its owner sets it up with: leadtime team init URL",
        )

    def error(self, exc: BaseException) -> TeamError:
        """A driver error during a statement as one masked line."""
        code = getattr(exc, "pgcode", None) or ""
        detail = _first_line(exc, [self._password])
        if code == "42501":
            return TeamError(
                f"{self.address.role} may not do that in the team at {self.display}: {detail}",
                reason="not-member",
                hint=f"the team's owner adds members with: leadtime team add {self.address.role}",
            )
        if code in ("3F000", "42P01", "42883"):
            return self._missing()
        if code.startswith(("22", "23")):
            return TeamError(f"the team database refused the data: {detail}", reason="refused-data")
        if not code:  # the connection broke
            return TeamError(
                f"lost the connection to the team database at {self.display}: {detail}",
                reason="unreachable",
                hint="run it again when the server is reachable (publishing again is safe)",
            )
        return TeamError(f"the team database at {self.display} failed: {detail}", reason="failed")
