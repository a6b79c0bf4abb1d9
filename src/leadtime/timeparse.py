"""Read the durations, moments, dates and weeks that users type, and format them back.

Every function here is pure: "now" and the time zone are parameters, the wall clock is
never read. Wall times are interpreted in the given IANA zone with pendulum; moments are
returned as aware UTC ``datetime`` values (see :func:`leadtime.clock.utc`).

Conventions a user will notice:

* A bare number is minutes (``90`` is 1h30m). Decimal hours are rounded to the nearest
  whole minute (``1.33h`` is 80 minutes).
* A weekday name means the most recent such day on or before today in the time zone
  (``fri`` on a Friday is today): a log records what already happened.
* A day without a time means the start of that day (00:00 local time).
* A wall time alone (``14:00``, ``2pm``) is today, even if it is later than now.
* A wall time that does not exist because clocks jump forward (Europe/Berlin
  2026-03-29 02:30) is moved forward by the length of the jump (03:30 CEST). A wall time
  that happens twice because clocks go back (Europe/Berlin 2026-10-25 02:30) is the later
  of the two (02:30 CET, after the change). Both are pendulum's defaults.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from leadtime.clock import (
    RANGE_HINT,
    in_years,
    iso_monday,
    local_date,
    parse_iso,
    utc,
    wall_time,
    week_of,
)
from leadtime.errors import UsageError
from leadtime.units import WEEKDAY_NAMES, parse_duration

__all__ = ["parse_date", "parse_moment", "parse_week"]

MOMENT_HINT = (
    "use now, 14:00, 2pm, 2:30pm, today 9:00, yesterday 14:00, mon 9:30, 2026-11-20 14:00, "
    "2026-11-20T14:00+01:00, -30m or 2h ago"
)
DATE_HINT = "use 2026-11-20, today, yesterday or a weekday (mon, tuesday, ...)"
WEEK_HINT = "use 2026-W47, W47, this week, last week or a date in the week (2026-11-20, today)"

# ``14:00``, ``9:30``, ``14:00:30``; ``2pm``, ``2:30 pm``, ``12am``.
_CLOCK_RE = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?")
_MERIDIEM_RE = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>am|pm)")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_PREFIX_RE = re.compile(r"\d{4}-?\d{2}")
_WEEK_RE = re.compile(r"(?:(?P<year>\d{4})-?)?w(?P<week>\d{1,2})")


_Day = TypeVar("_Day", date, datetime)


def _in_range(value: _Day, text: str) -> _Day:
    """``value`` when it lies in the years leadtime keeps; a clear usage error otherwise."""
    if not in_years(value.year):
        raise UsageError(f"{text!r} is out of range", hint=RANGE_HINT)
    return value


def _normalise(text: str) -> str:
    """Lower case, surrounding whitespace removed, inner runs of whitespace made one space."""
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------- days


def _local_today(now: datetime, tz: str) -> date:
    """Today's date in ``tz`` at the instant ``now``."""
    return local_date(now, tz)


def _read_day(text: str, today: date) -> date | None:
    """The day ``text`` (already normalised) names, or ``None`` when it names none.

    Raises:
        ValueError: the text has the shape of an ISO date but is not a real day.
    """
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text in WEEKDAY_NAMES:
        return today - timedelta(days=(today.weekday() - WEEKDAY_NAMES[text]) % 7)
    if _ISO_DATE_RE.fullmatch(text):
        return date.fromisoformat(text)
    return None


def parse_date(text: str, *, now: datetime, tz: str) -> date:
    """Read a calendar day: ``2026-11-20``, ``today``, ``yesterday`` or a weekday name.

    ``today`` is today in ``tz`` at ``now``. A weekday (``mon``, ``monday``, ``fri``...) is the
    most recent such day on or before today: on a Friday, ``fri`` is today.

    Raises:
        UsageError: the text names no day, or an impossible one (``2026-02-30``).
    """
    today = _local_today(now, tz)
    try:
        day = _read_day(_normalise(text), today)
    except ValueError:
        day = None
    if day is None:
        raise UsageError(f"cannot read {text!r} as a date", hint=DATE_HINT)
    return _in_range(day, text)


# --------------------------------------------------------------------------- moments


