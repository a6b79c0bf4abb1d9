"""The daily loop: ``log``, and the timer (``start``, ``stop``, ``status``, ``cancel``).

The bodies are in :mod:`leadtime.cli.quick`, which also runs their common forms without
loading Typer; these are their Typer declarations (options, help, completion).
"""

from __future__ import annotations

from enum import StrEnum

import typer

from leadtime.cli import quick
from leadtime.cli.options import as_option, note_option, tag_option, workspace

describe = quick.describe


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


def log(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What you did."),
    duration: str | None = typer.Argument(
        None, metavar="DURATION", help="How long: 45m, 1h30, 1.5h, 1:30, 90."
    ),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="When it started."),
    from_: str | None = typer.Option(None, "--from", metavar="WHEN", help="Start (with --to)."),
    to: str | None = typer.Option(None, "--to", metavar="WHEN", help="End (with --from)."),
    tag: list[str] = tag_option(),
    note: str = note_option(),
    as_: str | None = as_option(),
) -> None:
    """Log work you did; it ends now unless --at or --from/--to say otherwise.

    Examples:

      leadtime log "Reviewed the auth RFC" 45m

      leadtime log "Fixed the login bug" 1h30 --at "yesterday 14:00"
    """
    quick.do_log(
        workspace(ctx, refresh=False), title, duration,
        at=at, from_=from_, to=to, tags=tag, note_text=note, as_=as_,
    )  # fmt: skip


def start(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What you are starting."),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It started earlier."),
    tag: list[str] = tag_option(),
    note: str = note_option(),
    as_: str | None = as_option(),
) -> None:
    """Start a timer; 'leadtime stop' turns it into an entry.

    Examples:

      leadtime start "Spike: new parser" --tag parser

      leadtime start "Incident review" --at 9:30
    """
    quick.do_start(workspace(ctx, refresh=False), title, at=at, tags=tag, note_text=note, as_=as_)


def stop(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It ended earlier."),
) -> None:
    """Stop the running timer and log it as an entry.

    Examples:

      leadtime stop

      leadtime stop --at 17:30      (you forgot to stop it)
    """
    quick.do_stop(workspace(ctx, refresh=False), at=at)


def status(
    ctx: typer.Context,
    fmt: StatusFormat = typer.Option(StatusFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show the running timer, if any (fast enough for a shell prompt).

    Examples:

      leadtime status

      leadtime status --format json      (null when no timer runs)
    """
    quick.do_status(workspace(ctx, refresh=False), as_json=fmt is StatusFormat.json)


def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging it.

    Example:

      leadtime cancel
    """
    quick.do_cancel(workspace(ctx, refresh=False))


def register(cli: typer.Typer) -> None:
    for command in (log, start, stop, status, cancel):
        cli.command(rich_help_panel="Log")(command)
