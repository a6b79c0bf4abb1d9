"""Opening the database: SQLite file checks, WAL and busy timeout, schema versions.

The schema is managed by Alembic. Opening an up-to-date database reads one row
(``alembic_version``) and never imports Alembic; only a new or older database is
migrated, inside a write transaction so that concurrent first runs cannot race.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from leadtime.errors import StorageError
from leadtime.store.schema import HEAD, REVISIONS, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0


def _prepare_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite (leaving it untouched); create a new one owner-only."""
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StorageError(f"cannot read the database {path}: {exc.strerror}") from None
        if header and header != SQLITE_MAGIC:
            raise StorageError(
                f"{path} is not a leadtime database (not an SQLite file)",
                hint="move it away, or point --db / LEADTIME_DATABASE_URL elsewhere",
            )
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError as exc:
        raise StorageError(f"cannot create the database {path}: {exc.strerror}") from None


def _on_sqlite_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Let the "begin" hook below issue BEGIN itself (the pysqlite recipe in SQLAlchemy's docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock up front: in WAL mode a reader that later
    # tries to write gets SQLITE_BUSY at once instead of waiting for the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


class Database:
    """An engine with leadtime's connection settings and schema checks."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.is_sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, url: str) -> Database:
        path = sqlite_path(url)
        if path is not None:
            _prepare_sqlite_file(path)
        try:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S} if path else {})
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StorageError(
                f"cannot use the database URL {url!r}: {exc}",
                hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
            ) from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
        database = cls(engine, url)
        database.ensure_schema()
        return database

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: everything in it lands, or nothing does."""
        with self._connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info["write"] = False

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise storage_error(exc, self.url) from None

    # ------------------------------------------------------------------ schema versions

    def schema_revision(self, conn: Connection) -> str | None:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def ensure_schema(self) -> None:
        """Create or upgrade the schema in place; refuse a database newer than this program."""
        with self.read() as conn:
            revision = self.schema_revision(conn)
        self._check_known(revision)  # before anything, even a pragma, writes to the file
        if self.is_sqlite:
            self._use_wal()
        if revision == HEAD:
            return
        with self.write() as conn:
            revision = self.schema_revision(conn)  # another process may have migrated meanwhile
            self._check_known(revision)
            if revision is None and inspect(conn).get_table_names():
                raise StorageError(
                    f"{self.url} holds tables that are not leadtime's",
                    hint="point --db / LEADTIME_DATABASE_URL at an empty or leadtime database",
                )
            if revision != HEAD:
                upgrade(conn, HEAD)

    def _use_wal(self) -> None:
        """Readers never wait for writers (persistent; a no-op once the file is in WAL mode)."""
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise StorageError(f"{self.url}: {exc}") from None
        finally:
            raw.close()

    def _check_known(self, revision: str | None) -> None:
        if revision is not None and revision not in REVISIONS:
            raise StorageError(
                f"the database {self.url} was written by a newer leadtime "
                f"(schema {revision}; this version knows up to {HEAD})",
                hint="upgrade leadtime (pip install -U leadtime); the database was not changed",
            )


def upgrade(conn: Connection, revision: str) -> None:
    """Run Alembic's migrations up to ``revision`` on an open connection (in its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("leadtime.store") / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def storage_error(exc: DBAPIError, url: str) -> StorageError:
    """Turn a driver error into one readable line (exit 4)."""
    detail: Any = exc.orig if exc.orig is not None else exc
    message = str(detail).strip().splitlines()[0] if str(detail).strip() else type(detail).__name__
    if "not a database" in message or "malformed" in message:
        return StorageError(
            f"{url}: the database file is damaged ({message})",
            hint="restore it from a backup ('leadtime export' makes one) or move it away",
        )
    if "locked" in message:
        return StorageError(
            f"{url}: the database stayed locked by another leadtime for {BUSY_TIMEOUT_S:.0f} s",
            hint="try again when the other command has finished",
        )
    return StorageError(f"{url}: {message}")
