"""The daily loop: ``log``, and the timer (``start``, ``stop``, ``status``, ``cancel``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import typer

from leadtime.app import entries as app
from leadtime.app.workspace import Workspace
from leadtime.cli.options import say, warn, workspace
from leadtime.entry import Entry, Origin, utc
from leadtime.errors import UsageError


def _when(ws: Workspace, text: str) -> datetime:
    from leadtime.timeparse import parse_moment

    return parse_moment(text, now=ws.now, tz=ws.tz)


def describe(entry: Entry, tz: str) -> str:
    """``97gr8tj4  2026-11-20 16:15  45m  Reviewed the auth RFC  [leadership:rfc]``."""
    from leadtime.text import safe
    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    c = entry.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    return safe(
        f"{entry.id}  {format_local(entry.start, tz)}  {format_duration(entry.minutes)}  "
        f"{entry.title}  [{label}]"
    )


def log(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What you did."),
    duration: str | None = typer.Argument(
        None, metavar="DURATION", help="How long: 45m, 1h30, 1.5h, 1:30, 90."
    ),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="When it started."),
    from_: str | None = typer.Option(None, "--from", metavar="WHEN", help="Start (with --to)."),
    to: str | None = typer.Option(None, "--to", metavar="WHEN", help="End (with --from)."),
    tag: list[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="A tag; repeat for more."),
    note: str = typer.Option("", "--note", "-n", metavar="TEXT", help="A longer note."),
    as_: str | None = typer.Option(
        None, "--as", metavar="CATEGORY[:ACTIVITY]", help="Classify it yourself (beats rules)."
    ),
) -> None:
    """Log work you did; it ends now unless --at or --from/--to say otherwise.

    Examples:

      leadtime log "Reviewed the auth RFC" 45m

      leadtime log "Fixed the login bug" 1h30 --at "yesterday 14:00" --as hands-on:bugfix
    """
    from leadtime.units import parse_duration

    ws = workspace(ctx)
    title = app.check_title(title)
    tags = app.parse_tags(tag)
    manual = app.parse_classification(as_) if as_ else None
    if from_ or to:
        if not (from_ and to) or at or duration:
            raise UsageError(
                "--from and --to go together, without --at or a duration",
                hint='leadtime log "Design review" --from 14:00 --to 15:30',
            )
        start, end = _when(ws, from_), _when(ws, to)
    else:
        if duration is None:
            raise UsageError("say how long it took", hint='leadtime log "Fixed the login bug" 45m')
        length = parse_duration(duration)
        start = _when(ws, at) if at else ws.now - length
        end = start + length
    app.check_span(utc(start), utc(end))
    entry = Entry(
        start=utc(start), end=utc(end), title=title, note=note, tags=tags, origin=Origin.LOG
    )
    if manual:
        entry = entry.with_classification(manual)
    saved = app.log_entry(ws, entry)
    say(f"logged {describe(saved.entry, ws.tz)}")
    for warning in saved.warnings:
        warn(warning)


def start(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What you are starting."),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It started earlier."),
    tag: list[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="A tag; repeat for more."),
    note: str = typer.Option("", "--note", "-n", metavar="TEXT", help="A longer note."),
    as_: str | None = typer.Option(
        None, "--as", metavar="CATEGORY[:ACTIVITY]", help="Classify it yourself (beats rules)."
    ),
) -> None:
    """Start a timer; 'leadtime stop' turns it into an entry.

    Examples:

      leadtime start "Spike: new parser" --tag parser

      leadtime start "Incident review" --at 9:30
    """
    from leadtime.text import safe
    from leadtime.timeparse import format_local

    ws = workspace(ctx)
    tags = app.parse_tags(tag)
    manual = app.parse_classification(as_) if as_ else None
    begin = app.start_timer(
        ws, title, at=_when(ws, at) if at else None, tags=tags, note=note, manual=manual
    )
    say(safe(f"started '{title.strip()}' at {format_local(begin, ws.tz)}"))


def stop(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It ended earlier."),
) -> None:
    """Stop the running timer and log it as an entry.

    Examples:

      leadtime stop

      leadtime stop --at 17:30      (you forgot to stop it)
    """
    ws = workspace(ctx)
    saved = app.stop_timer(ws, at=_when(ws, at) if at else None)
    say(f"logged {describe(saved, ws.tz)}")


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


def status(
    ctx: typer.Context,
    fmt: StatusFormat = typer.Option(StatusFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show the running timer, if any (fast enough for a shell prompt).

    Examples:

      leadtime status

      leadtime status --format json      (null when no timer runs)
    """
    from leadtime.text import safe
    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    ws = workspace(ctx, refresh=False)
    running = app.timer_status(ws)
    if fmt is StatusFormat.json:
        import json

        record = None
        if running is not None:
            record = {
                "title": running.title,
                "start": running.start.isoformat().replace("+00:00", "Z"),
                "minutes": round(running.minutes, 2),
                "tags": list(running.tags),
            }
        say(json.dumps(record, indent=2, ensure_ascii=False))
        return
    if running is None:
        say("no timer running")
        return
    say(
        safe(
            f"running: '{running.title}' since {format_local(running.start, ws.tz)} "
            f"({format_duration(running.minutes)})"
        )
    )


def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging it.

    Example:

      leadtime cancel
    """
    from leadtime.text import safe

    ws = workspace(ctx, refresh=False)
    say(safe(f"cancelled '{app.cancel_timer(ws)}'"))


def register(cli: typer.Typer) -> None:
    for command in (log, start, stop, status, cancel):
        cli.command(rich_help_panel="Log")(command)
