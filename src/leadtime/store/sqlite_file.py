"""The local SQLite file on the standard library's sqlite3: inspect, create, open, refuse.

Nothing here imports SQLAlchemy: a current local file is opened, checked and used with
these functions alone. A file that is not SQLite, damaged, another application's or newer
than this leadtime is refused before anything is written to it (not even the journal
mode). Driver errors become one :class:`StoreError` line naming the database.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager

from leadtime.store.conn import SqliteConn, StoreError
from leadtime.store.schema import HEAD, REVISIONS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Iterator

    from leadtime.store.conn import Conn

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CANNOT_WRITE",
    "FULL",
    "SQLITE_MAGIC",
    "can_open_for_writing",
    "check_known",
    "connect",
    "create_file",
    "describe",
    "disk_full",
    "error_code",
    "foreign",
    "inspect_file",
    "open_read_only",
    "prepare",
    "sqlite_error",
    "transaction",
]

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_CORRUPT, _NOTADB, _BUSY, _LOCKED = 11, 26, 5, 6
_READONLY, FULL, _CANTOPEN, _IOERR, _PERM = 8, 13, 14, 10, 3
# Where a write fails because of the file system, reading may still work.
CANNOT_WRITE = {_READONLY, FULL, _CANTOPEN, _IOERR, _PERM}


# --------------------------------------------------------------------------- files


def inspect_file(path: str, display: str) -> bool:
    """Whether the file exists; refuse a directory or a file that is not SQLite, untouched."""
    if os.path.isdir(path):
        raise StoreError(f"{display}: {path} is a directory, not a database", reason="directory")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(
            f"cannot read the database {display}: {exc.strerror}", reason="unreadable"
        ) from None
    if header and header != SQLITE_MAGIC:
        raise StoreError(
            f"{display} is not a leadtime database (not an SQLite file)",
            reason="not-sqlite",
            hint="the file was not changed",
        )
    return True


def create_file(path: str, display: str) -> None:
    """A new database file, owner-only (0600 in a 0700 directory) whatever the umask."""
    try:
        missing = []
        parent = os.path.dirname(os.path.abspath(path))
        while not os.path.exists(parent):
            missing.append(parent)
            parent = os.path.dirname(parent)
        for directory in reversed(missing):
            os.mkdir(directory, 0o700)
            os.chmod(directory, 0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(path, 0o600)
    except FileExistsError:
        return  # another process created it meanwhile
    except OSError as exc:
        raise StoreError(
            f"cannot create the database {display}: {exc.strerror}", reason="cannot-create"
        ) from None


def can_open_for_writing(path: str) -> bool:
    """Whether this process may write the file (a real open: permissions, immutable, EROFS)."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    return True


def disk_full(path: str) -> bool:
    """Whether the file system holding ``path`` has no block left for this process."""
    try:
        return os.statvfs(os.path.dirname(os.path.abspath(path))).f_bavail == 0
    except OSError:
        return False


def connect(path: str, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
    uri = f"file:{uri_path(path)}?mode={mode}"
    if immutable:
        uri += "&immutable=1"
    raw = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
        check_same_thread=False,
    )  # fmt: skip
    raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if mode != "ro":
        raw.execute("PRAGMA synchronous = NORMAL")
    return raw


def prepare(raw: sqlite3.Connection, display: str) -> str | None:
    """Read the schema revision; refuse a newer or foreign file before anything is written
    (even the journal mode); then switch to WAL, which persists in the file."""
    raw.execute("BEGIN")
    try:
        tables, revision, claimed = _schema(raw)
    finally:
        _rollback(raw)
    check_known(revision, display, tables, claimed=claimed)
    (mode,) = raw.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        (mode,) = raw.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            raise StoreError(f"{display}: cannot switch to WAL ({mode})", reason="read-only")
    return revision


def create_schema(raw: sqlite3.Connection, display: str) -> str | None:
    """Give a file that is still empty the newest schema, in one write transaction (see
    ``store.fresh``); the revision the file is at afterwards. A file another process has
    begun to fill meanwhile is left as it is, to the migrations."""
    from leadtime.store.fresh import REVISION, SCHEMA

    raw.execute("BEGIN IMMEDIATE")
    try:
        tables, revision, claimed = _schema(raw)
        if not tables and revision is None:
            for statement in SCHEMA:
                raw.execute(statement)
            raw.execute(*REVISION)
            revision = REVISION[1]["head"]
        raw.execute("COMMIT")
    finally:
        _rollback(raw)
    check_known(revision, display, tables, claimed=claimed)
    return revision


def uri_path(path: str) -> str:
    """A file path as the path of an SQLite ``file:`` URI (percent-encoded where needed)."""
    absolute = os.path.abspath(path)
    if all(c.isascii() and (c.isalnum() or c in "/._-~") for c in absolute):
        return absolute  # nothing to encode: no need to load urllib
    from urllib.parse import quote

    return quote(absolute)


