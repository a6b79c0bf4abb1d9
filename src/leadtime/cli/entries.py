"""Looking at and correcting entries: ``ls``, ``edit``, ``rm``, ``classify``."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum

import typer

from leadtime.app import entries as app
from leadtime.app.listing import EntryQuery, list_entries
from leadtime.cli.daily import describe
from leadtime.cli.options import (
    from_option,
    note,
    period,
    say,
    to_option,
    tz_option,
    week_option,
    weeks_option,
    workspace,
)
from leadtime.entry import Category, Origin
from leadtime.errors import UsageError


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def ls(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    category: Category | None = typer.Option(None, "--category", "-c", help="Only this category."),
    source: Origin | None = typer.Option(None, "--source", "-s", help="Only this origin."),
    calendar: str | None = typer.Option(None, "--calendar", help="Only this calendar."),
    tag: str | None = typer.Option(None, "--tag", "-t", metavar="TAG", help="Only this tag."),
    excluded: bool = typer.Option(
        False, "--excluded", help="Show the calendar events that do not count, and why."
    ),
    tz: str | None = tz_option(),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """List entries (default: the current week) with their ids and categories.

    Examples:

      leadtime ls

      leadtime ls --week "last week" --category hands-on --format csv
    """
    from leadtime.render import entries as render

    ws = workspace(ctx, tz=tz)
    query = EntryQuery(period(week, weeks, from_, to), category, source, calendar, tag, excluded)
    found = list_entries(ws, query)
    if fmt is ListFormat.json:
        from leadtime.app.transfer import entry_record

        say(json.dumps([entry_record(e) for e in found], indent=2, ensure_ascii=False))
    elif fmt is ListFormat.csv:
        typer.echo(render.entries_csv(found), nl=False)
    else:
        render.print_entries(found, ws.tz, ws.now, excluded=excluded)


def edit(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID"),
    title: str | None = typer.Option(None, "--title", metavar="TEXT"),
    start_: str | None = typer.Option(None, "--start", "--from", metavar="WHEN"),
    end: str | None = typer.Option(None, "--end", "--to", metavar="WHEN"),
    duration: str | None = typer.Option(None, "--duration", metavar="DURATION"),
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", metavar="TAG", help="Replaces the tags."
    ),
    note_: str | None = typer.Option(None, "--note", "-n", metavar="TEXT"),
) -> None:
    """Change a logged entry's title, times, tags or note.

    Examples:

      leadtime edit 97gr --title "Reviewed the auth RFC (v2)"

      leadtime edit 97gr --start 14:00 --duration 1h
    """
    from leadtime.timeparse import parse_moment
    from leadtime.units import parse_duration

    ws = workspace(ctx)

    def when(text: str | None) -> datetime | None:
        return parse_moment(text, now=ws.now, tz=ws.tz) if text else None

    changes = app.Changes(
        title=title,
        start=when(start_),
        end=when(end),
        duration=parse_duration(duration) if duration else None,
        tags=app.parse_tags(tag) if tag is not None else None,
        note=note_,
    )
    changed = app.edit_entry(ws, entry_id, changes)
    say(f"updated {describe(changed, ws.tz)}")


def rm(
    ctx: typer.Context,
    entry_ids: list[str] = typer.Argument(..., metavar="ID..."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
) -> None:
    """Remove entries; asks first unless --yes.

    Example:

      leadtime rm 97gr 3k2m --yes
    """
    ws = workspace(ctx)
    found = app.find_entries(ws, entry_ids)
    for entry in found:
        say(describe(entry, ws.tz))
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("rm asks before removing; nothing was removed", hint="add --yes")
        count = "1 entry" if len(found) == 1 else f"{len(found)} entries"
        if not typer.confirm(f"Remove {count}?", default=False):
            say("nothing removed")
            return
    removed = app.remove_entries(ws, found)
    say(f"removed {removed} {'entry' if removed == 1 else 'entries'}")
    imported = sum(1 for e in found if e.origin.imported)
    if imported:
        note(
            f"{imported} came from an import and return on the next one; decline them "
            "at their source, or classify them as 'other'"
        )


def classify(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID"),
    category: str | None = typer.Argument(None, metavar="CATEGORY[:ACTIVITY]"),
    clear: bool = typer.Option(False, "--clear", help="Forget the manual choice; rules decide."),
) -> None:
    """Classify an entry yourself; your choice beats every rule and survives re-imports.

    Examples:

      leadtime classify 97gr leadership:review

      leadtime classify 97gr --clear
    """
    if clear == bool(category):
        raise UsageError(
            "give a CATEGORY[:ACTIVITY] or --clear",
            hint="leadtime classify ab12cd34 leadership:review",
        )
    choice = app.parse_classification(category) if category else None
    ws = workspace(ctx)
    decided = app.classify_entry(ws, entry_id, choice)
    say(f"classified {describe(decided, ws.tz)}")


def register(cli: typer.Typer) -> None:
    for command in (ls, edit, rm, classify):
        cli.command(rich_help_panel="Entries")(command)
