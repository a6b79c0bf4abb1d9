"""Opening the store: which backend a URL takes, read-only fallback, and transactions.

A current local SQLite file runs on the standard library's sqlite3 alone
(:mod:`leadtime.store.sqlite_file`): opening it reads the schema revision and the journal
mode and imports nothing else. A new or older file, and every other database URL, takes
SQLAlchemy (:mod:`leadtime.store.alchemy`, imported only then); the schema is created or
upgraded with Alembic inside a write transaction, so that concurrent first runs cannot
race. Nothing is written to a file that is refused (not SQLite, damaged, another
application's, newer).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from leadtime.secrets import mask_url
from leadtime.store.conn import SqlAlchemyConn, SqliteConn, StoreError
from leadtime.store.schema import HEAD, sqlite_options, sqlite_path_text
from leadtime.store.sqlite_file import (
    CANNOT_WRITE,
    FULL,
    can_open_for_writing,
    check_known,
    connect,
    create_file,
    create_schema,
    disk_full,
    error_code,
    inspect_file,
    open_read_only,
    prepare,
    sqlite_error,
    transaction,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy.engine import Engine

    from leadtime.store.conn import Conn

__all__ = ["Store", "saved_changes"]

_saved = False  # a write of the user's data has committed in this process


def saved_changes() -> bool:
    """Whether this run has committed a change to the user's data (an entry, a source,
    the timer): a command that fails afterwards says so, so that it is not run again."""
    return _saved


def new_run() -> None:
    """A command begins (several run in one process under a test runner)."""
    global _saved
    _saved = False


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
        # Called first inside every write transaction (the workspace keeps its snapshots).
        self.on_write: Callable[[Conn], None] | None = None

    def __repr__(self) -> str:
        return f"Store({self.display_url!r}, read_only={self.read_only})"

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, url: str) -> Store:
        """Open ``url``, creating or upgrading the schema as needed; refuse what is not ours."""
        path = sqlite_path_text(url)
        if path is not None:
            return cls._open_sqlite_file(url, path)
        return cls._open_sqlalchemy(url)

    @classmethod
    def _open_sqlite_file(cls, url: str, path: str) -> Store:
        display = mask_url(url)
        read_only = sqlite_options(url).get("mode") == "ro"
        if not inspect_file(path, display):
            if read_only:
                raise StoreError(f"{display}: no such database file", reason="missing")
            create_file(path, display)
        if not read_only and not can_open_for_writing(path):
            read_only = True
        cause = "no write access"
        if not read_only:
            raw = None
            try:
                raw = connect(path, "rw")
                revision = prepare(raw, display)
                if revision is None:
                    revision = create_schema(raw, display)
                if revision != HEAD:
                    raw.close()
                    raw = None
                    from leadtime.store.alchemy import migrate_file

                    migrate_file(path, display)
                    raw = connect(path, "rw")
                return cls(url, sqlite=raw)
            except sqlite3.Error as exc:
                if raw is not None:
                    raw.close()
                if error_code(exc) not in CANNOT_WRITE:
                    raise sqlite_error(exc, display) from None
                if error_code(exc) == FULL or disk_full(path):
                    cause = "the disk is full"
            except StoreError as exc:
                if raw is not None:
                    raw.close()
                if exc.reason not in ("read-only", "full", "unreadable"):
                    raise
                if exc.reason == "full" or disk_full(path):
                    cause = "the disk is full"
        raw = open_read_only(path, display)
        return cls(url, sqlite=raw, read_only=True, read_only_cause=cause)

    @classmethod
    def _open_sqlalchemy(cls, url: str) -> Store:
        from leadtime.store import alchemy

        display = mask_url(url)
        engine = alchemy.open_engine(url, display)
        store = cls(url, engine=engine)
        revision, tables = alchemy.read_revision(engine, display)
        check_known(revision, display, tables)
        if revision != HEAD:
            with alchemy.transaction(engine, display, write=True) as conn:
                alchemy.migrate(conn, display)
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
        """One consistent snapshot; nothing is locked against writers. Inside a transaction
        of this store (a read while writing), the snapshot is that transaction's."""
        if self._sqlite is not None and self._sqlite.in_transaction:
            yield SqliteConn(self._sqlite)
            return
        with self._transaction(write=False) as conn:
            yield conn

    @contextmanager
    def write(self, *, upkeep: bool = False) -> Iterator[Conn]:
        """One transaction that takes the write lock up front: all of it lands, or nothing.

        ``upkeep``: the transaction only brings stored data up to date (re-classification),
        it is not a change the user asked for (see :func:`saved_changes`).
        """
        global _saved
        if self.read_only:
            raise StoreError(
                f"{self.display_url} can only be read here ({self._read_only_cause})",
                reason="read-only",
            )
        with self._transaction(write=True) as conn:
            if self.on_write is not None:
                self.on_write(conn)
            yield conn
        _saved = _saved or not upkeep

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Conn]:
        if self._engine is not None:
            from leadtime.store.alchemy import transaction as sa_transaction

            with sa_transaction(self._engine, self.display_url, write=write) as conn:
                yield SqlAlchemyConn(conn)
        else:
            begin = "BEGIN IMMEDIATE" if write else "BEGIN"
            with transaction(self._sqlite, self.display_url, begin) as conn:
                yield conn
