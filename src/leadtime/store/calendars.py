"""Calendar imports: upsert on (calendar, UID, RECURRENCE-ID), idempotently, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from leadtime.entry import MANUAL, Category, Classification, Entry
from leadtime.store.queries import (
    CALENDARS,
    CHUNK,
    ENTRIES,
    delete_entries,
    from_ts,
    row_values,
    stable_id,
    taken_ids,
    to_ts,
)

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
class CalendarInfo:
    name: str
    source: str
    last_import: datetime | None
    events: int
    instances: int
    excluded: int


def sync_calendar(
    conn: Connection,
    name: str,
    entries: Sequence[Entry],
    window: tuple[int, int],
    now: datetime,
) -> SyncResult:
    """Make the stored instances of calendar ``name`` match ``entries``.

    Instances keep their id across imports. Stored instances that no longer appear in the
    source are removed when they start inside ``window`` (the range that was read); those
    outside it are history the source no longer covers and stay. Manual classifications win.
    """
    c = ENTRIES.c
    columns = [c.id, c.uid, c.recurrence_id, *(getattr(c, k) for k in CONTENT)]
    stored = {
        (row.uid, row.recurrence_id or ""): row
        for row in conn.execute(select(*columns).where(c.calendar == name))
    }
    now_ts = to_ts(now)
    inserts, updates, seen = [], [], set()
    for entry in entries:
        key = (entry.uid or "", entry.recurrence_id or "")
        seen.add(key)
        old = stored.get(key)
        if old is None:
            inserts.append(entry)
            continue
        if old.decided_by == MANUAL:
            manual = Classification(Category(old.category), old.activity, MANUAL)
            entry = replace(entry, classification=manual)
        values = row_values(entry, now_ts)
        if any(values[k] != getattr(old, k) for k in CONTENT):
            changes = {k: values[k] for k in CONTENT}
            updates.append({"k": old.id, "updated_ts": now_ts, **changes})
    start, end = window
    gone = [
        row.id for key, row in stored.items() if key not in seen and start <= row.start_ts < end
    ]
    delete_entries(conn, gone)
    if updates:
        statement = update(ENTRIES).where(c.id == bindparam("k"))
        statement = statement.values({k: bindparam(k) for k in (*CONTENT, "updated_ts")})
        for i in range(0, len(updates), CHUNK):
            conn.execute(statement, updates[i : i + CHUNK])
    rows = [row_values(e, now_ts) for e in _with_stable_ids(conn, name, inserts)]
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(ENTRIES), rows[i : i + CHUNK])
    unchanged = len(entries) - len(inserts) - len(updates)
    return SyncResult(len(inserts), len(updates), len(gone), unchanged)


def _with_stable_ids(conn: Connection, name: str, entries: list[Entry]) -> list[Entry]:
    """Give each new instance its stable id; on the rare clash, the next salted one."""
    ids = [stable_id(name, e.uid or "", e.recurrence_id) for e in entries]
    taken = taken_ids(conn, ids)
    result = []
    for entry, entry_id in zip(entries, ids, strict=True):
        salt = 0
        while entry_id in taken:
            salt += 1
            entry_id = stable_id(name, entry.uid or "", entry.recurrence_id, salt)
        taken.add(entry_id)
        result.append(replace(entry, id=entry_id))
    return result


def remember_calendar(
    conn: Connection, name: str, source: str, now: datetime, counts: tuple[int, int, int]
) -> None:
    events, instances, excluded = counts
    values = {"source": source, "last_import_ts": to_ts(now), "events": events,
              "instances": instances, "excluded": excluded}  # fmt: skip
    result = conn.execute(update(CALENDARS).where(CALENDARS.c.name == name).values(values))
    if result.rowcount == 0:
        conn.execute(insert(CALENDARS).values(name=name, **values))


def list_calendars(conn: Connection) -> list[CalendarInfo]:
    rows = conn.execute(select(CALENDARS).order_by(CALENDARS.c.name)).all()
    return [
        CalendarInfo(
            r.name,
            r.source,
            from_ts(r.last_import_ts) if r.last_import_ts is not None else None,
            r.events,
            r.instances,
            r.excluded,
        )
        for r in rows
    ]
