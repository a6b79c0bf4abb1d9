"""The weekly split report: per ISO week, the folded minutes per category and a verdict.

Input is plain :class:`Span` tuples in Unix seconds, as the store reads them. The work is
one pass that cuts every span at the week boundaries, then one overlap sweep per week
(:mod:`leadtime.reports.fold`). Minutes are carried as exact fractions until the end, so a
share that is exactly 64.95% is displayed, and judged, as 65.0%.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

from leadtime.reports.fold import START, Folding, event_slot, sweep
from leadtime.reports.weeks import iso_label, local_midnight, spans_window, week_of
from leadtime.units import decimal_of, percent, round_half_up

__all__ = [
    "CATEGORIES",
    "NO_ACTIVITY",
    "UNCLASSIFIED_WARNING_SHARE",
    "Report",
    "Span",
    "Verdict",
    "WeekRecord",
    "aggregate_record",
    "band",
    "build_report",
    "percent",
    "round_half_up",
    "spans_window",
    "to_json_dict",
    "verdict_for",
    "week_json",
]

CATEGORIES = ("leadership", "hands-on", "other", "unclassified")
DIRECT_ORIGINS = frozenset({"log", "timer"})
NO_ACTIVITY = "(none)"  # the activity label of time that has no activity
UNCLASSIFIED_WARNING_SHARE = Fraction(1, 10)  # flag when unclassified > 10% of the total

_INDEX = {name: i for i, name in enumerate(CATEGORIES)}
_Key = tuple[str, str | None]  # (category, activity)
# The low bits of a week's events that hold the slot. A week's moments (seconds since it
# began) are below 2**20, so its events fit a machine digit (2**30) with 256 keys.
_WEEK_SHIFT = 10
_ZERO = Fraction(0)


class Span(NamedTuple):
    """A counted entry as the store reads it: Unix seconds and its classification."""

    start: int
    end: int
    origin: str  # "log" | "timer" | "ics"
    category: str  # one of CATEGORIES
    activity: str | None


class Verdict(StrEnum):
    """How a week's leadership share compares with the target (the JSON values)."""

    ON_TARGET = "on-target"
    TOO_HANDS_ON = "too-hands-on"
    TOO_HANDS_OFF = "too-hands-off"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        """The verdict as a person reads it: ``on target``, ``too hands-on``."""
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.ON_TARGET: "on target",
    Verdict.TOO_HANDS_ON: "too hands-on",
    Verdict.TOO_HANDS_OFF: "too hands-off",
    Verdict.NOT_ENOUGH_DATA: "not enough data",
}


# --------------------------------------------------------------------------- numbers


def band(target: float, tolerance: float) -> tuple[Decimal, Decimal]:
    """The passing range of displayed percentages, both ends inclusive: 70 ± 5 -> (65, 75)."""
    middle, half = decimal_of(target) * 100, decimal_of(tolerance) * 100
    return middle - half, middle + half


def verdict_for(
    share: float | None,
    classified_minutes: float | Fraction,
    *,
    target: float,
    tolerance: float,
    min_hours: float,
) -> Verdict:
    """Judge a leadership share against ``target ± tolerance`` at the displayed precision.

    ``not-enough-data`` when there is no classified (leadership + hands-on) time or less
    than ``min_hours`` of it. Otherwise the share is rounded as displayed (:func:`percent`)
    and compared with :func:`band`, both ends passing.
    """
    needed = decimal_of(min_hours) * 60
    if share is None or classified_minutes <= 0 or decimal_of(classified_minutes) < needed:
        return Verdict.NOT_ENOUGH_DATA
    low, high = band(target, tolerance)
    shown = percent(share)
    if shown < low:
        return Verdict.TOO_HANDS_ON
    if shown > high:
        return Verdict.TOO_HANDS_OFF
    return Verdict.ON_TARGET


# --------------------------------------------------------------------------- records


def _minutes(seconds: Fraction) -> float:
    return float(seconds / 60)


def _share(leadership: Fraction, hands_on: Fraction) -> float | None:
    classified = leadership + hands_on
    return float(leadership / classified) if classified else None


