"""Reading and writing entries: plain SQL over a ``Conn``, bulk, no ORM objects.

Ids are 8 characters of Crockford's base 32: random for a new entry, derived from
(calendar, UID, RECURRENCE-ID) for an imported instance so that re-imports keep them.
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from sqlite3 import sqlite_version

from leadtime.entry import MANUAL, Category, Classification, Entry, Exclusion, Origin
from leadtime.store.conn import Conn, StoreInputError
from leadtime.store.meta import get_meta, set_meta
from leadtime.store.schema import (
    FEATURE_COLUMNS,
    RULES_FINGERPRINT,
    SPAN_COLUMNS,
    EntryFilter,
    feature_columns,
    feature_groups,
    from_ts,
    to_ts,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
    from typing import Any

    from leadtime.store.rows import FeatureRow, SpanRow

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, lower case
ID_LENGTH = 8  # 40 bits
MIN_PREFIX = 4
CHUNK = 5000  # rows per executemany batch
# Values per IN (...) list. SQLite looks each named parameter up among the ones before it
# while it prepares the statement, so a list costs the square of its length: the 17,500
# ids of a first import took 0.25 s in lists of 5,000, 0.03 s in lists of 500.
IN_CHUNK = 500

COLUMNS = (
    "id", "start_ts", "end_ts", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by", "created_ts", "updated_ts",
)  # fmt: skip
SELECT_ENTRY = f"SELECT {', '.join(COLUMNS[:17])} FROM entries"
INSERT_ENTRY = (
    f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
)


def _encode(number: int) -> str:
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ID_ALPHABET[digit])
    return "".join(reversed(chars))


def random_id() -> str:
    import secrets

    return _encode(secrets.randbits(5 * ID_LENGTH))


def stable_id(calendar: str, uid: str, recurrence_id: str | None, salt: int = 0) -> str:
    """The same calendar instance always gets the same id, so re-imports keep ids."""
    key = f"{calendar}\x00{uid}\x00{recurrence_id or ''}\x00{salt}".encode()
    import hashlib

    return _encode(int.from_bytes(hashlib.sha256(key).digest()[:5], "big"))


def in_list(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``:name_0, :name_1, ...`` and their parameters, for an ``IN (...)`` list."""
    params = {f"{name}_{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{key}" for key in params), params


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


def entry_from_row(row: Sequence[Any]) -> Entry:
    """An Entry from the columns of ``SELECT_ENTRY``, in order."""
    (id_, start, end, title, note, location, tags, origin, calendar, uid, recurrence_id,
     organizer, attendees, excluded, category, activity, decided_by) = row  # fmt: skip
    return Entry(
        id=id_,
        start=from_ts(start),
        end=from_ts(end),
        title=title,
        origin=Origin(origin),
        note=note,
        location=location,
        tags=tuple(t for t in tags.split(",") if t),
        calendar=calendar,
        uid=uid,
        recurrence_id=recurrence_id or None,
        organizer=organizer,
        attendees=attendees,
        excluded=Exclusion(excluded) if excluded else None,
        classification=Classification(Category(category), activity, decided_by),
    )


# --------------------------------------------------------------------------- entries


