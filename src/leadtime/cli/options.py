"""What the commands share: the workspace of a run, option declarations, output helpers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from leadtime.app.workspace import Workspace
from leadtime.cli.quick import note as note  # one way to print a line
from leadtime.cli.quick import say as say
from leadtime.cli.quick import warn as warn
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from leadtime.app.periods import Period


def workspace(ctx: typer.Context, *, tz: str | None = None, refresh: bool = True) -> Workspace:
    """This run's workspace; ``tz`` is the command's ``--tz``. With ``refresh`` the stored
    classifications are first brought up to date with the rules (and the user told)."""
    ws = ctx.ensure_object(Workspace)
    if tz:
        from leadtime.units import check_zone_name

        try:
            ws.tz_override = check_zone_name(tz)
        except UsageError as exc:
            raise UsageError(f"--tz: {exc.message}", hint=exc.hint) from None
    if refresh:
        from leadtime.cli.quick import refreshed

        refreshed(ws)
    return ws


def console(*, stderr: bool = False) -> Console:
    from leadtime.render.console import console as make

    return make(stderr=stderr)


def write_output(ws: Workspace, path: Path, text: str, *, force: bool) -> None:
    """Write a file the user asked for: never one of leadtime's own files, and an existing
    file only with ``--force``."""
    from leadtime.files import WriteError, write_file

    try:
        write_file(path.expanduser(), text, replace=force, protected=ws.own_files)
    except WriteError as exc:
        if exc.reason == "exists":
            exc.hint = "pass --force to replace it"
        raise


# --------------------------------------------------------------------------- options


def week_option() -> Any:
    return typer.Option(
        None, "--week", "-w", metavar="WEEK", help="One ISO week: 2026-W47, 'last week'."
    )


def weeks_option(help: str = "The last N complete weeks (and the current one).") -> Any:
    return typer.Option(None, "--weeks", metavar="N", min=1, help=help)


def from_option() -> Any:
    return typer.Option(None, "--from", metavar="DATE", help="First day (with --to).")


def to_option() -> Any:
    return typer.Option(None, "--to", metavar="DATE", help="Last day, inclusive.")


def tz_option() -> Any:
    return typer.Option(None, "--tz", metavar="ZONE", help="Time zone for weeks (IANA name).")


def tag_option() -> Any:
    return typer.Option([], "--tag", "-t", metavar="TAG", help="A tag; repeat for more.")


def note_option() -> Any:
    return typer.Option("", "--note", "-n", metavar="TEXT", help="A longer note.")


def as_option() -> Any:
    return typer.Option(
        None, "--as", metavar="CATEGORY[:ACTIVITY]", help="Classify it yourself (beats rules)."
    )


def force_option() -> Any:
    return typer.Option(False, "--force", help="Replace the file if it exists.")


def period(week: str | None, weeks: int | None, first: str | None, last: str | None) -> Period:
    from leadtime.app.periods import Period

    return Period(week, weeks, first, last)
