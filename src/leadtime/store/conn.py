"""One small connection protocol, so that every query is written once as SQL text.

Two implementations: the standard library's sqlite3 for a local SQLite file (no
SQLAlchemy import at all), and SQLAlchemy ``text()`` for any other database URL.
Parameters are named (``:name``); both drivers take them as a mapping.
"""

from __future__ import annotations

from leadtime.errors import InputError, StorageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator, Mapping, Sequence
    from typing import Any, Protocol

    from sqlalchemy.engine import Connection


class StoreError(StorageError):
    """The database cannot be opened, read or written; ``reason`` says why, for callers.

    Reasons: ``bad-url``, ``directory``, ``missing``, ``unreadable``, ``cannot-create``,
    ``not-sqlite``, ``damaged``, ``newer``, ``foreign``, ``locked``, ``read-only``, ``full``,
    ``failed``.
    """

    def __init__(self, message: str, *, reason: str, hint: str | None = None):
        super().__init__(message, hint)
        self.reason = reason


class StoreInputError(InputError):
    """A reference the store cannot resolve; ``reason`` is ``no-such-id``, ``ambiguous-id``,
    ``no-such-source`` or ``source-exists``."""

    def __init__(self, message: str, *, reason: str, hint: str | None = None):
        super().__init__(message, hint)
        self.reason = reason


if TYPE_CHECKING:

    class Cursor(Protocol):
        """What a query returns: rows as tuples."""

        @property
        def rowcount(self) -> int: ...

        def fetchone(self) -> Any: ...

        def fetchall(self) -> Sequence[Any]: ...

        def __iter__(self) -> Iterator[Any]: ...

    class Conn(Protocol):
        """A connection inside one transaction (``Store.read()`` or ``Store.write()``)."""

        is_sqlite: bool

        def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Cursor: ...

        def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...


else:  # at run time they are only names in annotations
    Cursor = Conn = object


class SqliteConn:
    """A stdlib sqlite3 connection in autocommit mode; the store issues BEGIN/COMMIT itself."""

    is_sqlite = True

    def __init__(self, raw: sqlite3.Connection):
        self.raw = raw

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Cursor:
        return self.raw.execute(sql, params or {})

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.raw.executemany(sql, rows)


class SqlAlchemyConn:
    """An SQLAlchemy connection (PostgreSQL, ...) running the same SQL text."""

    def __init__(self, raw: Connection):
        self.raw = raw
        self.is_sqlite = raw.dialect.name == "sqlite"

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Cursor:
        from sqlalchemy import text

        return self.raw.execute(text(sql), dict(params or {}))

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        from sqlalchemy import text

        if rows:
            self.raw.execute(text(sql), [dict(row) for row in rows])
