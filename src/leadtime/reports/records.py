"""The frozen records a report is made of: one :class:`WeekRecord` per week, a :class:`Report`.

Minutes are floats for display and JSON; the exact seconds per category are kept beside
them (as fractions) so that totals over many weeks and shares are computed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property

from leadtime.reports.numbers import CATEGORIES, UNCLASSIFIED_WARNING_SHARE, Verdict, verdict_for

__all__ = [
    "BREAKDOWNS",
    "Report",
    "WeekRecord",
    "aggregate_record",
    "needed_hours",
    "no_minutes",
]

BREAKDOWNS = ("activity", "tag", "source")  # what ``by`` may name
_ZERO = Fraction(0)


def no_minutes() -> dict[str, float]:
    """Zero minutes for every category."""
    return dict.fromkeys(CATEGORIES, 0.0)


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
        minutes: folded minutes *done* (before ``now``) for each of the four categories
            (all keys present). The share and the verdict are computed from these.
        leadership_share: leadership / (leadership + hands-on); None without such time.
        double_booked_minutes: minutes that overlapping entries would have counted twice
            before ``now``: the sum of their lengths minus the length of their union.
        verdict: the :class:`Verdict`.
        activities: done minutes per activity for each category that has time; time
            without an activity is listed as ``(none)``. Largest first.
        planned_minutes: folded minutes per category scheduled after ``now`` (all keys
            present, all zero for a complete week).
        breakdown: with ``by="tag"`` or ``by="source"``: done minutes per tag or per
            origin for each category that has time, as ``activities``; otherwise None.
        working_minutes: working time of the week up to ``now``; None without work hours.
        accounted_minutes: the part of ``working_minutes`` covered by counted entries.
        unaccounted_minutes: ``working_minutes - accounted_minutes``: working time up to
            now with no entry.
        begun: the week has begun at ``now`` (False for a week that is all plan).
    """

    week: str
    start: date
    end: date
    complete: bool
    minutes: dict[str, float]
    leadership_share: float | None
    double_booked_minutes: float
    verdict: Verdict
    activities: dict[str, dict[str, float]]
    planned_minutes: dict[str, float] = field(default_factory=no_minutes)
    breakdown: dict[str, dict[str, float]] | None = None
    working_minutes: float | None = None
    accounted_minutes: float | None = None
    unaccounted_minutes: float | None = None
    begun: bool = True
    exact_seconds: tuple[Fraction, ...] | None = field(default=None, compare=False, repr=False)

    def seconds(self) -> tuple[Fraction, ...]:
        """Exact seconds per category (from the minutes when the record was built by hand)."""
        if self.exact_seconds is not None:
            return self.exact_seconds
        return tuple(Fraction(self.minutes.get(name, 0.0)) * 60 for name in CATEGORIES)

    @cached_property
    def total_minutes(self) -> float:
        """All folded minutes done in the week, every category."""
        return _minutes(sum(self.seconds(), _ZERO))

    @cached_property
    def classified_minutes(self) -> float:
        """Leadership plus hands-on minutes: the time the share is computed from."""
        seconds = self.seconds()
        return _minutes(seconds[0] + seconds[1])

    @property
    def planned_total(self) -> float:
        """All planned minutes of the week."""
        return sum(self.planned_minutes.values())

    @cached_property
    def unclassified_share(self) -> float | None:
        """Unclassified minutes / all minutes; None for an empty week."""
        seconds = self.seconds()
        total = sum(seconds, _ZERO)
        return float(seconds[3] / total) if total else None

    @cached_property
    def unclassified_warning(self) -> bool:
        """More than 10% of the week's time is unclassified."""
        seconds = self.seconds()
        if not seconds[3]:
            return False
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


def _optional_sum(values: list[float | None]) -> float | None:
    return None if any(value is None for value in values) else sum(v or 0.0 for v in values)


@dataclass(frozen=True)
class Report:
    """The weeks of a period, oldest first, with the target they are judged against.

    ``by`` is the breakdown the records carry (``activity``, ``tag``, ``source``) or None.
    ``several_tags``: with ``by="tag"``, some entry carries several tags, and counts in full
    under each (a week's tag rows then add up to more than its hours).
    """

    timezone: str
    target: float
    tolerance: float
    min_hours: float
    weeks: tuple[WeekRecord, ...]
    by: str | None = None
    several_tags: bool = False

    def _total_seconds(self) -> tuple[Fraction, ...]:
        return self._exact_totals

    @cached_property
    def _exact_totals(self) -> tuple[Fraction, ...]:
        return _sum_seconds(self.weeks)

    @property
    def totals(self) -> dict[str, float]:
        """Folded minutes done per category over the whole period."""
        return {
            name: _minutes(s) for name, s in zip(CATEGORIES, self._total_seconds(), strict=True)
        }

    @property
    def total_minutes(self) -> float:
        """All folded minutes done over the period, every category."""
        return _minutes(sum(self._total_seconds(), _ZERO))

    @property
    def planned_totals(self) -> dict[str, float]:
        """Planned minutes per category over the whole period."""
        return {
            name: sum(record.planned_minutes.get(name, 0.0) for record in self.weeks)
            for name in CATEGORIES
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
    def working_minutes(self) -> float | None:
        """Working time up to now over the period; None without work hours."""
        return _optional_sum([record.working_minutes for record in self.weeks])

    @property
    def accounted_minutes(self) -> float | None:
        """Working time covered by entries over the period; None without work hours."""
        return _optional_sum([record.accounted_minutes for record in self.weeks])

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


def _merge(tables: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    merged: dict[str, dict[str, float]] = {}
    for table in tables:
        for name, found in table.items():
            into = merged.setdefault(name, {})
            for label, minutes in found.items():
                into[label] = into.get(label, 0.0) + minutes
    return {
        name: dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
        for name, found in merged.items()
    }


def needed_hours(report: Report) -> float:
    """The classified hours the report's weeks need to be judged as one: ``min_hours`` for
    each week that has classified (leadership or hands-on) time, and at least once.

    Weeks without classified time (a holiday, a week not yet begun, an empty current week)
    neither count nor raise the bar, so a period is judged the same however many empty
    weeks it spans (``--week W`` and ``--weeks 1`` agree on the same data), while a few
    hours cannot be stretched over many weeks.
    """
    weeks = sum(1 for record in report.weeks if any(record.seconds()[:2]))
    return report.min_hours * max(weeks, 1)


def aggregate_record(report: Report) -> WeekRecord:
    """The report's weeks as one record, judged as one: the report's Total and
    ``check --average``.

    The share comes from the summed minutes. The record needs the classified time of
    :func:`needed_hours`. Its label is ``first..last`` (just the week's label for a single
    week).
    """
    weeks = report.weeks
    if not weeks:
        raise ValueError("a report without weeks has no aggregate")
    seconds = report._total_seconds()
    label = weeks[0].week if len(weeks) == 1 else f"{weeks[0].week}..{weeks[-1].week}"
    share = _share(seconds[0], seconds[1])
    breakdowns = [record.breakdown for record in weeks if record.breakdown is not None]
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
            min_hours=needed_hours(report),
        ),
        activities=_merge([record.activities for record in weeks]),
        planned_minutes=report.planned_totals,
        breakdown=_merge(breakdowns) if breakdowns else None,
        working_minutes=report.working_minutes,
        accounted_minutes=report.accounted_minutes,
        unaccounted_minutes=_optional_sum([record.unaccounted_minutes for record in weeks]),
        begun=weeks[0].begun,
        exact_seconds=seconds,
    )
