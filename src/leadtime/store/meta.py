"""Key/value metadata (e.g. which rules the stored classifications come from)."""

from __future__ import annotations

from leadtime.store.conn import Conn


def get_meta(conn: Conn, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = :key", {"key": key}).fetchone()
    return str(row[0]) if row is not None else None


def set_meta(conn: Conn, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (:key, :value)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {"key": key, "value": value},
    )