@dataclass(frozen=True)
class WeekRecord:
    """One ISO week of the report (or, from :func:`aggregate_record`, several as one).

    Attributes:
        week: the ISO label, ``2026-W47`` (``2026-W44..2026-W47`` for an aggregate).
        start, end: the Monday and the Sunday (both inclusive).
        complete: the week has ended at ``now`` in the report zone.
        minutes: folded minutes for each of the four categories (all keys present).
        leadership_share: leadership / (leadership + hands-on); None without such time.
        double_booked_minutes: minutes that overlapping entries would have counted twice:
            the sum of their lengths minus the length of their union.
        verdict: a :class:`Verdict` value.
        activities: minutes per activity for each category that has time; time without
            an activity is listed as ``(none)``. Largest first.
    """

    week: str
    start: date
    end: date
    complete: bool
    minutes: dict[str, float]
    leadership_share: float | None
    double_booked_minutes: float
    verdict: str
    activities: dict[str, dict[str, float]]
    exact_seconds: tuple[Fraction, ...] | None = field(default=None, compare=False, repr=False)

    def seconds(self) -> tuple[Fraction, ...]:
        """Exact seconds per category (from the minutes when the record was built by hand)."""
        if self.exact_seconds is not None:
            return self.exact_seconds
        return tuple(Fraction(self.minutes.get(name, 0.0)) * 60 for name in CATEGORIES)

    @property
    def total_minutes(self) -> float:
        """All folded minutes of the week, every category."""
        return _minutes(sum(self.seconds(), _ZERO))

    @property
    def classified_minutes(self) -> float:
        """Leadership plus hands-on minutes: the time the share is computed from."""
        seconds = self.seconds()
        return _minutes(seconds[0] + seconds[1])

    @property
    def unclassified_share(self) -> float | None:
        """Unclassified minutes / all minutes; None for an empty week."""
        seconds = self.seconds()
        total = sum(seconds, _ZERO)
        return float(seconds[3] / total) if total else None

    @property
    def unclassified_warning(self) -> bool:
        """More than 10% of the week's time is unclassified."""
        seconds = self.seconds()
        total = sum(seconds, _ZERO)
        return bool(total) and seconds[3] / total > UNCLASSIFIED_WARNING_SHARE


def _sum_seconds(weeks: tuple[WeekRecord, ...]) -> tuple[Fraction, ...]:
    """Exact seconds per category over ``weeks``.

    Weeks share few denominators, so the numerators are summed per denominator as plain
    integers and only those few sums are added as fractions.
    """
    by_denominator: list[dict[int, int]] = [{} for _ in CATEGORIES]
    for record in weeks:
        for found, seconds in zip(by_denominator, record.seconds(), strict=True):
            denominator = seconds.denominator
            found[denominator] = found.get(denominator, 0) + seconds.numerator
    return tuple(sum((Fraction(n, d) for d, n in found.items()), _ZERO) for found in by_denominator)


@dataclass(frozen=True)
class Report:
    """The weeks of a period, oldest first, with the target they are judged against."""

    timezone: str
    target: float
    tolerance: float
    min_hours: float
    weeks: tuple[WeekRecord, ...]

    def _total_seconds(self) -> tuple[Fraction, ...]:
        return self._exact_totals

    @cached_property
    def _exact_totals(self) -> tuple[Fraction, ...]:
        return _sum_seconds(self.weeks)

    @property
    def totals(self) -> dict[str, float]:
        """Folded minutes per category over the whole period."""
        return {
            name: _minutes(s) for name, s in zip(CATEGORIES, self._total_seconds(), strict=True)
        }

    @property
    def average_share(self) -> float | None:
        """The period's leadership share, from its totals (not a mean of weekly shares)."""
        seconds = self._total_seconds()
        return _share(seconds[0], seconds[1])

    @property
    def double_booked_minutes(self) -> float:
        """Minutes of double-booked time folded over the period."""
        return sum(record.double_booked_minutes for record in self.weeks)

    @property
    def unclassified_share(self) -> float | None:
        """Unclassified minutes / all minutes over the period; None when there are none."""
        seconds = self._total_seconds()
        total = sum(seconds, _ZERO)
        return float(seconds[3] / total) if total else None

    @property
    def unclassified_warning(self) -> bool:
        """More than 10% of the period's time is unclassified."""
        seconds = self._total_seconds()
        total = sum(seconds, _ZERO)
        return bool(total) and seconds[3] / total > UNCLASSIFIED_WARNING_SHARE

    @property
    def current_week(self) -> WeekRecord | None:
        """The week in progress, when the period includes it."""
        return next((record for record in self.weeks if not record.complete), None)


