"""Reading and writing entries. SQLAlchemy Core on the SQLModel tables: bulk, no ORM objects."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Row

from leadtime.entry import MANUAL, Category, Classification, Entry, Exclusion, Origin
from leadtime.errors import InputError
from leadtime.store.models import CalendarRow, EntryRow, MetaRow, TimerRow
from leadtime.store.reader import SpanRow
from leadtime.store.schema import RULES_FINGERPRINT, SPAN_COLUMNS, EntryFilter

ENTRIES: Table = EntryRow.__table__  # type: ignore[attr-defined]
TIMER: Table = TimerRow.__table__  # type: ignore[attr-defined]
META: Table = MetaRow.__table__  # type: ignore[attr-defined]
CALENDARS: Table = CalendarRow.__table__  # type: ignore[attr-defined]

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, lower case
ID_LENGTH = 8  # 40 bits
MIN_PREFIX = 4
CHUNK = 5000  # rows per executemany batch / IN (...) list


def _encode(number: int) -> str:
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ID_ALPHABET[digit])
    return "".join(reversed(chars))


def random_id() -> str:
    return _encode(secrets.randbits(5 * ID_LENGTH))


def stable_id(calendar: str, uid: str, recurrence_id: str | None, salt: int = 0) -> str:
    """The same calendar instance always gets the same id, so re-imports keep ids."""
    key = f"{calendar}\x00{uid}\x00{recurrence_id or ''}\x00{salt}".encode()
    return _encode(int.from_bytes(hashlib.sha256(key).digest()[:5], "big"))


def to_ts(moment: datetime) -> int:
    return int(moment.timestamp())


def from_ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# --------------------------------------------------------------------------- conversion


def row_values(entry: Entry, now_ts: int) -> dict[str, Any]:
    c = entry.classification
    return {
        "id": entry.id,
        "start_ts": to_ts(entry.start),
        "end_ts": to_ts(entry.end),
        "title": entry.title,
        "note": entry.note,
        "location": entry.location,
        "tags": ",".join(entry.tags),
        "origin": entry.origin.value,
        "calendar": entry.calendar,
        "uid": entry.uid,
        "recurrence_id": (entry.recurrence_id or "") if entry.origin is Origin.ICS else None,
        "organizer": entry.organizer,
        "attendees": entry.attendees,
        "excluded": entry.excluded.value if entry.excluded else None,
        "category": c.category.value,
        "activity": c.activity,
        "decided_by": c.decided_by,
        "created_ts": now_ts,
        "updated_ts": now_ts,
    }


def entry_from_row(row: Row[Any]) -> Entry:
    m = row._mapping
    return Entry(
        id=m["id"],
        start=from_ts(m["start_ts"]),
        end=from_ts(m["end_ts"]),
        title=m["title"],
        origin=Origin(m["origin"]),
        note=m["note"],
        location=m["location"],
        tags=tuple(t for t in m["tags"].split(",") if t),
        calendar=m["calendar"],
        uid=m["uid"],
        recurrence_id=m["recurrence_id"] or None,
        organizer=m["organizer"],
        attendees=m["attendees"],
        excluded=Exclusion(m["excluded"]) if m["excluded"] else None,
        classification=Classification(Category(m["category"]), m["activity"], m["decided_by"]),
    )


# --------------------------------------------------------------------------- entries


def taken_ids(conn: Connection, wanted: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        chunk = wanted[i : i + CHUNK]
        taken.update(conn.execute(select(ENTRIES.c.id).where(ENTRIES.c.id.in_(chunk))).scalars())
    return taken


def add_entries(conn: Connection, entries: Sequence[Entry], now: datetime) -> list[Entry]:
    """Insert new entries (logged, timed or restored), giving each a fresh short id."""
    from dataclasses import replace

    with_ids = [e if e.id else replace(e, id=random_id()) for e in entries]
    taken = taken_ids(conn, [e.id for e in with_ids if e.id])
    for index, e in enumerate(with_ids):
        if e.id in taken and not entries[index].id:
            new = random_id()
            while new in taken:
                new = random_id()
            with_ids[index] = replace(e, id=new)
    now_ts = to_ts(now)
    rows = [row_values(e, now_ts) for e in with_ids]
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(ENTRIES), rows[i : i + CHUNK])
    return with_ids


def find_entry(conn: Connection, ref: str) -> Entry:
    """An entry by its id, or by a unique prefix of at least four characters."""
    ref = ref.strip().lower()
    row = conn.execute(select(ENTRIES).where(ENTRIES.c.id == ref)).first()
    if row is None and len(ref) >= MIN_PREFIX:
        rows = conn.execute(select(ENTRIES).where(ENTRIES.c.id.startswith(ref)).limit(2)).all()
        if len(rows) > 1:
            raise InputError(f"the id '{ref}' matches several entries", hint="give more characters")
        row = rows[0] if rows else None
    if row is None:
        raise InputError(f"no entry with id '{ref}'", hint="'leadtime ls' shows the ids")
    return entry_from_row(row)


def replace_entry(conn: Connection, entry: Entry, now: datetime) -> None:
    values = row_values(entry, to_ts(now))
    del values["created_ts"]
    conn.execute(update(ENTRIES).where(ENTRIES.c.id == entry.id).values(values))


def delete_entries(conn: Connection, ids: Iterable[str]) -> int:
    total = 0
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        total += conn.execute(delete(ENTRIES).where(ENTRIES.c.id.in_(ids[i : i + CHUNK]))).rowcount
    return total


def list_entries(conn: Connection, where: EntryFilter) -> list[Entry]:
    condition, params = where.sql()
    query = select(ENTRIES).where(text(condition)).order_by(ENTRIES.c.start_ts, ENTRIES.c.id)
    return [entry_from_row(row) for row in conn.execute(query, params)]


def iter_all_entries(conn: Connection) -> Iterator[Entry]:
    query = select(ENTRIES).order_by(ENTRIES.c.start_ts, ENTRIES.c.id)
    for row in conn.execute(query):
        yield entry_from_row(row)


def span_rows(conn: Connection, where: EntryFilter) -> list[SpanRow]:
    """(start_ts, end_ts, origin, category, activity) of counted entries: the report's input."""
    condition, params = where.sql()
    query = text(f"SELECT {SPAN_COLUMNS} FROM entries WHERE {condition}")
    return [tuple(row) for row in conn.execute(query, params)]


