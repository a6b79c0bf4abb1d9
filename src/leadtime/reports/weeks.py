"""ISO weeks in a time zone, as epoch seconds.

A report week runs from Monday 00:00 to the next Monday 00:00, local time in the report
zone. Across a daylight-saving change a week is 167 or 169 hours long. Everything here works
on ``datetime.date`` Mondays and integer Unix seconds, so a report over ten years converts
each week boundary once instead of each entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

# The week arithmetic on dates is the clock's (one owner); here it is used on Unix seconds.
from leadtime.clock import WEEK, local_date, local_midnight, week_of
from leadtime.errors import UsageError


def week_bounds(monday: date, tz: str) -> tuple[int, int]:
    """Unix seconds of the week's start (Monday 00:00 local) and end (next Monday 00:00)."""
    return local_midnight(monday, tz), local_midnight(monday + WEEK, tz)


def spans_window(mondays: Sequence[date], tz: str) -> tuple[int, int]:
    """The range of Unix seconds ``[start, end)`` a report over ``mondays`` reads.

    An empty sequence gives ``(0, 0)``.
    """
    if not mondays:
        return 0, 0
    return local_midnight(week_of(min(mondays)), tz), local_midnight(
        week_of(max(mondays)) + WEEK, tz
    )


def day_bounds(first: date, last: date, tz: str) -> tuple[int, int]:
    """Unix seconds ``[first 00:00, the day after last 00:00)`` in ``tz`` (both days inclusive)."""
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week that overlaps ``first``..``last`` (both inclusive).

    Raises:
        UsageError: ``last`` is before ``first``.
    """
    if last < first:
        raise UsageError(f"the period ends ({last}) before it starts ({first})")
    monday, stop = week_of(first), week_of(last)
    mondays = []
    while monday <= stop:
        mondays.append(monday)
        monday += WEEK
    return mondays


def last_n_weeks(now: datetime, tz: str, n: int, *, include_current: bool = True) -> list[date]:
    """The Mondays of the last ``n`` complete weeks, oldest first, then the current week.

    ``include_current=False`` leaves the week in progress out (what the check judges).

    Raises:
        UsageError: ``n`` is negative, or zero without the current week.
    """
    if n < 0 or (n == 0 and not include_current):
        raise UsageError(f"the number of weeks must be at least 1, got {n}")
    current = week_of(local_date(now, tz))
    mondays = [current - WEEK * back for back in range(n, 0, -1)]
    if include_current:
        mondays.append(current)
    return mondays
