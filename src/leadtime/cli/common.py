"""Pieces several commands share: the state, options, periods and entry listings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from leadtime.cli.state import State
from leadtime.entry import MANUAL, Category, Classification, Entry
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from leadtime.store.schema import EntryFilter

CHOOSABLE = (Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def get_state(ctx: typer.Context, *, tz: str | None = None) -> State:
    state = ctx.ensure_object(State)
    if tz:
        from leadtime.config import check_timezone

        try:
            state.tz_override = check_timezone(tz)
        except ValueError as exc:
            raise UsageError(
                f"--tz: {exc}", hint="use an IANA name such as Europe/Berlin"
            ) from None
    return state


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    # User text (titles, "[leadership:review]") is printed as it is: no markup, no highlighting.
    return Console(stderr=stderr, soft_wrap=True, markup=False, highlight=False)


def parse_classification(text: str) -> Classification:
    """``leadership``, ``hands-on:spike``, ``other:lunch`` -> a manual classification."""
    category, _, activity = text.strip().partition(":")
    try:
        chosen = Category(category.strip().lower())
    except ValueError:
        chosen = None
    if chosen not in CHOOSABLE:
        raise UsageError(
            f"unknown category '{category}'",
            hint="use leadership, hands-on or other, optionally with :ACTIVITY (hands-on:spike)",
        )
    assert chosen is not None
    return Classification(chosen, activity.strip() or None, MANUAL)


def parse_tags(tags: Sequence[str]) -> tuple[str, ...]:
    cleaned = []
    for tag in tags:
        tag = tag.strip().lstrip("#")
        if not tag or "," in tag:
            raise UsageError(f"bad tag {tag!r}", hint="one --tag per tag, without commas")
        if tag not in cleaned:
            cleaned.append(tag)
    return tuple(cleaned)


# --------------------------------------------------------------------------- periods


def week_option() -> Any:
    return typer.Option(
        None, "--week", "-w", metavar="WEEK", help="One ISO week: 2026-W47, 'last week'."
    )


def weeks_option() -> Any:
    return typer.Option(None, "--weeks", min=1, max=5200, help="The last N weeks.")


def from_option() -> Any:
    return typer.Option(None, "--from", metavar="DATE", help="First day (with --to).")


def to_option() -> Any:
    return typer.Option(None, "--to", metavar="DATE", help="Last day, inclusive.")


def resolve_weeks(
    state: State,
    week: str | None,
    weeks: int | None,
    from_: str | None,
    to: str | None,
    *,
    default: int,
    complete_only: bool = False,
) -> list[date]:
    """The Mondays of the weeks a command covers.

    ``--weeks N`` means the last N complete weeks, plus the current one unless
    ``complete_only`` (the check judges complete weeks only). ``--from/--to`` covers every
    week that overlaps the range, whole.
    """
    from leadtime.reports import weeks as wk
    from leadtime.timeparse import parse_date, parse_week

    chosen = [
        name
        for name, value in (("--week", week), ("--weeks", weeks), ("--from", from_ or to))
        if value
    ]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} cannot be combined", hint="choose one period")
    now, tz = state.now, state.tz
    if week:
        return [parse_week(week, now=now, tz=tz)]
    if from_ or to:
        first = parse_date(from_, now=now, tz=tz) if from_ else None
        last = parse_date(to, now=now, tz=tz) if to else wk.local_date(now, tz)
        if first is None:
            raise UsageError("--to needs --from", hint="--from 2026-11-01 --to 2026-11-30")
        if last < first:
            raise UsageError(f"--to {last} is before --from {first}")
        return wk.weeks_between(first, last)
    count = weeks if weeks is not None else default
    return wk.last_n_weeks(now, tz, count, include_current=not complete_only)


def period_filter(
    state: State,
    week: str | None,
    weeks: int | None,
    from_: str | None,
    to: str | None,
    *,
    default: int,
) -> EntryFilter:
    """Entries overlapping the chosen period; ``--from/--to`` are exact days here.

    ``default`` is the number of complete weeks before the current one shown when no
    period is given (0: the current week only), as in :func:`resolve_weeks`.
    """
    from leadtime.reports import weeks as wk
    from leadtime.store.schema import EntryFilter
    from leadtime.timeparse import parse_date

    if (from_ or to) and not (week or weeks):
        mondays = resolve_weeks(state, None, None, from_, to, default=default)  # validates
        first = parse_date(from_, now=state.now, tz=state.tz) if from_ else mondays[0]
        last = (
            parse_date(to, now=state.now, tz=state.tz) if to else wk.local_date(state.now, state.tz)
        )
        start, end = wk.day_bounds(first, last, state.tz)
        return EntryFilter(start_ts=start, end_ts=end)
    mondays = resolve_weeks(state, week, weeks, None, None, default=default)
    start, end = wk.spans_window(mondays, state.tz)
    return EntryFilter(start_ts=start, end_ts=end)


# --------------------------------------------------------------------------- listings


def entry_record(entry: Entry) -> dict[str, Any]:
    """Every stored field of an entry, as JSON-ready values (also the export format)."""
    c = entry.classification
    return {
        "id": entry.id,
        "start": entry.start.isoformat().replace("+00:00", "Z"),
        "end": entry.end.isoformat().replace("+00:00", "Z"),
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


CSV_FIELDS = (
    "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by",
)  # fmt: skip


def entries_csv(entries: Sequence[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        record = entry_record(entry)
        record["tags"] = ",".join(entry.tags)
        writer.writerow(record)
    return buffer.getvalue()


def print_entries(entries: Sequence[Entry], tz: str, fmt: ListFormat, *, excluded: bool) -> None:
    if fmt is ListFormat.json:
        typer.echo(json.dumps([entry_record(e) for e in entries], indent=2, ensure_ascii=False))
        return
    if fmt is ListFormat.csv:
        typer.echo(entries_csv(entries), nl=False)
        return
    from rich.table import Table

    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    out = console()
    if not entries:
        out.print("no entries excluded in this period" if excluded else "no entries in this period")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("id", "start", "time", "title", "category", "source"):
        table.add_column(name, justify="right" if name == "time" else "left")
    if excluded:
        table.add_column("excluded because")
    total = 0.0
    for e in entries:
        c = e.classification
        label = c.category.value + (f":{c.activity}" if c.activity else "")
        if c.decided_by == MANUAL:
            label += " (manual)"
        source = e.origin.value + (f":{e.calendar}" if e.calendar else "")
        row = [
            e.id or "",
            format_local(e.start, tz),
            format_duration(e.minutes),
            e.title,
            label,
            source,
        ]
        if excluded:
            row.append(e.excluded.value if e.excluded else "")
        table.add_row(*row)
        total += e.minutes
    out.print(table)
    out.print(f"{len(entries)} entries, {format_duration(total)}", highlight=False)
