"""What ``log`` is told into a span of time: a duration, ``--at``, ``--from``/``--to``.

Validated here once for every front end: a duration that reads like a time of day
(``9:30``) is refused rather than logged as nine and a half hours, and an entry longer
than a working day needs a confirmation (:data:`LONG_ENTRY`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from leadtime.app.workspace import Workspace
from leadtime.errors import UsageError
from leadtime.record import record

# ``H:MM`` from this hour on reads as a clock time (9:30, 14:00), not as a duration; below
# it (1:30, 2:45) it is the duration it has always been.
CLOCK_FROM_HOUR = 5
# An entry longer than this is usually a clock time or a forgotten timer: it needs --yes.
LONG_ENTRY = timedelta(hours=8)

_CLOCK = re.compile(r"\s*(\d{1,2}):([0-5]\d)\s*")
_EXAMPLE = 'leadtime log "Design review" 45m'


@record
class Span:
    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start


def read_duration(text: str) -> timedelta:
    """A duration the user typed for an entry; ``9:30`` is refused as a time of day."""
    from leadtime.units import parse_duration

    clock = _CLOCK.fullmatch(text)
    if clock and int(clock[1]) >= CLOCK_FROM_HOUR:
        hours, minutes = int(clock[1]), int(clock[2])
        spelled = f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
        raise UsageError(
            f"{text.strip()} looks like a time of day: use --at {text.strip()}, "
            f"or {spelled} for a duration"
        )
    return parse_duration(text)


def log_span(
    ws: Workspace,
    duration: str | None,
    *,
    at: str | None = None,
    first: str | None = None,
    last: str | None = None,
) -> Span:
    """The span of a logged entry: ``duration`` ending now or starting ``at``, or
    ``first`` to ``last`` (``--from``/``--to``)."""
    if first or last:
        if not (first and last) or at or duration:
            raise UsageError(
                "--from and --to go together, without --at or a duration",
                hint='leadtime log "Design review" --from 14:00 --to 15:30',
            )
        return Span(moment(ws, first), moment(ws, last))
    if duration is None:
        raise UsageError("say how long it took", hint='leadtime log "Fixed the login bug" 45m')
    length = read_duration(duration)
    start = moment(ws, at) if at else ws.now - length
    return Span(start, start + length)


def moment(ws: Workspace, text: str) -> datetime:
    """A point in time the user typed, in the workspace's zone, relative to its now."""
    from leadtime.timeparse import parse_moment

    return parse_moment(text, now=ws.now, tz=ws.tz)


def needs_confirmation(length: timedelta) -> bool:
    return length > LONG_ENTRY


def long_entry_question(length: timedelta) -> str:
    from leadtime.units import format_duration

    return f"The entry lasts {format_duration(length.total_seconds() / 60)}. Log it?"


def refuse_long_entry(length: timedelta, *, timer: bool) -> UsageError:
    """The refusal of an entry over :data:`LONG_ENTRY` when nobody can confirm it."""
    from leadtime.units import format_duration

    lasted = format_duration(length.total_seconds() / 60)
    if timer:
        return UsageError(
            f"the timer has run {lasted}, over {LONG_ENTRY.seconds // 3600} h; nothing was logged",
            hint="if you forgot to stop it, say when you stopped: leadtime stop --at WHEN; "
            "or add --yes to log it all",
        )
    return UsageError(
        f"the entry would last {lasted}, over {LONG_ENTRY.seconds // 3600} h; nothing was logged",
        hint=f"add --yes if that is right, or give the duration you meant: {_EXAMPLE}",
    )
