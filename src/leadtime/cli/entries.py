"""Looking at and correcting entries: ``ls``, ``edit``, ``rm``, ``classify``."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.app.workspace import Workspace
from leadtime.cli.daily import describe
from leadtime.cli.out import confirm, deliver, interactive, note, say, warn
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from leadtime.app.periods import Period


def period(week: str | None, weeks: int | None, first: str | None, last: str | None) -> Period:
    from leadtime.app.periods import Period

    return Period(week, weeks, first, last)


def ls(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    from_: str | None,
    to: str | None,
    category: str | None,
    source: str | None,
    calendar: str | None,
    tag: str | None,
    excluded: bool,
    format: str,
    no_pager: bool,
) -> None:
    from leadtime.app.listing import EntryQuery, list_days, list_entries
    from leadtime.entry import Category, Origin
    from leadtime.render import entries as render

    query = EntryQuery(
        period(week, weeks, from_, to),
        Category(category) if category else None,
        Origin(source) if source else None,
        calendar,
        tag,
        excluded,
    )
    if format == "json":
        from leadtime.app.transfer import entry_record
        from leadtime.jsonout import dumps

        say(dumps([entry_record(e) for e in list_entries(ws, query)]))
    elif format == "csv":
        sys.stdout.write(render.entries_csv(list_entries(ws, query)))
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
    from leadtime.render.console import console

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
    ws: Workspace,
    *,
    entry_id: str,
    title: str | None,
    start: str | None,
    end: str | None,
    duration: str | None,
    tag: list[str],
    note: str | None,
) -> None:
    from leadtime.app import entries as app
    from leadtime.app.spans import moment
    from leadtime.units import parse_duration

    if all(value is None for value in (title, start, end, duration, note)) and not tag:
        edit_in_editor(ws, entry_id)
        return

    def when(text: str | None) -> datetime | None:
        return moment(ws, text) if text else None

    changes = app.Changes(
        title=title,
        start=when(start),
        end=when(end),
        duration=parse_duration(duration) if duration else None,
        tags=app.parse_tags(tag) if tag else None,
        note=note,
    )
    changed = app.edit_entry(ws, entry_id, changes)
    say(f"updated {describe(changed, ws.tz)}")


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
        return confirm("Edit it again?", default=True)

    done = editing.edit_in_editor(ws, entry_id, editor, again if terminal else None)
    if done.gave_up:
        say("nothing changed")
    elif not done.saved:
        say(f"no changes; {done.entry.id} is as it was")
    else:
        say(f"updated {describe(done.entry, ws.tz)}")


def rm(ws: Workspace, *, entry_ids: list[str], yes: bool) -> None:
    from leadtime.app import entries as app

    found = app.find_entries(ws, entry_ids)
    for entry in found:
        say(describe(entry, ws.tz))
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("rm asks before removing; nothing was removed", hint="add --yes")
        count = "1 entry" if len(found) == 1 else f"{len(found)} entries"
        if not confirm(f"Remove {count}?", default=False):
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
    ws: Workspace, *, entry_id: str, category: str | None, clear: bool, series: bool
) -> None:
    from leadtime.app import entries as app

    if clear == bool(category):
        raise UsageError(
            "give a CATEGORY[:ACTIVITY] or --clear",
            hint="leadtime classify ab12cd34 leadership:review",
        )
    choice = app.parse_classification(category) if category else None
    done = app.classify_entry(ws, entry_id, choice, series=series)
    say(f"classified {describe(done.entry, ws.tz)}")
    if done.series:
        what = "of its series" if done.series == "series" else "with the same title"
        count = len(done.others)
        say(f"and {count} other {'entry' if count == 1 else 'entries'} {what}")


def day(ws: Workspace, *, when: str | None, format: str, output: Path | None, force: bool) -> None:
    from leadtime.app.day import day_view
    from leadtime.render import day as render
    from leadtime.render.console import console

    if output is not None and format == "table":
        raise UsageError("-o writes json or html", hint="add --format html")
    found = day_view(ws, when)
    if format == "html":
        from leadtime.render.pictures import day_page

        deliver(ws, day_page(found), output, force=force)
    elif format == "json":
        from leadtime.jsonout import dumps

        deliver(ws, dumps(render.day_json(found)) + "\n", output, force=force)
    else:
        console().print(render.day_table(found))
