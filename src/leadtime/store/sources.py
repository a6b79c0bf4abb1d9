"""Sources (calendars, CalDAV, git, Watson, Timewarrior) and what they import.

An import upserts on (source, UID, RECURRENCE-ID), idempotently, in the caller's
transaction. A remembered source keeps its kind, where it is read from, the counts of the
last import and a JSON state (content hash, etag, sync token, window, options). The raw
objects of a source (CalDAV: href -> etag and data) live in ``source_objects``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadtime.entry import MANUAL, Category, Classification, Entry
from leadtime.store.conn import Conn, StoreInputError
from leadtime.store.entries import (
    CHUNK,
    IN_CHUNK,
    delete_entries,
    in_list,
    insert_rows,
    row_values,
    stable_id,
    taken_ids,
)
from leadtime.store.schema import from_ts, to_ts

# What an import may change about an instance; ids, manual choices and creation time stay.
CONTENT = ("start_ts", "end_ts", "title", "note", "location", "tags", "organizer", "attendees",
           "excluded", "category", "activity", "decided_by")  # fmt: skip


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class SourceInfo:
    name: str
    kind: str  # a SourceKind's value
    source: str  # a path, URL or address
    last_import: datetime | None = None
    events: int = 0
    instances: int = 0
    excluded: int = 0
    state: dict[str, Any] = field(default_factory=dict)


def sync_entries(
    conn: Conn,
    name: str,
    entries: Sequence[Entry],
    window: tuple[int, int],
    now: datetime,
    *,
    uids: Collection[str] | None = None,
) -> SyncResult:
    """Make the stored instances of source ``name`` match ``entries``.

    Instances keep their id across imports. Stored instances that no longer appear are
    removed when they start inside ``window`` (the range that was read); those outside it
    are history the source no longer covers and stay. Manual classifications win. With
    ``uids`` (an incremental sync), only stored instances of those UIDs are looked at.
    """
    wanted = set(uids) if uids is not None else None
    # What the user logged or timed is never a source's, whatever calendar it names.
    query = (
        f"SELECT id, uid, recurrence_id, {', '.join(CONTENT)} FROM entries "
        "WHERE calendar = :name AND origin NOT IN ('log', 'timer')"
    )
    stored: dict[tuple[str, str], dict[str, Any]] = {}
    for row in conn.execute(query, {"name": name}):
        if wanted is not None and row[1] not in wanted:
            continue
        values = dict(zip(("id", "uid", "recurrence_id", *CONTENT), row, strict=True))
        stored[(row[1] or "", row[2] or "")] = values
    now_ts = to_ts(now)
    inserts, updates, seen = [], [], set()
    for entry in entries:
        key = (entry.uid or "", entry.recurrence_id or "")
        seen.add(key)
        old = stored.get(key)
        if old is None:
            inserts.append(entry)
            continue
        if old["decided_by"] == MANUAL:
            manual = Classification(Category(old["category"]), old["activity"], MANUAL)
            entry = entry.with_classification(manual)
        values = row_values(entry, now_ts)
        if any(values[k] != old[k] for k in CONTENT):
            updates.append(
                {"k": old["id"], "updated_ts": now_ts, **{k: values[k] for k in CONTENT}}
            )
    start, end = window
    gone = [
        old["id"]
        for key, old in stored.items()
        if key not in seen and start <= old["start_ts"] < end
    ]
    delete_entries(conn, gone)
    if updates:
        assignments = ", ".join(f"{k} = :{k}" for k in (*CONTENT, "updated_ts"))
        statement = f"UPDATE entries SET {assignments} WHERE id = :k"
        for i in range(0, len(updates), CHUNK):
            conn.executemany(statement, updates[i : i + CHUNK])
    rows = [row_values(e, now_ts) for e in inserts]
    for row, entry_id in zip(rows, _stable_ids(conn, name, inserts), strict=True):
        row["id"] = entry_id
    insert_rows(conn, rows)
    unchanged = len(entries) - len(inserts) - len(updates)
    return SyncResult(len(inserts), len(updates), len(gone), unchanged)


def _stable_ids(conn: Conn, name: str, entries: list[Entry]) -> list[str]:
    """Each new instance's stable id; on the rare clash, the next salted one."""
    ids = [stable_id(name, e.uid or "", e.recurrence_id) for e in entries]
    taken = taken_ids(conn, ids)
    result = []
    for entry, entry_id in zip(entries, ids, strict=True):
        salt = 0
        while entry_id in taken:
            salt += 1
            entry_id = stable_id(name, entry.uid or "", entry.recurrence_id, salt)
        taken.add(entry_id)
        result.append(entry_id)
    return result