def count_entries(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(ENTRIES)).scalar_one())


# --------------------------------------------------------------------------- timer


@dataclass(frozen=True)
class Timer:
    title: str
    start: datetime
    tags: tuple[str, ...]
    note: str
    classification: Classification | None


def get_timer(conn: Connection) -> Timer | None:
    row = conn.execute(select(TIMER).where(TIMER.c.id == 1)).first()
    if row is None:
        return None
    m = row._mapping
    manual = (
        Classification(Category(m["category"]), m["activity"], MANUAL) if m["category"] else None
    )
    tags = tuple(t for t in m["tags"].split(",") if t)
    return Timer(m["title"], from_ts(m["start_ts"]), tags, m["note"], manual)


def set_timer(conn: Connection, timer: Timer) -> None:
    manual = timer.classification
    conn.execute(
        insert(TIMER).values(
            id=1,
            title=timer.title,
            start_ts=to_ts(timer.start),
            tags=",".join(timer.tags),
            note=timer.note,
            category=manual.category.value if manual else None,
            activity=manual.activity if manual else None,
        )
    )


def clear_timer(conn: Connection) -> None:
    conn.execute(delete(TIMER))


# --------------------------------------------------------------------------- meta


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(META.c.value).where(META.c.key == key)).scalar()


def set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.execute(update(META).where(META.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(insert(META).values(key=key, value=value))


# --------------------------------------------------------------------------- classification

FeatureRow = tuple[Any, ...]
"""(id, title, note, location, tags, calendar, origin, organizer, attendees, start_ts, end_ts)"""


def reclassify(
    conn: Connection,
    fingerprint: str,
    classify: Callable[[list[FeatureRow]], list[Classification]],
    *,
    force: bool = False,
) -> int | None:
    """Re-run the rules over every entry that has no manual classification.

    Does nothing (returns None) when the stored classifications were made by the same
    rules (``fingerprint``); otherwise returns how many entries changed category or
    activity. ``classify`` turns feature rows into classifications, in order.
    """
    if not force and get_meta(conn, RULES_FINGERPRINT) == fingerprint:
        return None
    c = ENTRIES.c
    query = select(
        c.id, c.title, c.note, c.location, c.tags, c.calendar, c.origin, c.organizer,
        c.attendees, c.start_ts, c.end_ts, c.category, c.activity, c.decided_by,
    ).where(or_(c.decided_by.is_(None), c.decided_by != MANUAL))  # fmt: skip
    rows = conn.execute(query).all()
    decisions = classify([tuple(r[:11]) for r in rows])
    changes = []
    changed = 0
    for row, decision in zip(rows, decisions, strict=True):
        category, activity, decided_by = (
            decision.category.value,
            decision.activity,
            decision.decided_by,
        )
        if (category, activity, decided_by) != (row[11], row[12], row[13]):
            if (category, activity) != (row[11], row[12]):
                changed += 1
            changes.append(
                {"k": row[0], "category": category, "activity": activity, "rule": decided_by}
            )
    if changes:
        from sqlalchemy import bindparam

        statement = (
            update(ENTRIES)
            .where(c.id == bindparam("k"))
            .values(
                category=bindparam("category"),
                activity=bindparam("activity"),
                decided_by=bindparam("rule"),
            )
        )
        for i in range(0, len(changes), CHUNK):
            conn.execute(statement, changes[i : i + CHUNK])
    set_meta(conn, RULES_FINGERPRINT, fingerprint)
    return changed


def set_classification(conn: Connection, entry_id: str, c: Classification, now: datetime) -> None:
    conn.execute(
        update(ENTRIES)
        .where(ENTRIES.c.id == entry_id)
        .values(
            category=c.category.value,
            activity=c.activity,
            decided_by=c.decided_by,
            updated_ts=to_ts(now),
        )
    )


def existing_keys(
    conn: Connection, entries: Sequence[Entry]
) -> tuple[set[str], set[tuple[str | None, str | None, str]]]:
    """Which of these entries' ids, and calendar keys, the database already holds."""
    ids = [e.id for e in entries if e.id]
    known_ids = taken_ids(conn, ids)
    calendars = sorted({e.calendar for e in entries if e.calendar})
    known_keys: set[tuple[str | None, str | None, str]] = set()
    if calendars:
        c = ENTRIES.c
        query = select(c.calendar, c.uid, c.recurrence_id).where(c.calendar.in_(calendars))
        known_keys = {(r[0], r[1], r[2] or "") for r in conn.execute(query)}
    return known_ids, known_keys
