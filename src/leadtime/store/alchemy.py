"""Every database on SQLAlchemy: the engine, transactions, and Alembic's schema upgrades.

Any URL other than a current local SQLite file runs here (PostgreSQL, SQLite in memory),
and a local file comes here only to be created or upgraded. :mod:`leadtime.store.db`
imports this module only then, so that a current local file never loads SQLAlchemy.
Writers are serialised up front: ``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped
advisory lock on PostgreSQL. Schema changes run inside such a write transaction, so that
concurrent first runs cannot race.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from leadtime.store.conn import StoreError
from leadtime.store.schema import HEAD
from leadtime.store.sqlite_file import (
    BUSY_TIMEOUT_MS,
    check_known,
    connect,
    describe,
    error_code,
)

__all__ = [
    "PG_WRITE_LOCK",
    "migrate",
    "migrate_file",
    "open_engine",
    "read_revision",
    "transaction",
    "upgrade",
]

# The key of PostgreSQL's transaction-scoped advisory lock that serialises writers.
PG_WRITE_LOCK = int.from_bytes(b"leadtime", "big") >> 1


def open_engine(url: str, display: str) -> Engine:
    """An engine for ``url``; an SQLite one gets the same settings as a local file."""
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
    return engine


def read_revision(engine: Engine, display: str) -> tuple[str | None, set[str]]:
    """The schema revision the database is at (None: no schema yet) and its tables; the
    engine is disposed of when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            return _revision(conn), set(inspect(conn).get_table_names())
    except DBAPIError as exc:
        engine.dispose()
        raise _sa_error(exc, display) from None


@contextmanager
def transaction(engine: Engine, display: str, *, write: bool) -> Iterator[Connection]:
    """One transaction; a write one takes the write lock from its start."""
    try:
        with engine.connect() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres and not write:
                conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot
            conn.info["write"] = write
            with conn.begin():
                if postgres and write:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
                yield conn
    except DBAPIError as exc:
        raise _sa_error(exc, display) from None


def migrate_file(path: str, display: str) -> None:
    """Create or upgrade the schema of a local file with Alembic, under the write lock."""
    engine = create_engine("sqlite://", creator=lambda: connect(path, "rw"))
    event.listen(engine, "begin", _on_sqlite_begin)
    try:
        with transaction(engine, display, write=True) as conn:
            migrate(conn, display)
    finally:
        engine.dispose()


def migrate(conn: Connection, display: str) -> None:
    """Inside a write transaction: check again (another process may have migrated), upgrade."""
    revision = _revision(conn)
    check_known(revision, display, set(inspect(conn).get_table_names()))
    if revision != HEAD:
        upgrade(conn, HEAD)


def upgrade(conn: Connection, revision: str) -> None:
    """Run Alembic's migrations up to ``revision`` on an open connection (in its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("leadtime.store") / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(revision) if revision is not None else None


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


def _sa_error(exc: DBAPIError, display: str) -> StoreError:
    """A driver error as one readable line naming the database (password masked)."""
    detail: Any = exc.orig if exc.orig is not None else exc
    message_text = str(detail).strip()
    message = message_text.splitlines()[0] if message_text else type(detail).__name__
    code = error_code(detail) if isinstance(detail, sqlite3.Error) else 0
    return describe(message, code, display)