# --------------------------------------------------------------------------- building


def build_report(
    spans: Iterable[Span | tuple[int, int, str, str, str | None]],
    mondays: Sequence[date],
    *,
    tz: str,
    now: datetime,
    target: float = 0.70,
    tolerance: float = 0.05,
    min_hours: float = 4.0,
) -> Report:
    """Fold ``spans`` into one :class:`WeekRecord` per Monday in ``mondays``.

    ``spans`` may be :class:`Span` values or the store's plain tuples; spans outside the
    weeks are ignored, spans across a week boundary are split there, zero-length spans count
    nothing. ``now`` (aware) decides which weeks are complete. ``target`` and ``tolerance``
    are fractions (0.70, 0.05); ``min_hours`` is the classified time a week needs for a
    verdict.
    """
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}")
    weeks = sorted({week_of(monday) for monday in mondays})
    starts = [local_midnight(monday, tz) for monday in weeks]
    ends = [local_midnight(monday + timedelta(days=7), tz) for monday in weeks]
    rows = spans if isinstance(spans, list | tuple) else list(spans)
    keys: list[_Key] = []
    classes: set[bool] = set()
    shift = _WEEK_SHIFT
    events = _week_events(rows, starts, ends, shift, keys, classes)
    if events is None:  # too many activities for the compact events: make room
        shift = (len({(row[3], row[4]) for row in rows}) * 4 - 1).bit_length()
        keys.clear()
        classes.clear()
        events = _week_events(rows, starts, ends, shift, keys, classes)
        assert events is not None
    mixed = len(classes) > 1
    now_ts = now.timestamp()
    records = tuple(
        _week_record(
            monday,
            sweep(week_events, shift, keys, mixed=mixed),
            complete=week_end <= now_ts,
            target=target,
            tolerance=tolerance,
            min_hours=min_hours,
        )
        for monday, week_end, week_events in zip(weeks, ends, events, strict=True)
    )
    return Report(tz, target, tolerance, min_hours, records)


def _week_events(
    spans: Sequence[Span | tuple[int, int, str, str, str | None]],
    starts: list[int],
    ends: list[int],
    shift: int,
    keys: list[_Key],
    classes: set[bool],
) -> list[list[int]] | None:
    """Cut the spans at the week boundaries into the sweep's events, one list per week.

    ``keys`` receives the ``(category, activity)`` of each key index, ``classes`` whether
    direct and calendar pieces were seen. None when there are more keys than ``shift``
    leaves room for.
    """
    count = len(starts)
    events: list[list[int]] = [[] for _ in starts]
    if not count:
        return events
    limit = 1 << shift
    slots: dict[tuple[str, str | None, str], int] = {}
    index: dict[_Key, int] = {}
    first, last = starts[0], ends[-1]
    # the week of the previous span: spans come in time order, so mostly the same again
    week_start, week_end, append = starts[0], ends[0], events[0].append
    for start, end, origin, category, activity in spans:
        if end <= start or end <= first or start >= last:
            continue
        slot = slots.get((category, activity, origin))
        if slot is None:
            key = (category, activity)
            kid = index.get(key)
            if kid is None:
                kid = index[key] = len(keys)
                keys.append(key)
            if 4 * kid >= limit:
                return None
            direct = origin in DIRECT_ORIGINS
            classes.add(direct)
            slot = slots[category, activity, origin] = event_slot(kid, direct)
        if week_start <= start and end <= week_end:  # the common case: inside the same week
            append((start - week_start) << shift | slot | START)
            append((end - week_start) << shift | slot)
            continue
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= ends[i]:  # inside another week
            week_start, week_end, append = starts[i], ends[i], events[i].append
            append((start - week_start) << shift | slot | START)
            append((end - week_start) << shift | slot)
            continue
        i = max(i, 0)
        while i < count and starts[i] < end:  # across week boundaries
            piece_start = max(start, starts[i])
            piece_end = min(end, ends[i])
            if piece_start < piece_end:
                events[i].append((piece_start - starts[i]) << shift | slot | START)
                events[i].append((piece_end - starts[i]) << shift | slot)
            i += 1
    return events


