"""The daily loop: ``log``, and the timer (``start``, ``stop``, ``status``, ``cancel``).

These run many times a day, often from a shell prompt: they load no framework, and
``status`` reads the timer without opening the rules or the schema machinery.
"""

from __future__ import annotations

from datetime import timedelta

from leadtime.cli.out import confirm, interactive, refreshed, say, warn
from leadtime.clock import format_local
from leadtime.text import safe

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from leadtime.app.workspace import Workspace
    from leadtime.entry import Entry


def describe(entry: Entry, tz: str) -> str:
    """``97gr8tj4  2026-11-20 16:15  45m  Reviewed the auth RFC  [leadership:rfc]``."""
    from leadtime.units import format_duration

    c = entry.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    return safe(
        f"{entry.id}  {format_local(entry.start, tz)}  {format_duration(entry.minutes)}  "
        f"{entry.title}  [{label}]",
        newlines=False,
    )


def _confirmed(length: timedelta, yes: bool, *, timer: bool) -> bool:
    """Whether an entry of ``length`` may be logged: a long one needs --yes, or a yes on a
    terminal."""
    from leadtime.app import spans
    from leadtime.entry import MAX_TRACKED

    if yes or not spans.needs_confirmation(length) or length > MAX_TRACKED:  # refused later
        return True
    if not interactive():
        raise spans.refuse_long_entry(length, timer=timer)
    return confirm(spans.long_entry_question(length), default=False)


def _warn_all(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        warn(safe(warning, newlines=False))


def log(
    ws: Workspace,
    *,
    title: str,
    duration: str | None,
    at: str | None,
    from_: str | None,
    to: str | None,
    tag: list[str],
    note: str,
    as_: str | None,
    yes: bool,
) -> None:
    from leadtime.app import entries as app
    from leadtime.app.spans import log_span
    from leadtime.clock import utc
    from leadtime.entry import Entry, Origin

    title = app.check_title(title)
    tags = app.parse_tags(tag)
    manual = app.parse_classification(as_) if as_ else None
    span = log_span(ws, duration, at=at, first=from_, last=to)
    app.check_span(utc(span.start), utc(span.end), door=app.Door.LOG)
    entry = Entry(
        start=utc(span.start), end=utc(span.end), title=title, note=note, tags=tags,
        origin=Origin.LOG,
    )  # fmt: skip
    if manual:
        entry = entry.with_classification(manual)
    if not _confirmed(span.length, yes, timer=False):
        say("nothing logged")
        return
    saved = app.log_entry(refreshed(ws), entry)
    say(f"logged {describe(saved.entry, ws.tz)}")
    _warn_all(saved.warnings)


def start(
    ws: Workspace,
    *,
    title: str,
    at: str | None,
    tag: list[str],
    note: str,
    as_: str | None,
) -> None:
    from leadtime.app import entries as app
    from leadtime.app.spans import moment

    tags = app.parse_tags(tag)
    manual = app.parse_classification(as_) if as_ else None
    begin = app.start_timer(
        refreshed(ws),
        title,
        at=moment(ws, at) if at else None,
        tags=tags,
        note=note,
        manual=manual,
    )
    say(safe(f"started '{title.strip()}' at {format_local(begin, ws.tz)}", newlines=False))


def stop(ws: Workspace, *, at: str | None, yes: bool) -> None:
    from leadtime.app import entries as app
    from leadtime.app.spans import moment

    end = moment(ws, at) if at else None
    running = app.timer_status(ws)
    if running is not None:
        length = (end or ws.now) - running.start
        if length > timedelta(0) and not _confirmed(length, yes, timer=True):
            say("the timer is still running")
            return
    saved = app.stop_timer(refreshed(ws), at=end)
    say(f"logged {describe(saved.entry, ws.tz)}")
    _warn_all(saved.warnings)


def status(ws: Workspace, *, format: str) -> None:
    from leadtime.app.entries import timer_status

    running = timer_status(ws)
    if format == "json":
        from leadtime.jsonout import dumps, instant, minutes

        record = None
        if running is not None:
            record = {
                "title": running.title,
                "start": instant(running.start),
                "minutes": minutes(running.minutes),
                "tags": list(running.tags),
            }
        say(dumps(record))
        return
    if running is None:
        say("no timer running")
        return
    from leadtime.units import format_duration

    say(
        safe(
            f"running: '{running.title}' since {format_local(running.start, ws.tz)} "
            f"({format_duration(running.minutes)})",
            newlines=False,
        )
    )


def cancel(ws: Workspace) -> None:
    from leadtime.app.entries import cancel_timer

    say(safe(f"cancelled '{cancel_timer(ws)}'", newlines=False))