def _read_clock(text: str) -> time | None:
    """The wall time ``text`` spells (``14:00``, ``9:30``, ``2pm``, ``2:30 pm``), or ``None``."""
    clock = _CLOCK_RE.fullmatch(text)
    if clock:
        hour, minute = int(clock["hour"]), int(clock["minute"])
        second = int(clock["second"] or 0)
    else:
        meridiem = _MERIDIEM_RE.fullmatch(text)
        if meridiem is None:
            return None
        hour, minute, second = int(meridiem["hour"]), int(meridiem["minute"] or 0), 0
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem["half"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _read_relative(text: str) -> timedelta | None:
    """How far back ``-30m`` / ``30m ago`` / ``2 hours ago`` reaches, or ``None`` for other text."""
    if text.startswith("-"):
        amount = text[1:]
    elif text.endswith(" ago"):
        amount = text[: -len(" ago")]
    else:
        return None
    try:
        return parse_duration(amount)
    except UsageError:
        raise ValueError("not a duration") from None


def _read_moment(text: str, now: datetime, today: date, tz: str) -> datetime | None:
    """The UTC instant ``text`` (already normalised) names, or ``None`` when it names none."""
    if text == "now":
        return utc(now)
    back = _read_relative(text)
    if back is not None:
        return utc(now) - back
    clock = _read_clock(text)
    if clock is not None:
        return wall_time(today, clock, tz)
    day = _read_day(text, today)
    if day is not None:
        return wall_time(day, time(0), tz)
    day_text, _, clock_text = text.partition(" ")
    if clock_text:
        day = _read_day(day_text, today)
        clock = _read_clock(clock_text)
        if day is not None and clock is not None:
            return wall_time(day, clock, tz)
    if _ISO_PREFIX_RE.match(text):
        return parse_iso(text, tz)
    return None


def parse_moment(text: str, *, now: datetime, tz: str) -> datetime:
    """Read a point in time and return it as an aware UTC ``datetime``.

    Accepted forms (any case):

    * ``now``; ``-30m``, ``30m ago``, ``2h ago`` (any :func:`parse_duration` form) before now;
    * a wall time today: ``14:00``, ``9:30``, ``2pm``, ``2:30pm`` (a bare ``9`` is not a time);
    * a day, optionally followed by a wall time: ``today 9:00``, ``yesterday 14:00``,
      ``mon 9:30``, ``friday 16:00``, ``2026-11-20 14:00``; a day alone is its 00:00;
    * ISO 8601: ``2026-11-20T14:00`` (wall time in ``tz``), ``2026-11-20T14:00Z`` and
      ``2026-11-20T14:00+05:30`` (the offset is honoured, ``tz`` is not used).

    A weekday is the most recent such day on or before today in ``tz``. Wall times are read
    in ``tz``; one skipped by a DST jump is moved forward by the jump, one that happens twice
    is the later occurrence (pendulum's defaults).

    Raises:
        UsageError: the text is none of the forms above.
    """
    normalised = _normalise(text)
    today = _local_today(now, tz)
    try:
        value = _read_moment(normalised, now, today, tz) if normalised else None
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise UsageError(f"cannot read {text!r} as a time", hint=MOMENT_HINT)
    return _in_range(value, text)


# --------------------------------------------------------------------------- weeks


def _week_monday(year: int, week: int, text: str) -> date:
    """Monday of ISO week ``week`` of ``year``; a week the year does not have is an error."""
    try:
        return iso_monday(year, week)
    except ValueError as reason:
        raise UsageError(f"cannot read {text!r} as a week: {reason}", hint=WEEK_HINT) from None


def parse_week(text: str, *, now: datetime, tz: str) -> date:
    """Read an ISO week and return its Monday.

    Accepted forms (any case): ``2026-W47``, ``2026W47``; ``W47`` (week 47 of the ISO year
    that today belongs to in ``tz``); ``this week``, ``last week``; and any day that
    :func:`parse_date` reads (the week that contains it). Week 53 is accepted only in years
    that have one (2026 does, 2027 does not).

    Raises:
        UsageError: the text names no week, or a week the year does not have.
    """
    normalised = _normalise(text)
    today = _local_today(now, tz)
    this_monday = week_of(today)
    if normalised == "this week":
        return this_monday
    if normalised == "last week":
        return this_monday - timedelta(days=7)
    match = _WEEK_RE.fullmatch(normalised)
    if match:
        year = int(match["year"]) if match["year"] else today.isocalendar().year
        return _in_range(_week_monday(year, int(match["week"]), text), text)
    try:
        day = _read_day(normalised, today)
    except ValueError:
        day = None
    if day is None:
        raise UsageError(f"cannot read {text!r} as a week", hint=WEEK_HINT)
    return _in_range(week_of(day), text)
