"""``leadtime day``: one day's timeline, its gaps, its double-booked stretches and its split.

A day is local midnight to local midnight in the report zone. Its time is counted as the
report counts a week (:mod:`leadtime.reports.fold`): the union of the counted entries,
overlaps once, ``log``/``timer`` time taking overlapping calendar time; what lies after now
is planned, never done. :func:`fold_between` is that count for any stretch of time, and
``ls`` uses it for its daily totals, so ``ls``, ``day`` and ``report`` agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from leadtime.app.workspace import Workspace
from leadtime.clock import local_midnight, week_of
from leadtime.entry import Entry
from leadtime.reports.fold import START, event_slot, sweep
from leadtime.reports.numbers import CATEGORIES
from leadtime.reports.workhours import WorkHours

_SHIFT = 4  # room for the four categories' slots (key index << 2 | DIRECT | START)


@dataclass(frozen=True)
class Counted:
    """Folded time by category, in minutes, and what the folding saw."""

    minutes: dict[str, float]  # every category, 0.0 when it has none
    union: float  # minutes covered by at least one entry: the counted total
    double_booked: float  # minutes covered more than once, counted once

    @property
    def leadership_share(self) -> float | None:
        """leadership / (leadership + hands-on); None without classified time."""
        classified = self.minutes["leadership"] + self.minutes["hands-on"]
        return self.minutes["leadership"] / classified if classified else None


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def fold_between(entries: Sequence[Entry], low: int, high: int) -> Counted:
    """Fold the parts of ``entries`` inside the Unix seconds ``[low, high)`` by category,
    with the report's overlap rules (a stretch covered by several entries is counted once)."""
    events: list[int] = []
    slots: dict[tuple[int, bool], int] = {}
    for entry in entries:
        start, end = max(_ts(entry.start), low), min(_ts(entry.end), high)
        if start >= end:
            continue
        kid = CATEGORIES.index(entry.classification.category.value)
        slot = slots.setdefault((kid, entry.origin.direct), event_slot(kid, entry.origin.direct))
        events.append((start - low) << _SHIFT | slot | START)
        events.append((end - low) << _SHIFT | slot)
    folding = sweep(events, _SHIFT, list(CATEGORIES))
    per_minute = folding.denominator * 60
    return Counted(
        minutes={name: folding.weights.get(name, 0) / per_minute for name in CATEGORIES},
        union=folding.union / 60,
        double_booked=folding.double_booked / 60,
    )


@dataclass(frozen=True)
class DayTotal:
    """What a day's entries count: done (before now) and planned (after it), in minutes."""

    done: Counted
    planned: Counted

    @property
    def minutes(self) -> float:
        return self.done.union + self.planned.union


def day_total(entries: Sequence[Entry], low: int, high: int, now: datetime) -> DayTotal:
    """The folded time of ``entries`` within ``[low, high)``, cut at ``now``."""
    cut = min(max(_ts(now), low), high)
    return DayTotal(fold_between(entries, low, cut), fold_between(entries, cut, high))


# --------------------------------------------------------------------------- the day view


@dataclass(frozen=True)
class Stretch:
    """A stretch of the day: a gap in the working hours, or a double-booked stretch with
    the entries that share it."""

    start: datetime
    end: datetime
    entries: tuple[Entry, ...] = ()

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True)
class Day:
    """One day in the report zone, computed (see :func:`build_day`)."""

    day: date
    tz: str
    now: datetime
    entries: tuple[Entry, ...]  # the counted entries that overlap the day, in time order
    gaps: tuple[Stretch, ...]  # working time that no entry covers
    double_booked: tuple[Stretch, ...]  # where entries overlap, with which ones
    total: DayTotal
    working_minutes: float  # the working hours of the day (the ``work_hours`` setting)


def _moment(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _overlaps(entries: Sequence[Entry]) -> list[Stretch]:
    """The stretches that two or more entries cover, each with the entries covering it;
    neighbouring stretches covered by the same entries are one."""
    edges = sorted({_ts(e.start) for e in entries} | {_ts(e.end) for e in entries})
    found: list[Stretch] = []
    for low, high in pairwise(edges):
        covering = tuple(e for e in entries if _ts(e.start) < high and _ts(e.end) > low)
        if len(covering) < 2:
            continue
        if found and found[-1].end == _moment(low) and found[-1].entries == covering:
            found[-1] = Stretch(found[-1].start, _moment(high), covering)
        else:
            found.append(Stretch(_moment(low), _moment(high), covering))
    return found


def _gaps(working: list[tuple[int, int]], entries: Sequence[Entry]) -> list[Stretch]:
    """The parts of the working intervals that no entry covers."""
    covered = sorted((_ts(e.start), _ts(e.end)) for e in entries if e.end > e.start)
    gaps: list[Stretch] = []
    for low, high in working:
        cursor = low
        for start, end in covered:
            if end <= cursor or start >= high:
                continue
            if start > cursor:
                gaps.append(Stretch(_moment(cursor), _moment(start)))
            cursor = max(cursor, end)
            if cursor >= high:
                break
        if cursor < high:
            gaps.append(Stretch(_moment(cursor), _moment(high)))
    return gaps


def build_day(
    entries: Sequence[Entry], day: date, *, tz: str, now: datetime, work_hours: WorkHours
) -> Day:
    """The day view of ``day`` in ``tz`` from the counted entries that overlap it."""
    low, high = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
    inside = tuple(
        sorted(
            (e for e in entries if _ts(e.end) > low and _ts(e.start) < high and e.end > e.start),
            key=lambda e: (e.start, e.end, e.id or ""),
        )
    )
    working = [
        (max(a, low), min(b, high))
        for a, b in work_hours.intervals(week_of(day), tz)
        if a < high and b > low
    ]
    return Day(
        day=day,
        tz=tz,
        now=now,
        entries=inside,
        gaps=tuple(_gaps(working, inside)),
        double_booked=tuple(_overlaps(inside)),
        total=day_total(inside, low, high, now),
        working_minutes=sum(b - a for a, b in working) / 60,
    )


def day_view(ws: Workspace, when: str | None) -> Day:
    """``leadtime day [DATE]``: the day ``when`` names (default today) in the report zone."""
    from leadtime.clock import local_date
    from leadtime.store import EntryFilter
    from leadtime.timeparse import parse_date

    day = parse_date(when, now=ws.now, tz=ws.tz) if when else local_date(ws.now, ws.tz)
    low, high = local_midnight(day, ws.tz), local_midnight(day + timedelta(days=1), ws.tz)
    found = ws.entries(EntryFilter(start_ts=low, end_ts=high))
    return build_day(found, day, tz=ws.tz, now=ws.now, work_hours=ws.work_hours)