def open_read_only(path: str, display: str) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` only when a WAL file's -shm cannot be created."""
    raw: sqlite3.Connection | None = None
    for immutable in (False, True):
        try:
            raw = connect(path, "ro", immutable=immutable)
            raw.execute("BEGIN")
            tables, revision, claimed = _schema(raw)
            _rollback(raw)
        except sqlite3.Error as exc:
            if raw is not None:
                raw.close()
                raw = None
            if immutable or error_code(exc) not in (_CANTOPEN, _READONLY, _IOERR):
                raise sqlite_error(exc, display) from None
            continue
        try:
            check_known(revision, display, tables, claimed=claimed)
            if revision != HEAD:
                raise StoreError(
                    f"{display} needs a schema upgrade but cannot be written here",
                    reason="read-only",
                )
        except StoreError:
            raw.close()
            raise
        return raw
    raise AssertionError("unreachable")  # pragma: no cover


def _schema(raw: sqlite3.Connection) -> tuple[set[str], str | None, str | None]:
    """The file's tables, its schema revision, and what claims it for another application
    (its ``application_id`` or ``user_version``, which leadtime never sets), if anything."""
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    revision = None
    if "alembic_version" in tables:
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    claimed = None
    for pragma in ("application_id", "user_version"):
        (value,) = raw.execute(f"PRAGMA {pragma}").fetchone()
        if value and claimed is None:
            claimed = f"its {pragma} is {value}"
    return tables, revision, claimed


def _rollback(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("ROLLBACK")


@contextmanager
def transaction(raw: sqlite3.Connection | None, display: str, begin: str) -> Iterator[Conn]:
    """A transaction on ``raw`` opened with ``begin``: committed when the block ends,
    rolled back when it raises."""
    if raw is None:
        raise StoreError(f"{display} is closed", reason="failed")
    try:
        raw.execute(begin)
    except sqlite3.Error as exc:
        raise sqlite_error(exc, display) from None
    try:
        yield SqliteConn(raw)
        raw.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(raw)
        raise sqlite_error(exc, display) from None
    except BaseException:
        _rollback(raw)
        raise


# --------------------------------------------------------------------------- schema versions


LEADTIME_TABLES = frozenset({"entries", "timer", "meta"})  # every leadtime schema has them
_REVISION = re.compile(r"\d{4}")  # leadtime's revisions: 0001, 0002, ...


def check_known(
    revision: str | None, display: str, tables: set[str], *, claimed: str | None = None
) -> None:
    """Refuse a database this leadtime cannot use, before anything is written to it: one a
    newer leadtime wrote, or another application's — tables that are not leadtime's, an
    empty file that another application has claimed (``claimed``), or another
    application's Alembic revision."""
    if revision is None:
        if tables - {"alembic_version"}:
            raise foreign(display)
        if claimed:
            raise foreign(display, f"belongs to another application ({claimed})")
        return
    if revision in REVISIONS:
        return
    if _REVISION.fullmatch(revision) and revision > HEAD and tables >= LEADTIME_TABLES:
        raise StoreError(
            f"the database {display} was written by a newer leadtime "
            f"(schema {revision}; this version knows up to {HEAD})",
            reason="newer",
            hint="the database was not changed",
        )
    raise foreign(display, f"holds another application's schema (Alembic revision {revision})")


def foreign(display: str, why: str = "holds tables that are not leadtime's") -> StoreError:
    return StoreError(f"{display} {why}", reason="foreign", hint="the database was not changed")


# --------------------------------------------------------------------------- errors


def error_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def describe(message: str, code: int, display: str) -> StoreError:
    lowered = message.lower()
    if code in (_NOTADB, _CORRUPT) or "not a database" in lowered or "malformed" in lowered:
        return StoreError(
            f"{display}: the database file is damaged ({message})",
            reason="damaged",
            hint="restore it from a backup or move it away; it was not changed",
        )
    if code in (_BUSY, _LOCKED) or "locked" in lowered:
        return StoreError(
            f"{display}: the database stayed locked by another writer "
            f"for {BUSY_TIMEOUT_MS // 1000} s",
            reason="locked",
            hint="try again when the other writer has finished",
        )
    if code == _READONLY or "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"{display}: the database cannot be written ({message})", reason="read-only"
        )
    if code == FULL or "disk is full" in lowered:
        return StoreError(f"{display}: the disk is full ({message})", reason="full")
    if code == _CANTOPEN:
        return StoreError(f"{display}: cannot open the database ({message})", reason="unreadable")
    return StoreError(f"{display}: {message}", reason="failed")


def sqlite_error(exc: sqlite3.Error, display: str) -> StoreError:
    """A driver error as one readable line naming the database (password masked)."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return describe(message, error_code(exc), display)
