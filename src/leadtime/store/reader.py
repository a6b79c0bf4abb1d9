"""The report's read path for a local SQLite file, on the standard library's sqlite3 driver.

Importing SQLAlchemy and SQLModel takes about 0.25 s, more than reading a decade of entries,
so ``report`` and ``check`` read a local database that is already current (latest schema,
classified by the current rules) with one plain SQL query. Anything else — another
database, a missing, damaged, older or newer file, changed rules — returns None, and the
caller takes the full path, which migrates, re-classifies or explains the problem.
"""

from __future__ import annotations

import sqlite3

from leadtime.store.schema import HEAD, RULES_FINGERPRINT, SPAN_COLUMNS, EntryFilter, sqlite_path

SpanRow = tuple[int, int, str, str, str | None]


def read_spans(url: str, where: EntryFilter, fingerprint: str) -> list[SpanRow] | None:
    """(start_ts, end_ts, origin, category, activity) of the counted entries, or None."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    condition, params = where.sql()
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for the checks and the rows
        if conn.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD,):
            return None
        stored = conn.execute("SELECT value FROM meta WHERE key = ?", (RULES_FINGERPRINT,))
        if stored.fetchone() != (fingerprint,):
            return None
        query = f"SELECT {SPAN_COLUMNS} FROM entries WHERE {condition}"
        return conn.execute(query, params).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
