"""Moving data: the entry record (one mapping each way), export, and restore.

The record is what ``export`` writes, ``restore`` reads and ``ls --format json`` shows:
every stored field of an entry as JSON-ready values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from leadtime.app.entries import check_entry
from leadtime.app.workspace import Workspace
from leadtime.entry import Category, Classification, Entry, Exclusion, Origin, utc
from leadtime.errors import InputError
from leadtime.text import to_json

EXPORT_FORMAT = "leadtime-export"
EXPORT_VERSION = 1
MAX_EXPORT_LINE = 1_000_000  # characters; a longer line is not an entry

RECORD_FIELDS = (
    "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by",
)  # fmt: skip


def _instant(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def entry_record(entry: Entry) -> dict[str, Any]:
    """Every stored field of an entry, as JSON-ready values."""
    c = entry.classification
    return {
        "id": entry.id,
        "start": _instant(entry.start),
        "end": _instant(entry.end),
        "minutes": round(entry.minutes, 2),
        "title": entry.title,
        "note": entry.note,
        "location": entry.location,
        "tags": list(entry.tags),
        "origin": entry.origin.value,
        "calendar": entry.calendar,
        "uid": entry.uid,
        "recurrence_id": entry.recurrence_id,
        "organizer": entry.organizer,
        "attendees": entry.attendees,
        "excluded": entry.excluded.value if entry.excluded else None,
        "category": c.category.value,
        "activity": c.activity,
        "decided_by": c.decided_by,
    }


def _text(record: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = record.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key} is missing")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string")
    return value


def _moment(record: dict[str, Any], key: str) -> datetime:
    text = _text(record, key, required=True)
    assert text is not None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{key} has no time zone")
    return utc(value)


def entry_from_record(record: Any, now: datetime) -> Entry:
    """The entry a record describes, checked as every entry is (:func:`check_entry`).

    Raises:
        ValueError: a field is missing, unknown or of the wrong type, or the entry is not
            one leadtime would store.
    """
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    entry_id = _text(record, "id", required=True)
    if not entry_id or not entry_id.isalnum() or len(entry_id) > 16:
        raise ValueError("id must be a short string of letters and digits")
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(
        isinstance(t, str) and t.strip() and "," not in t for t in tags
    ):
        raise ValueError("tags must be a list of non-empty strings without commas")
    attendees = record.get("attendees") or 0
    if not isinstance(attendees, int) or isinstance(attendees, bool) or attendees > 100_000:
        raise ValueError("attendees must be a whole number")
    title = _text(record, "title", required=True)
    excluded = _text(record, "excluded")
    entry = Entry(
        id=entry_id.lower(),
        start=_moment(record, "start"),
        end=_moment(record, "end"),
        title=title or "",
        origin=Origin(_text(record, "origin", required=True) or ""),
        note=_text(record, "note") or "",
        location=_text(record, "location") or "",
        tags=tuple(tags),
        calendar=_text(record, "calendar"),
        uid=_text(record, "uid"),
        recurrence_id=_text(record, "recurrence_id"),
        organizer=_text(record, "organizer"),
        attendees=attendees,
        excluded=Exclusion(excluded) if excluded else None,
        classification=Classification(
            Category(_text(record, "category") or "unclassified"),
            _text(record, "activity"),
            _text(record, "decided_by"),
        ),
    )
    try:
        return check_entry(entry, now)
    except InputError as exc:
        raise ValueError(exc.message) from None


# --------------------------------------------------------------------------- export


def export_lines(ws: Workspace) -> tuple[list[Entry], str]:
    """Every entry, and the JSONL export text (a header line, then one record per line)."""
    from leadtime.store import iter_all_entries

    with ws.database.read() as conn:
        entries = list(iter_all_entries(conn))
    header = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": _instant(ws.now)}
    lines = [to_json(header)]
    lines += [to_json(entry_record(e)) for e in entries]
    return entries, "\n".join(lines) + "\n"


def all_entries(ws: Workspace) -> list[Entry]:
    from leadtime.store import iter_all_entries

    with ws.database.read() as conn:
        return list(iter_all_entries(conn))


# --------------------------------------------------------------------------- restore


def parse_export(text: str, label: str, now: datetime) -> list[Entry]:
    """Every entry of a JSONL export; any bad line rejects the whole file, naming the line."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise InputError(f"{label} is empty")
    try:
        header = json.loads(lines[0][1]) if len(lines[0][1]) < MAX_EXPORT_LINE else None
    except (json.JSONDecodeError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise InputError(
            f"{label} is not a leadtime export",
            hint="restore reads what 'leadtime export --format jsonl' writes",
        )
    if header.get("version") != EXPORT_VERSION:
        raise InputError(f"{label}: export version {header.get('version')!r} is not supported")
    entries: list[Entry] = []
    seen: set[str | None] = set()
    for number, line in lines[1:]:
        try:
            if len(line) > MAX_EXPORT_LINE:
                raise ValueError("the line is too long")
            entry = entry_from_record(json.loads(line), now)
        except (json.JSONDecodeError, RecursionError, KeyError, TypeError, ValueError) as exc:
            problem = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
            raise InputError(
                f"{label}:{number}: bad entry: {problem}; nothing was restored"
            ) from None
        if entry.id in seen:
            raise InputError(f"{label}:{number}: the id {entry.id} appears twice")
        seen.add(entry.id)
        entries.append(entry)
    return entries


@dataclass(frozen=True)
class Restored:
    added: int
    present: int


def restore(ws: Workspace, entries: Sequence[Entry]) -> Restored:
    """Add the entries that are not present yet (same id, or same calendar key), in one
    transaction. Their classifications are made by the current rules (manual choices are
    kept), so the stored classifications stay current: nothing to re-classify afterwards."""
    from leadtime.store import RULES_FINGERPRINT, add_entries, existing_keys, get_meta

    ws.refresh()  # the stored entries are current before new ones join them
    classified = ws.classify_many(list(entries))
    with ws.database.write() as conn:
        if get_meta(conn, RULES_FINGERPRINT) != ws.fingerprint:
            raise InputError("the rules changed while restoring; nothing was restored")
        known_ids, known_keys = existing_keys(conn, classified)
        new = [
            e
            for e in classified
            if e.id not in known_ids
            and (e.calendar is None or (e.calendar, e.uid, e.recurrence_id or "") not in known_keys)
        ]
        add_entries(conn, new, ws.now)
    return Restored(len(new), len(entries) - len(new))