def taken_ids(conn: Conn, wanted: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for i in range(0, len(wanted), IN_CHUNK):
        names, params = in_list("id", wanted[i : i + IN_CHUNK])
        taken.update(
            r[0] for r in conn.execute(f"SELECT id FROM entries WHERE id IN ({names})", params)
        )
    return taken


def insert_rows(conn: Conn, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.executemany(INSERT_ENTRY, rows[i : i + CHUNK])


def add_entries(conn: Conn, entries: Sequence[Entry], now: datetime) -> list[Entry]:
    """Insert new entries (logged, timed or restored), giving each without an id a fresh one."""
    with_ids = [e if e.id else e.replace(id=random_id()) for e in entries]
    taken = taken_ids(conn, [e.id for e in with_ids if e.id])
    for index, e in enumerate(with_ids):
        if e.id in taken and not entries[index].id:
            new = random_id()
            while new in taken:
                new = random_id()
            with_ids[index] = e.replace(id=new)
    now_ts = to_ts(now)
    insert_rows(conn, [row_values(e, now_ts) for e in with_ids])
    return with_ids


def find_entry(conn: Conn, ref: str) -> Entry:
    """An entry by its id, or by a unique prefix of at least four characters, taken literally."""
    ref = ref.strip().lower()
    row = conn.execute(f"{SELECT_ENTRY} WHERE id = :id", {"id": ref}).fetchone()
    if row is None and len(ref) >= MIN_PREFIX:
        # Not LIKE: "_" and "%" in a reference are characters, not patterns.
        query = f"{SELECT_ENTRY} WHERE id >= :prefix AND substr(id, 1, :n) = :prefix ORDER BY id"
        rows = conn.execute(f"{query} LIMIT 2", {"prefix": ref, "n": len(ref)}).fetchall()
        if len(rows) > 1:
            raise StoreInputError(
                f"the id '{ref}' matches several entries",
                reason="ambiguous-id",
                hint="give more characters",
            )
        row = rows[0] if rows else None
    if row is None:
        raise StoreInputError(f"no entry with id '{ref}'", reason="no-such-id")
    return entry_from_row(row)


def find_entries(conn: Conn, refs: Iterable[str]) -> list[Entry]:
    """The entries behind ``refs``, each once, in the order first named."""
    found: dict[str, Entry] = {}
    for ref in refs:
        entry = find_entry(conn, ref)
        found.setdefault(entry.id or "", entry)
    return list(found.values())


def replace_entry(conn: Conn, entry: Entry, now: datetime) -> None:
    values = row_values(entry, to_ts(now))
    del values["created_ts"]
    assignments = ", ".join(f"{k} = :{k}" for k in values if k != "id")
    conn.execute(f"UPDATE entries SET {assignments} WHERE id = :id", values)


def delete_entries(conn: Conn, ids: Iterable[str]) -> int:
    total = 0
    ids = list(ids)
    for i in range(0, len(ids), IN_CHUNK):
        names, params = in_list("id", ids[i : i + IN_CHUNK])
        total += conn.execute(f"DELETE FROM entries WHERE id IN ({names})", params).rowcount
    return total


def list_entries(conn: Conn, where: EntryFilter) -> list[Entry]:
    """The entries ``where`` selects, ordered by start, then id."""
    condition, params = where.sql()
    # ``+start_ts``: sort the rows found, rather than walk the start_ts index from the first
    # entry ever — a recent period of a long history is then read from the end_ts index.
    rows = conn.execute(f"{SELECT_ENTRY} WHERE {condition} ORDER BY +start_ts, id", params)
    return [entry_from_row(r) for r in rows if where.keeps_tags(r[6])]


def same_series(conn: Conn, entry: Entry) -> list[Entry]:
    """Every entry of ``entry``'s recurring series (same calendar and UID; excluded instances
    too), or, for an entry that comes from no calendar, every entry with the same title."""
    if entry.uid is not None:
        query = f"{SELECT_ENTRY} WHERE calendar = :calendar AND uid = :uid ORDER BY start_ts, id"
        params: dict[str, Any] = {"calendar": entry.calendar, "uid": entry.uid}
    else:
        query = f"{SELECT_ENTRY} WHERE title = :title AND uid IS NULL ORDER BY start_ts, id"
        params = {"title": entry.title}
    return [entry_from_row(r) for r in conn.execute(query, params)]


def iter_all_entries(conn: Conn) -> Iterator[Entry]:
    for row in conn.execute(f"{SELECT_ENTRY} ORDER BY start_ts, id"):
        yield entry_from_row(row)


def span_rows(conn: Conn, where: EntryFilter) -> list[SpanRow]:
    """The report's input: the counted entries ``where`` selects, in time order.

    The rows are the driver's plain tuples in :class:`SpanRow`'s order (index them, do not
    name their fields): a report reads 100,000 of them, and making a named tuple of each
    costs more than reading it.
    """
    condition, params = where.sql()
    if conn.is_sqlite and not where.calendar:
        # SQLite would walk the start index from the first entry ever (the period's start
        # is a condition on end_ts OR start_ts), fetching each row out of order: reading
        # the table in storage order and sorting here is faster for any period, and keeps
        # the same order (entries that start together in the order they were stored).
        query = f"SELECT {SPAN_COLUMNS} FROM entries NOT INDEXED WHERE {condition}"
        rows = sorted(conn.execute(query, params).fetchall(), key=itemgetter(0))
    else:
        query = f"SELECT {SPAN_COLUMNS} FROM entries WHERE {condition} ORDER BY start_ts"
        rows = list(conn.execute(query, params).fetchall())
    if where.tag:
        rows = [r for r in rows if where.keeps_tags(r[5])]
    return rows


def category_spans(
    conn: Conn, where: EntryFilter, categories: Sequence[str], direct: Iterable[str]
) -> list[tuple[int, int, int]]:
    """The counted entries ``where`` selects as ``(start, end, code)``, in no set order:
    ``code`` is the index of the entry's category in ``categories`` times two, plus one
    when its origin is one of ``direct`` (negative for a category not in ``categories``).

    For a report that prints hours per category only: three integers a row are cheaper to
    read than the origin, category, activity and tags as text (a long report reads
    100,000 of them).
    """
    condition, params = where.sql()
    names: list[str] = []
    for index, category in enumerate(categories):
        params[f"category_{index}"] = str(category)
        names.append(f"WHEN :category_{index} THEN {2 * index}")
    origins = []
    for index, origin in enumerate(sorted(direct)):
        params[f"direct_{index}"] = str(origin)
        origins.append(f":direct_{index}")
    code = (
        f"(CASE category {' '.join(names)} ELSE -2 END)"
        f" + (CASE WHEN origin IN ({', '.join(origins) or 'NULL'}) THEN 1 ELSE 0 END)"
    )
    # NOT INDEXED: as in span_rows, reading the table in storage order is faster than
    # walking an index over the period
    table = "entries NOT INDEXED" if conn.is_sqlite and not where.calendar else "entries"
    tags = ", tags" if where.tag else ""
    query = f"SELECT start_ts, end_ts, {code}{tags} FROM {table} WHERE {condition}"
    found: list[tuple[int, int, int]] = list(conn.execute(query, params).fetchall())
    if where.tag:  # the exact tag test behind the SQL pre-selection
        found = [row[:3] for row in found if where.keeps_tags(row[3])]  # type: ignore[misc]
    return found


# --------------------------------------------------------------------------- classification


def feature_rows(conn: Conn) -> list[FeatureRow]:
    """What the rules look at, for every entry without a manual classification."""
    query = (
        f"SELECT {FEATURE_COLUMNS} FROM entries"
        " WHERE decided_by IS NULL OR decided_by <> :manual ORDER BY id"
    )
    from leadtime.store.rows import FeatureRow

    return [FeatureRow(*r) for r in conn.execute(query, {"manual": MANUAL})]


def reclassify(
    conn: Conn,
    fingerprint: str,
    classify: Callable[[Sequence[Any]], list[Classification]],
    *,
    fields: Collection[str] | None = None,
    force: bool = False,
) -> int | None:
    """Re-run the rules over every entry that has no manual classification.

    Does nothing (returns None) when the stored classifications were made by the same
    rules (``fingerprint``); otherwise returns how many entries changed category or
    activity. ``classify`` turns rows that begin with the :class:`FeatureRow` columns into
    classifications, in order; it reads only ``fields`` of the Features (None: all), and
    the columns it does not read are not fetched.
    """
    if not force and get_meta(conn, RULES_FINGERPRINT) == fingerprint:
        return None
    if fields is not None and "weekday" not in fields and conn.is_sqlite and _UPDATE_FROM:
        changed = _reclassify_groups(conn, classify, fields)
    else:
        changed = _reclassify_rows(conn, classify, fields)
    set_meta(conn, RULES_FINGERPRINT, fingerprint)
    return changed


# UPDATE ... FROM arrived in SQLite 3.33 (2020).
_UPDATE_FROM = tuple(int(part) for part in sqlite_version.split(".")[:2]) >= (3, 33)
_NOT_MANUAL = "(entries.decided_by IS NULL OR entries.decided_by <> :manual)"


def _reclassify_rows(
    conn: Conn,
    classify: Callable[[Sequence[Any]], list[Classification]],
    fields: Collection[str] | None,
) -> int:
    """Classify every entry's row and write each changed decision back by its id."""
    query = (  # in the table's own order: each decision is matched to its row by position
        f"SELECT {feature_columns(fields)}, category, activity, decided_by FROM entries"
        f" WHERE {_NOT_MANUAL}"
    )
    rows = conn.execute(query, {"manual": MANUAL}).fetchall()
    decisions = classify(rows)  # rows begin with the FeatureRow columns
    changes = []
    changed = 0
    # The rules hand the same few Classification objects to many rows: read each once.
    stored: dict[int, tuple[str, str | None, str | None]] = {}
    for row, decision in zip(rows, decisions, strict=True):
        new = stored.get(id(decision))
        if new is None:
            new = stored[id(decision)] = (
                decision.category.value, decision.activity, decision.decided_by
            )  # fmt: skip
        if new != tuple(row[11:14]):
            if new[:2] != tuple(row[11:13]):
                changed += 1
            changes.append((row[0], decision))
    apply_classifications(conn, changes)
    return changed


def _reclassify_groups(
    conn: Conn,
    classify: Callable[[Sequence[Any]], list[Classification]],
    fields: Collection[str],
) -> int:
    """Classify each distinct combination of what the rules read once, and let SQLite give
    every entry its combination's decision: a long history repeats itself (100,000 entries
    hold a few thousand combinations), and no entry's row has to reach Python."""
    select, keys = feature_groups(fields)
    # The table is read twice: let the second pass find it in memory (the cache is a cap
    # of 64 MB, not an allocation).
    conn.execute("PRAGMA cache_size = -65536")
    groups = conn.execute(
        f"SELECT DISTINCT {select} FROM entries WHERE {_NOT_MANUAL}", {"manual": MANUAL}
    ).fetchall()
    decisions = classify(groups)
    names = [f"k{i}" for i in range(len(keys))]
    for statement in _GROUPS_SETUP:
        conn.execute(statement.format(keys=", ".join(names)))
    conn.executemany(
        f"INSERT INTO temp.decisions VALUES ({', '.join(':' + n for n in names)},"
        " :category, :activity, :rule)",
        [
            {**{n: group[p] for n, (p, _) in zip(names, keys, strict=True)},
             "category": c.category.value, "activity": c.activity, "rule": c.decided_by}
            for group, c in zip(groups, decisions, strict=True)
        ],
    )  # fmt: skip
    same = " AND ".join(f"d.{n} IS {expr}" for n, (_, expr) in zip(names, keys, strict=True))
    conn.execute(
        "UPDATE entries SET category = d.category, activity = d.activity, decided_by = d.rule"
        f" FROM temp.decisions AS d WHERE {same} AND {_NOT_MANUAL} AND (entries.category IS"
        " NOT d.category OR entries.activity IS NOT d.activity OR entries.decided_by IS NOT"
        " d.rule)",
        {"manual": MANUAL},
    )
    moved = int(conn.execute("SELECT n FROM temp.moved").fetchone()[0])
    for statement in _GROUPS_TEARDOWN:
        conn.execute(statement)
    return moved


# Each combination's decision, and a count of the entries whose category or activity the
# update changes (a trigger counts them as the one pass over the table goes: a second pass
# to count them would cost as much again). All temporary: this connection's, and gone with
# the transaction if it fails.
_GROUPS_TEARDOWN = (
    "DROP TRIGGER IF EXISTS temp.count_moved",
    "DROP TABLE IF EXISTS temp.moved",
    "DROP TABLE IF EXISTS temp.decisions",
)
_GROUPS_SETUP = (
    *_GROUPS_TEARDOWN,
    "CREATE TEMP TABLE decisions ({keys}, category, activity, rule)",
    "CREATE INDEX temp.decisions_keys ON decisions ({keys})",
    "CREATE TEMP TABLE moved (n INTEGER NOT NULL)",
    "INSERT INTO temp.moved VALUES (0)",
    "CREATE TEMP TRIGGER count_moved AFTER UPDATE OF category, activity ON main.entries"
    " WHEN OLD.category IS NOT NEW.category OR OLD.activity IS NOT NEW.activity"
    " BEGIN UPDATE moved SET n = n + 1; END",
)


def apply_classifications(conn: Conn, changes: Sequence[tuple[str, Classification]]) -> None:
    """Store many entries' classifications at once (the rules' work; times unchanged)."""
    rows = [
        {"k": entry_id, "category": c.category.value, "activity": c.activity, "rule": c.decided_by}
        for entry_id, c in changes
    ]
    statement = (
        "UPDATE entries SET category = :category, activity = :activity, decided_by = :rule"
        " WHERE id = :k"
    )
    for i in range(0, len(rows), CHUNK):
        conn.executemany(statement, rows[i : i + CHUNK])


def set_classification(conn: Conn, entry_id: str, c: Classification, now: datetime) -> None:
    conn.execute(
        "UPDATE entries SET category = :category, activity = :activity, decided_by = :rule,"
        " updated_ts = :now WHERE id = :id",
        {"category": c.category.value, "activity": c.activity, "rule": c.decided_by,
         "now": to_ts(now), "id": entry_id},
    )  # fmt: skip


def existing_keys(
    conn: Conn, entries: Sequence[Entry]
) -> tuple[set[str], set[tuple[str | None, str | None, str]]]:
    """Which of these entries' ids, and calendar keys, the database already holds."""
    known_ids = taken_ids(conn, [e.id for e in entries if e.id])
    calendars = sorted({e.calendar for e in entries if e.calendar})
    known_keys: set[tuple[str | None, str | None, str]] = set()
    if calendars:
        names, params = in_list("cal", calendars)
        query = f"SELECT calendar, uid, recurrence_id FROM entries WHERE calendar IN ({names})"
        known_keys = {(r[0], r[1], r[2] or "") for r in conn.execute(query, params)}
    return known_ids, known_keys
