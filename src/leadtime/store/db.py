"""Opening the store: SQLite file checks, WAL and busy timeout, schema versions, read-only.

A current local SQLite file runs on the standard library's sqlite3 alone: opening it reads
the schema revision and the journal mode and imports nothing else. A new or older file,
and every other database URL, takes SQLAlchemy; the schema is created or upgraded with
Alembic inside a write transaction, so that concurrent first runs cannot race. Nothing
is written to a file that is refused (not SQLite, damaged, another application's, newer).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from leadtime.store.conn import Conn, SqlAlchemyConn, SqliteConn, StoreError
from leadtime.store.schema import HEAD, REVISIONS, mask_url, sqlite_options, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.exc import DBAPIError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
# The key of PostgreSQL's transaction-scoped advisory lock that serialises writers.
PG_WRITE_LOCK = int.from_bytes(b"leadtime", "big") >> 1

# Primary SQLite result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_CORRUPT, _NOTADB, _BUSY, _LOCKED = 11, 26, 5, 6
_READONLY, _FULL, _CANTOPEN, _IOERR, _PERM = 8, 13, 14, 10, 3
# Where a write fails because of the file system, reading may still work.
_CANNOT_WRITE = {_READONLY, _FULL, _CANTOPEN, _IOERR, _PERM}


class Store:
    """One database: ``read()`` gives a snapshot, ``write()`` a transaction that holds the
    write lock from its start (so a check-then-write inside it is safe on every backend)."""

    def __init__(
        self,
        url: str,
        *,
        sqlite: sqlite3.Connection | None = None,
        engine: Engine | None = None,
        read_only: bool = False,
        read_only_cause: str = "no write access",
    ):
        self.url = url
        self.display_url = mask_url(url)
        self.read_only = read_only
        self._read_only_cause = read_only_cause
        self._sqlite = sqlite
        self._engine = engine
        self.is_sqlite = sqlite is not None or (
            engine is not None and engine.dialect.name == "sqlite"
        )

    def __repr__(self) -> str:
        return f"Store({self.display_url!r}, read_only={self.read_only})"

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, url: str) -> Store:
        """Open ``url``, creating or upgrading the schema as needed; refuse what is not ours."""
        path = sqlite_path(url)
        if path is not None:
            return cls._open_sqlite_file(url, path)
        return cls._open_sqlalchemy(url)

    @classmethod
    def _open_sqlite_file(cls, url: str, path: Path) -> Store:
        display = mask_url(url)
        read_only = sqlite_options(url).get("mode") == "ro"
        if not _inspect_file(path, display):
            if read_only:
                raise StoreError(f"{display}: no such database file", reason="missing")
            _create_file(path, display)
        if not read_only and not _can_open_for_writing(path):
            read_only = True
        cause = "no write access"
        if not read_only:
            raw = None
            try:
                raw = _connect(path, "rw")
                revision = _prepare(raw, display)
                if revision != HEAD:
                    raw.close()
                    raw = None
                    _migrate_file(path, display)
                    raw = _connect(path, "rw")
                return cls(url, sqlite=raw)
            except sqlite3.Error as exc:
                if raw is not None:
                    raw.close()
                if _code(exc) not in _CANNOT_WRITE:
                    raise _sqlite_error(exc, display) from None
                if _code(exc) == _FULL or _disk_full(path):
                    cause = "the disk is full"
            except StoreError as exc:
                if raw is not None:
                    raw.close()
                if exc.reason not in ("read-only", "full", "unreadable"):
                    raise
                if exc.reason == "full" or _disk_full(path):
                    cause = "the disk is full"
        raw = _open_read_only(path, display)
        return cls(url, sqlite=raw, read_only=True, read_only_cause=cause)

    @classmethod
    def _open_sqlalchemy(cls, url: str) -> Store:
        from sqlalchemy import create_engine, event
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        display = mask_url(url)
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            message = str(exc).replace(url, display)
            raise StoreError(
                f"cannot use the database URL {display}: {message}",
                reason="bad-url",
                hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
            ) from None
        if engine.dialect.name == "sqlite":  # in memory: the same settings as a file
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
        store = cls(url, engine=engine)
        try:
            with engine.connect() as conn:
                revision = _sa_revision(conn)
        except DBAPIError as exc:
            engine.dispose()
            raise _sa_error(exc, display) from None
        _check_known(revision, display)
        if revision != HEAD:
            with store._sa_transaction(write=True) as conn:
                _migrate(conn, display)
        return store

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._engine is not None:
            self._engine.dispose()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def read(self) -> Iterator[Conn]:
        """One consistent snapshot; nothing is locked against writers."""
        if self._engine is not None:
            with self._sa_transaction(write=False) as conn:
                yield SqlAlchemyConn(conn)
        else:
            with self._sqlite_transaction("BEGIN") as conn:
                yield conn

    @contextmanager
    def write(self) -> Iterator[Conn]:
        """One transaction that takes the write lock up front: all of it lands, or nothing."""
        if self.read_only:
            raise StoreError(
                f"{self.display_url} can only be read here ({self._read_only_cause})",
                reason="read-only",
            )
        if self._engine is not None:
            with self._sa_transaction(write=True) as conn:
                yield SqlAlchemyConn(conn)
        else:
            with self._sqlite_transaction("BEGIN IMMEDIATE") as conn:
                yield conn

    @contextmanager
    def _sqlite_transaction(self, begin: str) -> Iterator[Conn]:
        raw = self._sqlite
        if raw is None:
            raise StoreError(f"{self.display_url} is closed", reason="failed")
        try:
            raw.execute(begin)
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.display_url) from None
        try:
            yield SqliteConn(raw)
            raw.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(raw)
            raise _sqlite_error(exc, self.display_url) from None
        except BaseException:
            _rollback(raw)
            raise

    @contextmanager
    def _sa_transaction(self, *, write: bool) -> Iterator[Connection]:
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        assert self._engine is not None
        try:
            with self._engine.connect() as conn:
                postgres = conn.dialect.name == "postgresql"
                if postgres and not write:
                    conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot
                conn.info["write"] = write
                with conn.begin():
                    if postgres and write:
                        conn.execute(
                            text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK}
                        )
                    yield conn
        except DBAPIError as exc:
            raise _sa_error(exc, self.display_url) from None


# --------------------------------------------------------------------------- SQLite files


def _inspect_file(path: Path, display: str) -> bool:
    """Whether the file exists; refuse a directory or a file that is not SQLite, untouched."""
    if path.is_dir():
        raise StoreError(f"{display}: {path} is a directory, not a database", reason="directory")
    try:
        with path.open("rb") as handle:
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


def _create_file(path: Path, display: str) -> None:
    """A new database file, owner-only (0600 in a 0700 directory) whatever the umask."""
    try:
        missing = []
        parent = path.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for directory in reversed(missing):
            directory.mkdir(mode=0o700)
            directory.chmod(0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        path.chmod(0o600)
    except FileExistsError:
        return  # another process created it meanwhile
    except OSError as exc:
        raise StoreError(
            f"cannot create the database {display}: {exc.strerror}", reason="cannot-create"
        ) from None


def _can_open_for_writing(path: Path) -> bool:
    """Whether this process may write the file (a real open: permissions, immutable, EROFS)."""
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError:
        return False
    return True


def _disk_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has no block left for this process."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _connect(path: Path, mode: str, *, immutable: bool = False) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.absolute()))}?mode={mode}"
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


def _prepare(raw: sqlite3.Connection, display: str) -> str | None:
    """Read the schema revision; refuse a newer or foreign file before anything is written
    (even the journal mode); then switch to WAL, which persists in the file."""
    raw.execute("BEGIN")
    try:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        _rollback(raw)
    _check_known(revision, display)
    if revision is None and tables - {"alembic_version"}:
        raise _foreign(display)
    (mode,) = raw.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        (mode,) = raw.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            raise StoreError(f"{display}: cannot switch to WAL ({mode})", reason="read-only")
    return revision


def _open_read_only(path: Path, display: str) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` only when a WAL file's -shm cannot be created."""
    raw: sqlite3.Connection | None = None
    for immutable in (False, True):
        try:
            raw = _connect(path, "ro", immutable=immutable)
            raw.execute("BEGIN")
            tables = {
                r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            row = None
            if "alembic_version" in tables:
                row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            _rollback(raw)
        except sqlite3.Error as exc:
            if raw is not None:
                raw.close()
                raw = None
            if immutable or _code(exc) not in (_CANTOPEN, _READONLY, _IOERR):
                raise _sqlite_error(exc, display) from None
            continue
        revision = row[0] if row else None
        try:
            _check_known(revision, display)
            if revision is None and tables - {"alembic_version"}:
                raise _foreign(display)
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


def _rollback(raw: sqlite3.Connection) -> None:
    if raw.in_transaction:
        raw.execute("ROLLBACK")


def _migrate_file(path: Path, display: str) -> None:
    """Create or upgrade the schema of a local file with Alembic, under the write lock."""
    from sqlalchemy import create_engine, event

    engine = create_engine("sqlite://", creator=lambda: _connect(path, "rw"))
    event.listen(engine, "begin", _on_sqlite_begin)
    try:
        store = Store(mask_url(f"sqlite:///{path}"), engine=engine)
        store.display_url = display
        with store._sa_transaction(write=True) as conn:
            _migrate(conn, display)
    finally:
        engine.dispose()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let the "begin" hook below issue BEGIN itself (the pysqlite recipe in SQLAlchemy's docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock up front: in WAL mode a reader that later
    # tries to write gets SQLITE_BUSY at once instead of waiting for the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


# --------------------------------------------------------------------------- schema versions


def _sa_revision(conn: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(revision) if revision is not None else None


def _migrate(conn: Connection, display: str) -> None:
    """Inside a write transaction: check again (another process may have migrated), upgrade."""
    from sqlalchemy import inspect

    revision = _sa_revision(conn)
    _check_known(revision, display)
    if revision is None and set(inspect(conn).get_table_names()) - {"alembic_version"}:
        raise _foreign(display)
    if revision != HEAD:
        upgrade(conn, HEAD)


def _check_known(revision: str | None, display: str) -> None:
    if revision is not None and revision not in REVISIONS:
        raise StoreError(
            f"the database {display} was written by a newer leadtime "
            f"(schema {revision}; this version knows up to {HEAD})",
            reason="newer",
            hint="the database was not changed",
        )


def _foreign(display: str) -> StoreError:
    return StoreError(
        f"{display} holds tables that are not leadtime's",
        reason="foreign",
        hint="the database was not changed",
    )


def upgrade(conn: Connection, revision: str) -> None:
    """Run Alembic's migrations up to ``revision`` on an open connection (in its transaction)."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("leadtime.store") / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


# --------------------------------------------------------------------------- errors


def _code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _describe(message: str, code: int, display: str) -> StoreError:
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
    if code == _FULL or "disk is full" in lowered:
        return StoreError(f"{display}: the disk is full ({message})", reason="full")
    if code == _CANTOPEN:
        return StoreError(f"{display}: cannot open the database ({message})", reason="unreadable")
    return StoreError(f"{display}: {message}", reason="failed")


def _sqlite_error(exc: sqlite3.Error, display: str) -> StoreError:
    """A driver error as one readable line naming the database (password masked)."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _describe(message, _code(exc), display)


def _sa_error(exc: DBAPIError, display: str) -> StoreError:
    detail: Any = exc.orig if exc.orig is not None else exc
    text = str(detail).strip()
    message = text.splitlines()[0] if text else type(detail).__name__
    code = _code(detail) if isinstance(detail, sqlite3.Error) else 0
    return _describe(message, code, display)
