"""``leadtime import`` and ``leadtime calendars``: calendars in, idempotently, in one go."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from leadtime.app.sources import KINDS, source_label
from leadtime.app.workspace import Workspace
from leadtime.cli.out import confirm, note, refreshed, say, warn
from leadtime.entry import SourceKind
from leadtime.errors import UsageError
from leadtime.secrets import mask_url
from leadtime.text import safe

if TYPE_CHECKING:
    from leadtime.app.importing import ImportOptions
    from leadtime.app.sources import Progress
    from leadtime.app.team import AutoPublished


def import_(
    ws: Workspace,
    *,
    sources: list[str],
    calendar: str | None,
    me: list[str],
    since: str | None,
    until: str | None,
    strict: bool,
    dry_run: bool,
    author: list[str],
) -> int:
    from leadtime.app.importing import ImportOptions

    options = ImportOptions(
        tuple(sources), calendar, tuple(me), since, until, strict, dry_run, tuple(author)
    )
    with ExitStack() as stack:
        return do_import(ws, options, _progress_bars(stack))


def do_import(ws: Workspace, options: ImportOptions, progress: Progress | None = None) -> int:
    """Import (or refresh everything remembered) and say what changed, source by source;
    the exit code: 4 when a remembered source could not be refreshed (the others were)."""
    from leadtime.app import importing

    try:
        outcome = importing.run_import(refreshed(ws), options, progress, _password_prompt())
    except importing.StrictRefusal as refusal:
        _warn_all(refusal.problems)
        raise
    _warn_all(outcome.problems)
    if outcome.timer_started is not None and not outcome.dry_run:
        note(safe(f"the timer '{outcome.timer_started.title}' is running, as it was there"))
    for line in outcome.notes:
        note(safe(line, newlines=False))
    verb = "would import" if outcome.dry_run else "imported"
    for done in outcome.outcomes:
        source = source_label(done.source)
        if done.unchanged:
            say(safe(f"'{done.calendar}' from {source}: unchanged", newlines=False))
            continue
        excluded = ", ".join(f"{n} {reason}" for reason, n in done.excluded.items()) or "none"
        r = done.result
        say(
            safe(
                f"{verb} '{done.calendar}' from {source}: "
                f"{KINDS[SourceKind(done.kind)].summary(done.events, done.counted)}, "
                f"excluded: {excluded}; "
                f"{r.added} added, {r.updated} updated, {r.removed} removed, "
                f"{r.unchanged} unchanged"
                + (f"; {done.warnings} warnings" if done.warnings else ""),
                newlines=False,
            )
        )
    if outcome.team is not None:
        _say_team(outcome.team)
    from leadtime.cli.failure import HINTS, fail
    from leadtime.errors import ExitCode

    for failed in outcome.failures:
        error = failed.error
        fail(
            f"'{failed.calendar}' from {source_label(failed.source)}: {error.message}",
            error.hint or HINTS.get(getattr(error, "reason", "")),
        )
    return int(ExitCode.INPUT) if outcome.failures else 0


def _say_team(team: AutoPublished) -> None:
    """The publish after an import (``team_publish = auto``): a line, or a warning."""
    if team.published is None:
        warn(safe(f"the import landed, but nothing was published: {team.failure}", newlines=False))
        return
    from leadtime.render.team import published_text

    say(safe(published_text(team.published), newlines=False))


def _password_prompt() -> Callable[[str], str] | None:
    """Ask for a CalDAV password on a terminal; elsewhere there is no one to ask."""
    if not sys.stdin.isatty():
        return None
    from leadtime.sources.caldav import terminal_prompt

    return terminal_prompt


def _warn_all(problems: Iterable[object]) -> None:
    for problem in problems:
        warn(safe(str(problem), newlines=False))


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
    from leadtime.render.console import console

    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(safe(f"reading {label}", newlines=False), total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def calendars(ws: Workspace, *, format: str) -> None:
    from leadtime.app.importing import list_calendars

    found = list_calendars(ws)
    if format == "json":
        from leadtime.jsonout import dumps, instant

        records = [
            {
                "name": c.name,
                "kind": c.kind,
                "source": mask_url(c.source),
                "last_import": instant(c.last_import) if c.last_import else None,
                "events": c.events,
                "counted": c.instances,
                "excluded": c.excluded,
            }
            for c in found
        ]
        say(dumps(records))
        return
    from leadtime.render.console import console
    from leadtime.render.sources import calendars_table

    out = console()
    if not found:
        out.print("no calendars imported yet; try 'leadtime import FILE.ics'")
        return
    out.print(calendars_table(found, ws.tz))


def calendars_rm(ws: Workspace, *, name: str, yes: bool) -> None:
    from leadtime.app.importing import find_calendar, remove_calendar

    found = find_calendar(ws, name)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "calendars rm asks before removing; nothing was removed", hint="add --yes"
            )
        question = safe(f"Remove '{found.name}' and its {found.instances} entries?")
        if not confirm(question, default=False):
            say("nothing removed")
            return
    removed = remove_calendar(ws, name)
    say(safe(f"removed '{name}' and {removed} {'entry' if removed == 1 else 'entries'}"))


def calendars_rename(ws: Workspace, *, old: str, new: str) -> None:
    from leadtime.app.importing import rename_calendar

    rename_calendar(ws, old, new)
    say(safe(f"renamed '{old}' to '{new}'"))
