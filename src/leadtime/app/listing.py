"""``leadtime ls``: the entries of a period, filtered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from leadtime.app.periods import Period, window
from leadtime.app.workspace import Workspace
from leadtime.entry import Category, Entry, Origin

if TYPE_CHECKING:
    from leadtime.app.day import DayTotal


@dataclass(frozen=True)
class EntryQuery:
    """Which entries ``ls`` shows."""

    period: Period = field(default_factory=Period)
    category: Category | None = None
    source: Origin | None = None
    calendar: str | None = None
    tag: str | None = None
    excluded: bool = False  # True: the calendar events that do not count


def list_entries(ws: Workspace, query: EntryQuery) -> list[Entry]:
    """The entries overlapping the period (default: the current week), in time order."""
    from leadtime.store import EntryFilter

    start, end = window(ws, query.period, default=0)
    where = EntryFilter(
        start_ts=start,
        end_ts=end,
        origin=query.source.value if query.source else None,
        category=query.category.value if query.category else None,
        calendar=query.calendar,
        excluded=query.excluded,
        tag=query.tag.strip().lstrip("#") if query.tag else None,
    )
    found = ws.entries(where)
    if query.category:  # in memory too, where the stored categories are stale
        found = [e for e in found if e.classification.category is query.category]
    return found


@dataclass(frozen=True)
class DayGroup:
    """The entries of ``ls`` on one local day, and what that day counts.

    An entry that crosses midnight is in the group of each day it touches. ``total`` folds
    the group's counted (not excluded) entries within the day, as ``report`` does:
    overlaps once, and only the part of an entry that falls on the day.
    """

    day: date
    entries: tuple[Entry, ...]
    total: DayTotal


def group_by_day(entries: Sequence[Entry], tz: str, now: datetime) -> list[DayGroup]:
    """Group entries (in time order) by the local days in ``tz`` they touch, in order."""
    from leadtime.app.day import day_total
    from leadtime.clock import local_date, local_midnight

    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        day = local_date(entry.start, tz)
        last = local_date(max(entry.start, entry.end - timedelta(seconds=1)), tz)
        while day <= last:
            by_day.setdefault(day, []).append(entry)
            day += timedelta(days=1)
    groups = []
    for day in sorted(by_day):
        found = by_day[day]
        low, high = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        counted = [e for e in found if e.excluded is None]
        groups.append(DayGroup(day, tuple(found), day_total(counted, low, high, now)))
    return groups


def list_days(ws: Workspace, query: EntryQuery) -> list[DayGroup]:
    """``ls`` as a table: :func:`list_entries` grouped by day, with each day's total."""
    return group_by_day(list_entries(ws, query), ws.tz, ws.now)
