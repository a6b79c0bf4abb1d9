"""Moving data: export every stored field, and restore an export (a backup, another machine)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from leadtime.cli.common import CSV_FIELDS, console, entries_csv, entry_record, get_state
from leadtime.entry import Category, Classification, Entry, Exclusion, Origin
from leadtime.errors import InputError

EXPORT_FORMAT = "leadtime-export"
EXPORT_VERSION = 1


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
) -> None:
    """Export every entry with every stored field (JSONL round-trips through 'restore')."""
    from leadtime.config import write_private_file
    from leadtime.store.queries import iter_all_entries

    state = get_state(ctx)
    with state.database.read() as conn:
        entries = list(iter_all_entries(conn))
    if fmt is ExportFormat.csv:
        text = entries_csv(entries)
    else:
        header = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
                  "exported_at": state.now.isoformat().replace("+00:00", "Z")}  # fmt: skip
        lines = [json.dumps(header)]
        lines += [json.dumps(entry_record(e), ensure_ascii=False) for e in entries]
        text = "\n".join(lines) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_private_file(output, text)
    console(stderr=True).print(f"exported {len(entries)} entries to {output}", highlight=False)


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A file written by 'leadtime export' (JSONL), or -."),
) -> None:
    """Restore entries from an export; entries already present (same id) are kept as they are."""
    from leadtime.store.queries import add_entries, existing_keys

    state = get_state(ctx)
    text = _read_export(file)
    entries = parse_export(text, str(file))
    with state.database.write() as conn:
        known_ids, known_keys = existing_keys(conn, entries)
        new = [e for e in entries if e.id not in known_ids and _key(e) not in known_keys]
        add_entries(conn, new, state.now)
    # Restored entries were classified by the rules of another time or machine.
    state.refresh_classifications(state.database, state.rules, force=True)
    skipped = len(entries) - len(new)
    console().print(
        f"restored {len(new)} entries" + (f", {skipped} already present" if skipped else ""),
        highlight=False,
    )


def _key(entry: Entry) -> tuple[str | None, str | None, str]:
    return (entry.calendar, entry.uid, entry.recurrence_id or "")


def _read_export(file: Path) -> str:
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        return data.decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{file} is not a leadtime export (not UTF-8 text)") from None


def parse_export(text: str, label: str) -> list[Entry]:
    """Every entry of a JSONL export; any bad line rejects the whole file, naming the line."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise InputError(f"{label} is empty")
    try:
        header = json.loads(lines[0][1])
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise InputError(
            f"{label} is not a leadtime export",
            hint="restore reads what 'leadtime export --format jsonl' writes",
        )
    if header.get("version") != EXPORT_VERSION:
        raise InputError(f"{label}: export version {header.get('version')} is not supported")
    entries, seen = [], set()
    for number, line in lines[1:]:
        try:
            entry = _entry_from_record(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            problem = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InputError(
                f"{label}:{number}: bad entry: {problem}; nothing was restored"
            ) from None
        if entry.id in seen:
            raise InputError(f"{label}:{number}: the id {entry.id} appears twice")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def _entry_from_record(record: dict[str, Any]) -> Entry:
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    unknown = set(record) - set(CSV_FIELDS)
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")

    def moment(key: str) -> datetime:
        value = datetime.fromisoformat(record[key])
        if value.tzinfo is None:
            raise ValueError(f"{key} has no time zone")
        from leadtime.entry import utc

        return utc(value)

    entry_id = record["id"]
    if not isinstance(entry_id, str) or not entry_id:
        raise ValueError("id must be a non-empty string")
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and "," not in t for t in tags):
        raise ValueError("tags must be a list of strings without commas")
    excluded = record.get("excluded")
    return Entry(
        id=entry_id,
        start=moment("start"),
        end=moment("end"),
        title=str(record["title"]),
        origin=Origin(record["origin"]),
        note=str(record.get("note") or ""),
        location=str(record.get("location") or ""),
        tags=tuple(tags),
        calendar=record.get("calendar"),
        uid=record.get("uid"),
        recurrence_id=record.get("recurrence_id"),
        organizer=record.get("organizer"),
        attendees=int(record.get("attendees") or 0),
        excluded=Exclusion(excluded) if excluded else None,
        classification=Classification(
            Category(record.get("category") or "unclassified"),
            record.get("activity"),
            record.get("decided_by"),
        ),
    )


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Data")(export)
    app.command(rich_help_panel="Data")(restore)