def _week_record(
    monday: date,
    folding: Folding[_Key],
    *,
    complete: bool,
    target: float,
    tolerance: float,
    min_hours: float,
) -> WeekRecord:
    # Exact arithmetic on integers over the folding's common denominator; int / int is
    # correctly rounded, so every float below is the nearest one to the exact value.
    per_minute = folding.denominator * 60
    weights = [0] * len(CATEGORIES)
    per_activity: list[dict[str, int]] = [{} for _ in CATEGORIES]
    for (category, activity), weight in folding.weights.items():
        index = _INDEX.get(category)
        if index is None:
            raise ValueError(f"unknown category {category!r}")
        weights[index] += weight
        label = NO_ACTIVITY if activity is None else activity
        found = per_activity[index]
        found[label] = found.get(label, 0) + weight
    activities = {
        name: {
            label: weight / per_minute
            for label, weight in sorted(found.items(), key=lambda item: (-item[1], item[0]))
        }
        for name, found in zip(CATEGORIES, per_activity, strict=True)
        if found
    }
    leadership, hands_on = weights[0], weights[1]
    share = leadership / (leadership + hands_on) if leadership + hands_on else None
    return WeekRecord(
        week=iso_label(monday),
        start=monday,
        end=monday + timedelta(days=6),
        complete=complete,
        minutes={name: w / per_minute for name, w in zip(CATEGORIES, weights, strict=True)},
        leadership_share=share,
        double_booked_minutes=folding.double_booked / 60,
        verdict=verdict_for(
            share,
            Fraction(leadership + hands_on, per_minute),
            target=target,
            tolerance=tolerance,
            min_hours=min_hours,
        ).value,
        activities=activities,
        exact_seconds=tuple(Fraction(w, folding.denominator) for w in weights),
    )


def aggregate_record(report: Report) -> WeekRecord:
    """The report's weeks as one record, judged as one (``check --average``).

    The share comes from the summed minutes. The record needs ``min_hours`` of classified
    time per week it covers, so averaging cannot stretch a few hours over many weeks.
    Its label is ``first..last`` (just the week's label for a single week).
    """
    weeks = report.weeks
    if not weeks:
        raise ValueError("a report without weeks has no aggregate")
    seconds = report._total_seconds()
    activities: dict[str, dict[str, float]] = {}
    for record in weeks:
        for name, found in record.activities.items():
            into = activities.setdefault(name, {})
            for label, minutes in found.items():
                into[label] = into.get(label, 0.0) + minutes
    label = weeks[0].week if len(weeks) == 1 else f"{weeks[0].week}..{weeks[-1].week}"
    share = _share(seconds[0], seconds[1])
    return WeekRecord(
        week=label,
        start=weeks[0].start,
        end=weeks[-1].end,
        complete=all(record.complete for record in weeks),
        minutes={name: _minutes(s) for name, s in zip(CATEGORIES, seconds, strict=True)},
        leadership_share=share,
        double_booked_minutes=report.double_booked_minutes,
        verdict=verdict_for(
            share,
            (seconds[0] + seconds[1]) / 60,
            target=report.target,
            tolerance=report.tolerance,
            min_hours=report.min_hours * len(weeks),
        ).value,
        activities={
            name: dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
            for name, found in activities.items()
        },
        exact_seconds=seconds,
    )


# --------------------------------------------------------------------------- JSON


def week_json(record: WeekRecord) -> dict[str, Any]:
    """One week record in the SPEC §6 JSON form (minutes to 0.1, share to 4 decimals)."""
    share = record.leadership_share
    return {
        "week": record.week,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "complete": record.complete,
        "minutes": {name: round_half_up(record.minutes.get(name, 0.0), 1) for name in CATEGORIES},
        "leadership_share": None if share is None else round_half_up(share, 4),
        "double_booked_minutes": round_half_up(record.double_booked_minutes, 1),
        "verdict": str(record.verdict),
        "activities": {
            name: {label: round_half_up(minutes, 1) for label, minutes in found.items()}
            for name, found in record.activities.items()
        },
    }


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the stable JSON interface of SPEC §6."""
    return {
        "timezone": report.timezone,
        "target": report.target,
        "tolerance": report.tolerance,
        "weeks": [week_json(record) for record in report.weeks],
    }
