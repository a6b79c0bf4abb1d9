"""The daily commands without Typer: ``log``, ``start``, ``stop``, ``status``, ``cancel``,
and the bare ``import`` a cron job runs.

These run many times a day, often from a shell prompt, and loading Typer (with Click and
pydantic) costs more than the command itself. Their bodies live here, and both paths call
them: the Typer commands in :mod:`leadtime.cli.daily`, and :func:`run_quick`, which reads
the common forms of these command lines directly. Anything it does not recognise — a help
request, an unknown option, a missing argument — is left to the Typer group (``None``),
which explains it as for every other command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.app import entries as app
from leadtime.app.workspace import Workspace
from leadtime.entry import Entry, Origin, utc
from leadtime.errors import UsageError
from leadtime.text import safe, to_json

if TYPE_CHECKING:
    from leadtime.app.importing import ImportOptions
    from leadtime.app.sources import Progress

COMMANDS = ("log", "start", "stop", "status", "cancel", "import")


# --------------------------------------------------------------------------- output


def say(text: str) -> None:
    print(text)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def note(message: str) -> None:
    """A line for the user on stderr that is neither an error nor the command's output."""
    print(f"note: {message}", file=sys.stderr)


def refreshed(ws: Workspace) -> Workspace:
    """Bring the stored classifications up to date with the rules, and say so."""
    changed = ws.refresh()
    if changed:
        note(f"the rules changed: {changed} entries re-classified")
    return ws


def local_time(moment: datetime, tz: str) -> str:
    """``2026-11-20 14:00`` in the zone ``tz``."""
    from leadtime.units import zone

    return moment.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")


def describe(entry: Entry, tz: str) -> str:
    """``97gr8tj4  2026-11-20 16:15  45m  Reviewed the auth RFC  [leadership:rfc]``."""
    from leadtime.units import format_duration

    c = entry.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    return safe(
        f"{entry.id}  {local_time(entry.start, tz)}  {format_duration(entry.minutes)}  "
        f"{entry.title}  [{label}]",
        newlines=False,
    )


def _when(ws: Workspace, text: str) -> datetime:
    from leadtime.timeparse import parse_moment

    return parse_moment(text, now=ws.now, tz=ws.tz)


# --------------------------------------------------------------------------- the commands


def do_log(
    ws: Workspace,
    title: str,
    duration: str | None,
    *,
    at: str | None = None,
    from_: str | None = None,
    to: str | None = None,
    tags: Sequence[str] = (),
    note_text: str = "",
    as_: str | None = None,
) -> None:
    from leadtime.units import parse_duration

    title = app.check_title(title)
    tag_set = app.parse_tags(tags)
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
        start=utc(start), end=utc(end), title=title, note=note_text, tags=tag_set, origin=Origin.LOG
    )
    if manual:
        entry = entry.with_classification(manual)
    saved = app.log_entry(refreshed(ws), entry)
    say(f"logged {describe(saved.entry, ws.tz)}")
    for warning in saved.warnings:
        warn(safe(warning, newlines=False))


def do_start(
    ws: Workspace,
    title: str,
    *,
    at: str | None = None,
    tags: Sequence[str] = (),
    note_text: str = "",
    as_: str | None = None,
) -> None:
    tag_set = app.parse_tags(tags)
    manual = app.parse_classification(as_) if as_ else None
    begin = app.start_timer(
        refreshed(ws),
        title,
        at=_when(ws, at) if at else None,
        tags=tag_set,
        note=note_text,
        manual=manual,
    )
    say(safe(f"started '{title.strip()}' at {local_time(begin, ws.tz)}", newlines=False))


def do_stop(ws: Workspace, *, at: str | None = None) -> None:
    saved = app.stop_timer(refreshed(ws), at=_when(ws, at) if at else None)
    say(f"logged {describe(saved, ws.tz)}")


def do_status(ws: Workspace, *, as_json: bool = False) -> None:
    from leadtime.units import format_duration

    running = app.timer_status(ws)
    if as_json:
        record = None
        if running is not None:
            record = {
                "title": running.title,
                "start": running.start.isoformat().replace("+00:00", "Z"),
                "minutes": round(running.minutes, 2),
                "tags": list(running.tags),
            }
        say(to_json(record, indent=2))
        return
    if running is None:
        say("no timer running")
        return
    say(
        safe(
            f"running: '{running.title}' since {local_time(running.start, ws.tz)} "
            f"({format_duration(running.minutes)})",
            newlines=False,
        )
    )


def do_cancel(ws: Workspace) -> None:
    say(safe(f"cancelled '{app.cancel_timer(ws)}'", newlines=False))


ITEMS = {"ics": "events", "git": "commits", "watson": "frames", "timewarrior": "intervals"}
COUNTED = {"ics": "instances", "caldav": "instances", "git": "sessions"}


