"""Moving data: the entry record (one mapping each way), export, and restore.

The record is what ``export`` writes, ``restore`` reads and ``ls --format json`` shows:
every stored field of an entry as JSON-ready values. The export's first line, its header,
also names the remembered sources (calendars, repositories, trackers), so that a restore
on a new machine brings back what ``leadtime import`` refreshes, not only what it read.

A source's address is written masked (:func:`leadtime.secrets.mask_url`): a secret feed's
token never lands in a backup. Such an address cannot be fetched, so restore does not
re-create that source; it names it, to be imported again by its address with
``--calendar NAME``, which then takes over the restored entries. Every other source comes
back as it was remembered, less what the next import rebuilds (content hashes, ETags,
sync tokens): that import reads it whole once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from leadtime.app.entries import admit
from leadtime.app.workspace import Workspace
from leadtime.clock import utc
from leadtime.entry import Category, Classification, Entry, Exclusion, Origin
from leadtime.errors import InputError
from leadtime.jsonout import dumps, instant, minutes

if TYPE_CHECKING:
    from leadtime.store import SourceInfo

EXPORT_FORMAT = "leadtime-export"
EXPORT_VERSION = 1

RECORD_FIELDS = (
    "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by",
)  # fmt: skip


def entry_record(entry: Entry) -> dict[str, Any]:
    """Every stored field of an entry, as JSON-ready values."""
    c = entry.classification
    return {
        "id": entry.id,
        "start": instant(entry.start),
        "end": instant(entry.end),
        "minutes": minutes(entry.minutes),
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


def entry_from_record(record: Any) -> Entry:
    """The entry a record describes (whether it may be stored is :func:`restore`'s to say).

    Raises:
        ValueError: a field is missing, unknown or of the wrong type.
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
    if not isinstance(attendees, int) or isinstance(attendees, bool):
        raise ValueError("attendees must be a whole number")
    title = _text(record, "title", required=True)
    excluded = _text(record, "excluded")
    return Entry(
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


# --------------------------------------------------------------------------- export


KEPT_STATE = ("authors",)  # what the user chose for a source; the rest of its state is cache


def source_record(info: SourceInfo) -> dict[str, Any]:
    """A remembered source as the export header holds it: its address masked of secrets
    (``masked`` says whether anything was), never a password, and the options the user
    chose (git's ``--author``)."""
    from leadtime.secrets import mask_url

    shown = mask_url(info.source)
    return {
        "name": info.name,
        "kind": info.kind,
        "source": shown,
        "masked": shown != info.source,
        "last_import": instant(info.last_import) if info.last_import else None,
        "events": info.events,
        "instances": info.instances,
        "excluded": info.excluded,
        "options": {key: info.state[key] for key in KEPT_STATE if key in info.state},
    }


def export_lines(ws: Workspace) -> tuple[list[Entry], str]:
    """Every entry, and the JSONL export text (a header line naming the remembered
    sources, then one record per entry)."""
    from leadtime.store import iter_all_entries, list_sources

    with ws.database.read() as conn:
        entries = list(iter_all_entries(conn))
        sources = list_sources(conn)
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": instant(ws.now),
        "sources": [source_record(info) for info in sources],
    }
    lines = [dumps(header, indent=None)]
    lines += [dumps(entry_record(e), indent=None) for e in entries]
    return entries, "\n".join(lines) + "\n"


def all_entries(ws: Workspace) -> list[Entry]:
    from leadtime.store import iter_all_entries

    with ws.database.read() as conn:
        return list(iter_all_entries(conn))


# --------------------------------------------------------------------------- restore


def _json_line(line: str) -> Any:
    """One line of an export, parsed.

    Raises:
        ValueError: not JSON, nested too deeply, or a number of thousands of digits; the
            message is one short phrase.
    """
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(str(exc)) from None
    except ValueError as exc:  # int()'s limit on digits
        raise ValueError(str(exc).split(";")[0]) from None


@dataclass(frozen=True)
class Backup:
    """What an export holds: its entries, and the sources it names."""

    entries: list[Entry]
    sources: list[SourceRecord]


@dataclass(frozen=True)
class SourceRecord:
    """A source named by an export: re-created by restore unless its address was masked."""

    info: SourceInfo
    masked: bool


def source_from_record(record: Any) -> SourceRecord:
    """The source a header record describes (:func:`source_record`).

    Raises:
        ValueError: a field is missing or of the wrong type, or the kind is unknown.
    """
    from leadtime.entry import SourceKind
    from leadtime.store import SourceInfo

    if not isinstance(record, dict):
        raise ValueError("a source is not a JSON object")
    name, kind, address = (_text(record, key, required=True) for key in ("name", "kind", "source"))
    if not name or not name.strip() or not address:
        raise ValueError("a source has no name or no address")
    if kind not in {k.value for k in SourceKind}:
        raise ValueError(f"unknown kind of source {kind!r}")
    counts = [record.get(key) or 0 for key in ("events", "instances", "excluded")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts):
        raise ValueError(f"the counts of the source {name!r} must be whole numbers")
    options = record.get("options") or {}
    if not isinstance(options, dict) or set(options) - set(KEPT_STATE):
        raise ValueError(f"unknown options of the source {name!r}")
    authors = options.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise ValueError(f"the authors of the source {name!r} must be a list of text")
    last = _moment(record, "last_import") if record.get("last_import") is not None else None
    events, instances, excluded = counts
    info = SourceInfo(name, kind or "", address, last, events, instances, excluded, dict(options))
    return SourceRecord(info, record.get("masked") is True)


def parse_export(text: str, label: str) -> Backup:
    """Every entry and source of a JSONL export; a line that is not a record of an entry
    (not JSON, a field missing, unknown or of the wrong type, an id twice), or a header
    whose sources are not, rejects the whole file, naming the line: the file is damaged,
    or not an export. (An export without sources, from an older leadtime, restores its
    entries.)"""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise InputError(f"{label} is empty")
    try:
        header = _json_line(lines[0][1])
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise InputError(
            f"{label} is not a leadtime export",
            hint="restore reads what 'leadtime export --format jsonl' writes",
        )
    if header.get("version") != EXPORT_VERSION:
        raise InputError(f"{label}: export version {header.get('version')!r} is not supported")
    listed = header.get("sources") or []
    try:
        if not isinstance(listed, list):
            raise ValueError("sources is not a list")
        sources = [source_from_record(record) for record in listed]
    except ValueError as exc:
        raise InputError(
            f"{label}:{lines[0][0]}: bad header: {exc}; nothing was restored"
        ) from None
    entries: list[Entry] = []
    seen: set[str | None] = set()
    for number, line in lines[1:]:
        try:
            entry = entry_from_record(_json_line(line))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{label}:{number}: bad entry: {exc}; nothing was restored") from None
        if entry.id in seen:
            raise InputError(f"{label}:{number}: the id {entry.id} appears twice")
        seen.add(entry.id)
        entries.append(entry)
    return Backup(entries, sources)


@dataclass(frozen=True)
class Restored:
    added: int
    present: int
    changed: tuple[str, ...] = ()  # an entry cut or left out, and why: one line each
    sources: tuple[str, ...] = ()  # the sources re-created, by name
    masked: tuple[SourceInfo, ...] = ()  # named by the export, to be imported again


def restore(ws: Workspace, backup: Backup | Sequence[Entry]) -> Restored:
    """Add the entries that are not present yet (same id, or same calendar key), and the
    sources not remembered yet (by name) whose address was not masked, in one
    transaction. The entries' classifications are made by the current rules (manual
    choices are kept), so the stored classifications stay current: nothing to
    re-classify afterwards.

    Every entry passes the validation of every door (:func:`leadtime.app.entries.admit`),
    without a judgement of "now": what an export of any leadtime database holds is
    restored as it was; an entry of an older or edited file that may not be stored is cut
    or left out, and said so.
    """
    from leadtime.store import (
        RULES_FINGERPRINT,
        add_entries,
        existing_keys,
        get_meta,
        list_sources,
        remember_source,
    )

    if not isinstance(backup, Backup):
        backup = Backup(list(backup), [])
    ws.refresh()  # the stored entries are current before new ones join them
    admitted = admit(backup.entries, now=None)
    changed = tuple(f"{entry.id} '{entry.title}': {what}" for entry, what in admitted.changed)
    classified = ws.classify_many(list(admitted.entries))
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
        remembered = {info.name for info in list_sources(conn)}
        fresh = [s for s in backup.sources if s.info.name not in remembered]
        for source in fresh:
            if not source.masked:
                remember_source(conn, source.info)
    return Restored(
        len(new),
        len(admitted.entries) - len(new),
        changed,
        tuple(s.info.name for s in fresh if not s.masked),
        tuple(s.info for s in fresh if s.masked),
    )