# --------------------------------------------------------------------------- remembered sources

_SOURCE_COLUMNS = "name, kind, source, last_import_ts, events, instances, excluded, state"


def remember_source(conn: Conn, info: SourceInfo) -> None:
    """Insert the source, or update it if one of that name is remembered."""
    values = {
        "name": info.name,
        "kind": info.kind,
        "source": info.source,
        "last_import_ts": to_ts(info.last_import) if info.last_import else None,
        "events": info.events,
        "instances": info.instances,
        "excluded": info.excluded,
        "state": json.dumps(info.state, sort_keys=True),
    }
    updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "name")
    conn.execute(
        f"INSERT INTO calendars ({_SOURCE_COLUMNS})"
        f" VALUES ({', '.join(':' + k for k in values)})"
        f" ON CONFLICT (name) DO UPDATE SET {updates}",
        values,
    )


def _info(row: Sequence[Any]) -> SourceInfo:
    name, kind, source, last_ts, events, instances, excluded, state = row
    try:
        decoded = json.loads(state) if state else {}
    except ValueError:
        decoded = {}
    return SourceInfo(
        name, kind, source, from_ts(last_ts) if last_ts is not None else None,
        events, instances, excluded, decoded if isinstance(decoded, dict) else {},
    )  # fmt: skip


def get_source(conn: Conn, name: str) -> SourceInfo | None:
    row = conn.execute(
        f"SELECT {_SOURCE_COLUMNS} FROM calendars WHERE name = :name", {"name": name}
    ).fetchone()
    return _info(row) if row is not None else None


def list_sources(conn: Conn) -> list[SourceInfo]:
    return [
        _info(r) for r in conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM calendars ORDER BY name")
    ]


def _exists(conn: Conn, name: str) -> bool:
    params = {"name": name}
    if conn.execute("SELECT 1 FROM calendars WHERE name = :name", params).fetchone():
        return True
    return (
        conn.execute("SELECT 1 FROM entries WHERE calendar = :name LIMIT 1", params).fetchone()
        is not None
    )


def remove_source(conn: Conn, name: str) -> int:
    """Forget the source, its objects and its entries; returns how many entries went."""
    if not _exists(conn, name):
        raise StoreInputError(f"no source named '{name}'", reason="no-such-source")
    params = {"name": name}
    removed = conn.execute("DELETE FROM entries WHERE calendar = :name", params).rowcount
    conn.execute("DELETE FROM source_objects WHERE calendar = :name", params)
    conn.execute("DELETE FROM calendars WHERE name = :name", params)
    return removed


def rename_source(conn: Conn, old: str, new: str) -> None:
    """Give the source a new name; its entries and objects move with it, ids unchanged."""
    if old == new:
        return
    if not _exists(conn, old):
        raise StoreInputError(f"no source named '{old}'", reason="no-such-source")
    if _exists(conn, new):
        raise StoreInputError(f"a source named '{new}' already exists", reason="source-exists")
    params = {"old": old, "new": new}
    conn.execute("UPDATE calendars SET name = :new WHERE name = :old", params)
    conn.execute("UPDATE entries SET calendar = :new WHERE calendar = :old", params)
    conn.execute("UPDATE source_objects SET calendar = :new WHERE calendar = :old", params)


# --------------------------------------------------------------------------- raw objects


def get_objects(conn: Conn, name: str) -> dict[str, tuple[str | None, bytes]]:
    """href -> (etag, data) of every object stored for the source."""
    rows = conn.execute(
        "SELECT href, etag, data FROM source_objects WHERE calendar = :name", {"name": name}
    )
    return {href: (etag, bytes(data)) for href, etag, data in rows}


def put_object(conn: Conn, name: str, href: str, etag: str | None, data: bytes) -> None:
    conn.execute(
        "INSERT INTO source_objects (calendar, href, etag, data)"
        " VALUES (:name, :href, :etag, :data)"
        " ON CONFLICT (calendar, href) DO UPDATE SET etag = excluded.etag, data = excluded.data",
        {"name": name, "href": href, "etag": etag, "data": bytes(data)},
    )


def delete_objects(conn: Conn, name: str, hrefs: Iterable[str]) -> None:
    hrefs = list(hrefs)
    for i in range(0, len(hrefs), IN_CHUNK):
        names, params = in_list("href", hrefs[i : i + IN_CHUNK])
        params["name"] = name
        conn.execute(
            f"DELETE FROM source_objects WHERE calendar = :name AND href IN ({names})", params
        )