def do_import(ws: Workspace, options: ImportOptions, progress: Progress | None = None) -> None:
    """Import (or refresh everything remembered) and say what changed, source by source."""
    from leadtime.app import importing
    from leadtime.secrets import mask_url

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
        source = mask_url(done.source)
        if done.unchanged:
            say(safe(f"'{done.calendar}' from {source}: unchanged", newlines=False))
            continue
        excluded = ", ".join(f"{n} {reason}" for reason, n in done.excluded.items()) or "none"
        r = done.result
        say(
            safe(
                f"{verb} '{done.calendar}' from {source}: {done.events} "
                f"{ITEMS.get(done.kind, 'events')}, "
                f"{done.counted} {COUNTED.get(done.kind, 'entries')} counted, "
                f"excluded: {excluded}; "
                f"{r.added} added, {r.updated} updated, {r.removed} removed, "
                f"{r.unchanged} unchanged"
                + (f"; {done.warnings} warnings" if done.warnings else ""),
                newlines=False,
            )
        )


def _password_prompt() -> Callable[[str], str] | None:
    """Ask for a CalDAV password on a terminal; elsewhere there is no one to ask."""
    if not sys.stdin.isatty():
        return None
    from leadtime.sources.caldav import terminal_prompt

    return terminal_prompt


def _warn_all(problems: Iterable[object]) -> None:
    for problem in problems:
        warn(safe(str(problem), newlines=False))


# --------------------------------------------------------------------------- the quick path

_GLOBAL = {"--db": "db", "--rules": "rules", "--now": "now"}
_VALUES = {
    "--at": "at",
    "--from": "from",
    "--to": "to",
    "--tag": "tag",
    "-t": "tag",
    "--note": "note",
    "-n": "note",
    "--as": "as",
    "--format": "format",
    "-f": "format",
}
_ALLOWED = {
    "log": ({"at", "from", "to", "tag", "note", "as"}, (1, 2)),
    "start": ({"at", "tag", "note", "as"}, (1, 1)),
    "stop": ({"at"}, (0, 0)),
    "status": ({"format"}, (0, 0)),
    "cancel": (set(), (0, 0)),
    "import": (set(), (0, 0)),  # a bare import, as cron runs it: refresh everything remembered
}


class _NotMine(Exception):
    """The command line is not one the quick path reads: Typer takes it."""


def _split(
    argv: Sequence[str],
) -> tuple[dict[str, str], bool, str, dict[str, list[str]], list[str]]:
    """(global options, --debug, command, command options, positional arguments)."""
    args = list(argv)
    globals_: dict[str, str] = {}
    debug = False
    while args and args[0].startswith("-"):
        flag, _, value = args.pop(0).partition("=")
        if flag == "--debug" and not value:
            debug = True
        elif flag in _GLOBAL:
            if not value:
                if not args:
                    raise _NotMine
                value = args.pop(0)
            globals_[_GLOBAL[flag]] = value
        else:
            raise _NotMine
    if not args or args[0] not in COMMANDS:
        raise _NotMine
    command = args.pop(0)
    allowed, (least, most) = _ALLOWED[command]
    options: dict[str, list[str]] = {}
    positional: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--debug":
            debug = True
        elif arg.startswith("-") and arg != "-":
            flag, sep, value = arg.partition("=")
            name = _VALUES.get(flag)
            if name is None or name not in allowed:
                raise _NotMine
            if not sep:
                if not args:
                    raise _NotMine
                value = args.pop(0)
            options.setdefault(name, []).append(value)
        else:
            positional.append(arg)
    if not least <= len(positional) <= most:
        raise _NotMine
    for name, values in options.items():
        if name != "tag" and len(values) > 1:
            raise _NotMine  # Click keeps the last one; let it say so its own way
    if options.get("format", ["text"])[0] not in ("text", "json"):
        raise _NotMine
    return globals_, debug, command, options, positional


def run_quick(argv: Sequence[str]) -> int | None:
    """Run a daily command line and return its exit code, or None to leave it to Typer."""
    try:
        globals_, debug, command, options, positional = _split(argv)
    except _NotMine:
        return None
    if command == "import" and sys.stderr.isatty():
        return None  # on a terminal: the import with its progress bars
    from leadtime.cli import failure

    rules = globals_.get("rules")
    ws = Workspace(
        db_url=globals_.get("db"),
        rules_file=Path(rules) if rules else None,
        now_override=globals_.get("now"),
    )

    def one(name: str) -> str | None:
        return options.get(name, [None])[-1]

    try:
        if command == "log":
            do_log(
                ws, positional[0], positional[1] if len(positional) > 1 else None,
                at=one("at"), from_=one("from"), to=one("to"), tags=options.get("tag", []),
                note_text=one("note") or "", as_=one("as"),
            )  # fmt: skip
        elif command == "start":
            do_start(
                ws, positional[0], at=one("at"), tags=options.get("tag", []),
                note_text=one("note") or "", as_=one("as"),
            )  # fmt: skip
        elif command == "stop":
            do_stop(ws, at=one("at"))
        elif command == "status":
            do_status(ws, as_json=one("format") == "json")
        elif command == "cancel":
            do_cancel(ws)
        else:
            from leadtime.app.importing import ImportOptions

            do_import(ws, ImportOptions())
        sys.stdout.flush()
    except (Exception, KeyboardInterrupt) as exc:
        return failure.exit_code_of(exc, debug=debug)
    return 0
