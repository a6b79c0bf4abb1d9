"""``leadtime import`` and ``leadtime calendars``: calendars in, idempotently, in one go."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum

import typer

from leadtime.app import importing as app
from leadtime.app.sources import Progress
from leadtime.cli import quick
from leadtime.cli.options import console, say, workspace
from leadtime.errors import UsageError
from leadtime.secrets import mask_url
from leadtime.text import safe, to_json


def import_(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        None,
        metavar="[SOURCE]...",
        help="Calendar files, - for stdin, http(s):// / webcal:// URLs; or git PATH..., "
        "watson [DIR], timewarrior [FILE|-].",
    ),
    calendar: str | None = typer.Option(
        None, "--calendar", metavar="NAME", help="Calendar name to store under."
    ),
    me: list[str] = typer.Option([], "--me", metavar="EMAIL", help="Your address (repeatable)."),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="Skip earlier events."),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help="Expand up to this day (default: horizon)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Any problem: exit 4, write nothing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    author: list[str] = typer.Option(
        [], "--author", metavar="EMAIL", help="git: whose commits (default: your 'me')."
    ),
) -> None:
    """Import calendars, git activity, or a Watson or Timewarrior history; with no SOURCE,
    re-import every remembered one.

    Examples:

      leadtime import ~/Downloads/work.ics --me dana@example.com

      leadtime import git ~/src/api ~/src/web

      leadtime import            (refresh everything remembered)
    """
    options = app.ImportOptions(
        tuple(sources or ()), calendar, tuple(me), since, until, strict, dry_run, tuple(author)
    )
    with ExitStack() as stack:
        quick.do_import(workspace(ctx, refresh=False), options, _progress_bars(stack))


def _progress_bars(stack: ExitStack) -> Progress | None:
    """A Rich progress bar per source on an interactive terminal; None elsewhere."""
    if not sys.stderr.isatty():
        return None

    def bar(label: str) -> Callable[[int, int], None]:
        return stack.enter_context(_bar(label))

    return bar


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(safe(f"reading {label}", newlines=False), total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


calendars_app = typer.Typer(
    help="The remembered calendars and other sources: list, remove, rename.\n\n"
    "Examples:\n\n  leadtime calendars\n\n  leadtime calendars rm git:old-prototype --yes",
    invoke_without_command=True,
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


@calendars_app.callback()
def calendars(
    ctx: typer.Context,
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """List remembered calendars and sources with their address, last import and counts.

    Examples:

      leadtime calendars

      leadtime calendars rm old-team --yes
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from leadtime.timeparse import format_local

    ws = workspace(ctx, refresh=False)
    found = app.list_calendars(ws)
    if fmt is ListFormat.json:
        say(
            to_json(
                [
                    {
                        "name": c.name,
                        "kind": c.kind,
                        "source": mask_url(c.source),
                        "last_import": c.last_import.isoformat().replace("+00:00", "Z")
                        if c.last_import
                        else None,
                        "events": c.events,
                        "counted": c.instances,
                        "excluded": c.excluded,
                    }
                    for c in found
                ],
                indent=2,
            )
        )
        return
    out = console()
    if not found:
        out.print("no calendars imported yet; try 'leadtime import FILE.ics'")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("calendar", "kind", "source", "last import"):
        table.add_column(column, overflow="fold")
    for column in ("events", "counted", "excluded"):
        table.add_column(column, justify="right")
    for c in found:
        when = format_local(c.last_import, ws.tz) if c.last_import else "-"
        table.add_row(
            safe(c.name), c.kind, safe(mask_url(c.source)), when,
            str(c.events), str(c.instances), str(c.excluded),
        )  # fmt: skip
    out.print(table)


@calendars_app.command("rm")
def calendars_rm(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="A remembered calendar or source."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
) -> None:
    """Forget a calendar (or git repository, Watson, Timewarrior) and remove its entries.

    Example:

      leadtime calendars rm git:old-prototype --yes
    """
    ws = workspace(ctx, refresh=False)
    found = app.find_calendar(ws, name)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "calendars rm asks before removing; nothing was removed", hint="add --yes"
            )
        if not typer.confirm(
            safe(f"Remove '{found.name}' and its {found.instances} entries?"), default=False
        ):
            say("nothing removed")
            return
    removed = app.remove_calendar(ws, name)
    say(safe(f"removed '{name}' and {removed} {'entry' if removed == 1 else 'entries'}"))


@calendars_app.command("rename")
def calendars_rename(
    ctx: typer.Context,
    old: str = typer.Argument(..., metavar="OLD"),
    new: str = typer.Argument(..., metavar="NEW"),
) -> None:
    """Rename a remembered calendar; its entries, ids and your classifications stay.

    Example:

      leadtime calendars rename work.ics work
    """
    app.rename_calendar(workspace(ctx, refresh=False), old, new)
    say(safe(f"renamed '{old}' to '{new}'"))


def register(cli: typer.Typer) -> None:
    cli.command("import", rich_help_panel="Calendars")(import_)
    cli.add_typer(calendars_app, name="calendars", rich_help_panel="Calendars")
