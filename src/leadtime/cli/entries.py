"""Looking at and correcting entries: ``ls``, ``edit``, ``rm``, ``classify``."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from leadtime.app import entries as app
from leadtime.app.listing import EntryQuery, list_days, list_entries
from leadtime.app.workspace import Workspace
from leadtime.cli.daily import describe
from leadtime.cli.options import (
    console,
    from_option,
    note,
    period,
    say,
    to_option,
    tz_option,
    warn,
    week_option,
    weeks_option,
    workspace,
)
from leadtime.entry import Category, Origin
from leadtime.errors import UsageError
from leadtime.text import to_json

if TYPE_CHECKING:
    from rich.console import RenderableType


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
    no_pager: bool = typer.Option(False, "--no-pager", help="Print, even on a terminal."),
) -> None:
    """List entries (default: the current week) by day, with ids, tags, categories and
    each day's total as the report counts it. On a terminal the table goes through $PAGER.

    Examples:

      leadtime ls

      leadtime ls --week "last week" --category hands-on --format csv
    """
    from leadtime.render import entries as render

    ws = workspace(ctx, tz=tz)
    query = EntryQuery(period(week, weeks, from_, to), category, source, calendar, tag, excluded)
    if fmt is ListFormat.json:
        from leadtime.app.transfer import entry_record

        found = list_entries(ws, query)
        say(to_json([entry_record(e) for e in found], indent=2))
    elif fmt is ListFormat.csv:
        typer.echo(render.entries_csv(list_entries(ws, query)), nl=False)
    else:
        groups = list_days(ws, query)
        show(render.entries_table(groups, ws.tz, ws.now, excluded=excluded), paged=not no_pager)


def stdout_is_terminal() -> bool:
    """Whether the output goes to a terminal (a pipe or a file is never paged)."""
    return sys.stdout.isatty()


def show(renderable: RenderableType, *, paged: bool) -> None:
    """Print ``renderable``; on a terminal through the pager as ``git log`` does: ``$PAGER``
    (default ``less``, with ``LESS=FRX`` unless ``LESS`` is set, so that a short output is
    simply printed). An empty ``PAGER`` or ``cat`` means no pager."""
    out = console()
    pager = os.environ.get("PAGER", "less").strip()
    if not paged or pager in ("", "cat") or not stdout_is_terminal():
        out.print(renderable, soft_wrap=True)
        return
    with out.capture() as captured:
        out.print(renderable, soft_wrap=True)
    if not page(captured.get(), pager):
        out.print(renderable, soft_wrap=True)


def page(text: str, pager: str) -> bool:
    """Run the shell command ``pager`` with ``text`` on its input; False when it could not
    be started (nothing was shown)."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        process = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the user quit the pager before the end
        pass
    except KeyboardInterrupt:
        process.terminate()
    return process.wait() != 127  # the shell's "command not found"


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
    """Change a logged entry's title, times, tags or note; without options, in $EDITOR.

    Examples:

      leadtime edit 97gr

      leadtime edit 97gr --title "Reviewed the auth RFC (v2)"

      leadtime edit 97gr --start 14:00 --duration 1h
    """
    from leadtime.timeparse import parse_moment
    from leadtime.units import parse_duration

    ws = workspace(ctx)
    if all(value is None for value in (title, start_, end, duration, tag, note_)):
        edit_in_editor(ws, entry_id)
        return

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


def interactive() -> bool:
    """Whether a person can answer: the input and the output are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _editor() -> str | None:
    for name in ("VISUAL", "EDITOR"):
        chosen = os.environ.get(name, "").strip()
        if chosen:
            return chosen
    return None


def _usual_editor() -> str:
    """The editor of a terminal where none is set (as git and Click choose it)."""
    import shutil

    return next((e for e in ("sensible-editor", "vim", "nano") if shutil.which(e)), "vi")


def edit_in_editor(ws: Workspace, entry_id: str) -> None:
    """Open the entry in $VISUAL or $EDITOR (as a TOML document), and save what comes back
    once it is valid; an invalid edit is offered again on a terminal."""
    from leadtime.app import editing
    from leadtime.errors import LeadtimeError

    editor = _editor()
    terminal = interactive()
    if editor is None:
        if not terminal:
            raise UsageError(
                "edit without options opens $EDITOR, and none is set",
                hint=f'set EDITOR, or give the changes: leadtime edit {entry_id} --title "..." '
                "--start WHEN --end WHEN --tag TAG --note TEXT",
            )
        editor = _usual_editor()

    def again(exc: LeadtimeError) -> bool:
        warn(f"{exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
        return typer.confirm("Edit it again?", default=True)

    done = editing.edit_in_editor(ws, entry_id, editor, again if terminal else None)
    if done.gave_up:
        say("nothing changed")
    elif not done.saved:
        say(f"no changes; {done.entry.id} is as it was")
    else:
        say(f"updated {describe(done.entry, ws.tz)}")


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


class DayFormat(StrEnum):
    table = "table"
    json = "json"


def day(
    ctx: typer.Context,
    when: str | None = typer.Argument(
        None, metavar="[DATE]", help="2026-11-20, yesterday, mon (default: today)."
    ),
    tz: str | None = tz_option(),
    fmt: DayFormat = typer.Option(DayFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """One day: its entries in time order, the gaps in your working hours, double-booked
    time, and the day's split, counted as the report counts it.

    Examples:

      leadtime day

      leadtime day yesterday --format json
    """
    from leadtime.app.day import day_view
    from leadtime.render import day as render

    ws = workspace(ctx, tz=tz)
    found = day_view(ws, when)
    if fmt is DayFormat.json:
        say(to_json(render.day_json(found), indent=2))
    else:
        console().print(render.day_table(found))


def register(cli: typer.Typer) -> None:
    for command in (ls, day, edit, rm, classify):
        cli.command(rich_help_panel="Entries")(command)
