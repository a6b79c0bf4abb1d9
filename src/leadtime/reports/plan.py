"""Looking ahead (SPEC §12): what the coming weeks hold, and whether they can land on target.

A plan is the weekly report seen from ``now``: the same spans, the same counting contract
(exclusions happened at import, overlaps are folded, classification is the rules'), cut at
``now`` by :func:`leadtime.reports.build_report`. For each week it adds the free working
time F (working hours after now that no planned entry covers) and judges whether some split
of F can bring the week into the band ``target ± tolerance``.

The week in progress is judged as a whole: what is done counts together with what is
planned and the free rest of the week (L and H are done + planned), because that is the
split the week's report will show once it has ended.

For one week, with L leadership and H hands-on minutes and F free minutes:

* the week's share lies between L / (L + H + F) (every free minute hands-on) and
  (L + F) / (L + H + F) (every free minute leadership);
* ``needed hands-on`` N = (L + F) - t·(L + H + F): the hands-on minutes of F that bring the
  week to exactly t when the rest of F goes to leadership;
* ``off-track``: neither end reaches the band (compared as displayed, as the check does);
  ``at-risk``: it can reach the band, but only with N > 0.75·F (and there is free time);
  ``on-track``: otherwise; ``not-enough-data``: the week has no working time at all, or
  L + H + F is below the check's minimum hours.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from leadtime.clock import local_date, local_midnight, week_of
from leadtime.entry import DIRECT_ORIGINS
from leadtime.reports.build import Span, build_report
from leadtime.reports.numbers import CATEGORIES, band
from leadtime.reports.records import Report, WeekRecord
from leadtime.reports.workhours import WorkHours
from leadtime.units import decimal_of, percent

__all__ = [
    "AT_RISK_PART",
    "Declined",
    "Item",
    "Plan",
    "PlanVerdict",
    "Tip",
    "WeekPlan",
    "build_plan",
    "heaviest",
]

AT_RISK_PART = Fraction(3, 4)  # at risk when the needed hands-on is above this part of F


class PlanVerdict(StrEnum):
    """Whether a planned week can still land on target (the JSON values)."""

    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class Item(NamedTuple):
    """A counted entry with what the plan needs to name it: its calendar, UID and title.

    Entries that did not come from a calendar have ``calendar`` and ``uid`` None.
    """

    span: Span
    calendar: str | None = None
    uid: str | None = None
    title: str = ""


@dataclass(frozen=True)
class WeekPlan:
    """One week of the plan.

    Attributes:
        record: the report's record of the week (done before now, planned after).
        working_minutes: working time of the week after now.
        week_working_minutes: working time of the whole week (0: no working hours at all).
        free_minutes: F, the part of ``working_minutes`` no planned entry covers.
        leadership_minutes, hands_on_minutes: L and H, done + planned.
        share: the planned share L / (L + H); None without such time.
        lowest_share, highest_share: the week's share if every free minute is hands-on,
            or leadership; None when L + H + F is zero.
        needed_hands_on: N = (L + F) - t·(L + H + F), in minutes.
        verdict: the :class:`PlanVerdict`.
        side: for ``off-track``, ``too-hands-on`` or ``too-hands-off``; else None.
    """

    record: WeekRecord
    working_minutes: float
    week_working_minutes: float
    free_minutes: float
    leadership_minutes: float
    hands_on_minutes: float
    share: float | None
    lowest_share: float | None
    highest_share: float | None
    needed_hands_on: float
    verdict: PlanVerdict
    side: str | None = None

    @property
    def week(self) -> str:
        return self.record.week

    @property
    def in_progress(self) -> bool:
        """The week has begun before now (its done part counts in L and H)."""
        return self.record.begun

    @property
    def minutes(self) -> dict[str, float]:
        """Done + planned minutes per category (all keys present)."""
        done = self.record.minutes
        return {name: done[name] + self.record.planned_minutes[name] for name in CATEGORIES}


@dataclass(frozen=True)
class Tip:
    """A recurring series (several instances of one UID) or a one-off event of the period.

    ``minutes`` are its planned minutes after now in the period, each instance counted
    whole (not folded with what overlaps it); ``weeks`` the plan weeks it occurs in.
    """

    calendar: str
    uid: str
    title: str
    category: str
    activity: str | None
    instances: int
    weeks: int
    minutes: float

    @property
    def recurring(self) -> bool:
        return self.instances > 1

    @property
    def minutes_per_week(self) -> float:
        """Its minutes averaged over the weeks it occurs in."""
        return self.minutes / self.weeks if self.weeks else 0.0


@dataclass(frozen=True)
class Declined:
    """What one ``--without`` text matched: (calendar, uid, title, instances) per event."""

    text: str
    matched: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True)
class Plan:
    """The plan of a period: its weeks, what weighs most, and what was left out.

    ``calendars`` are the names of the remembered calendars; ``imported_until`` the last
    day the imported calendars cover (None when unknown or without calendars).
    """

    report: Report
    weeks: tuple[WeekPlan, ...]
    tips: tuple[Tip, ...]
    declined: tuple[Declined, ...]
    now: datetime
    calendars: tuple[str, ...] = ()
    imported_until: date | None = None
    current: date | None = field(default=None)  # the Monday of the week that holds now

    @property
    def beyond_import(self) -> bool:
        """Some week of the plan reaches past what the calendars were imported up to."""
        if self.imported_until is None or not self.weeks:
            return False
        return self.weeks[-1].record.end > self.imported_until


# --------------------------------------------------------------------------- building


def _matches(item: Item, text: str) -> bool:
    return item.uid == text or text.casefold() in item.title.casefold()


def _declinable(item: Item, cut: int) -> bool:
    """A calendar instance that has not begun: one can still decline it."""
    return (
        item.calendar is not None
        and item.uid is not None
        and item.span.origin not in DIRECT_ORIGINS
        and item.span.start >= cut
    )


def _decline(
    items: Sequence[Item], without: Sequence[str], cut: int
) -> tuple[list[Item], tuple[Declined, ...]]:
    kept: list[Item] = []
    found: list[dict[tuple[str, str], tuple[str, int]]] = [{} for _ in without]
    for item in items:
        hit = False
        if _declinable(item, cut):
            for text, matched in zip(without, found, strict=True):
                if _matches(item, text):
                    hit = True
                    key = (item.calendar or "", item.uid or "")
                    title, count = matched.get(key, (item.title, 0))
                    matched[key] = (title, count + 1)
        if not hit:
            kept.append(item)
    declined = tuple(
        Declined(text, tuple((c, u, t, n) for (c, u), (t, n) in matched.items()))
        for text, matched in zip(without, found, strict=True)
    )
    return kept, declined


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Seconds where two sorted, disjoint interval lists overlap."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low < high:
            total += high - low
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _judge(
    lead: Fraction,
    hands: Fraction,
    free: Fraction,
    week_working: int,
    *,
    target: float,
    tolerance: float,
    min_hours: float,
) -> tuple[PlanVerdict, str | None, Fraction | None, Fraction | None]:
    """The verdict, the off-track side and the lowest and highest reachable shares."""
    total = lead + hands + free
    lowest = lead / total if total else None
    highest = (lead + free) / total if total else None
    if week_working <= 0 or total <= 0 or decimal_of(total) < decimal_of(min_hours) * 60:
        return PlanVerdict.NOT_ENOUGH_DATA, None, lowest, highest
    assert lowest is not None and highest is not None
    low, high = band(target, tolerance)
    if percent(highest) < low:
        return PlanVerdict.OFF_TRACK, "too-hands-on", lowest, highest
    if percent(lowest) > high:
        return PlanVerdict.OFF_TRACK, "too-hands-off", lowest, highest
    needed = lead + free - Fraction(decimal_of(target)) * total
    if free > 0 and needed > AT_RISK_PART * free:
        return PlanVerdict.AT_RISK, None, lowest, highest
    return PlanVerdict.ON_TRACK, None, lowest, highest


def heaviest(items: Iterable[Item], low: int, high: int, tz: str) -> tuple[Tip, ...]:
    """The calendar series and one-off events of ``items`` by the time they take within
    the Unix seconds ``[low, high)``, most first.

    Instances are grouped by (calendar, UID): several instances make a series. Each
    instance counts whole inside the window (not folded with what overlaps it); a series
    is named by its most common title and filed under the category and activity that hold
    most of its time. Entries without a calendar and UID (logged, timed, git) are left out.
    """
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        span = item.span
        if item.calendar is None or item.uid is None or span.origin in DIRECT_ORIGINS:
            continue
        if span.start < high and span.end > low and span.end > span.start:
            groups.setdefault((item.calendar, item.uid), []).append(item)
    tips = []
    for (calendar, uid), found in groups.items():
        seconds: Counter[tuple[str, str | None]] = Counter()
        mondays = set()
        for item in found:
            span = item.span
            seconds[span.category, span.activity] += min(span.end, high) - max(span.start, low)
            moment = datetime.fromtimestamp(max(span.start, low), UTC)
            mondays.add(week_of(local_date(moment, tz)))
        (category, activity), _ = max(seconds.items(), key=lambda pair: pair[1])
        title = Counter(item.title for item in found).most_common(1)[0][0]
        minutes = sum(seconds.values()) / 60
        tips.append(
            Tip(calendar, uid, title, category, activity, len(found), len(mondays), minutes)
        )
    tips.sort(key=lambda tip: (-tip.minutes, tip.title.casefold(), tip.calendar, tip.uid))
    return tuple(tips)


def build_plan(
    items: Sequence[Item],
    mondays: Sequence[date],
    *,
    tz: str,
    now: datetime,
    work_hours: WorkHours,
    target: float = 0.70,
    tolerance: float = 0.05,
    min_hours: float = 4.0,
    without: Sequence[str] = (),
    calendars: Sequence[str] = (),
    imported_until: date | None = None,
) -> Plan:
    """Plan the weeks of ``mondays`` from the counted entries ``items``.

    ``without`` are texts that decline calendar instances not yet begun: a UID matches
    exactly, a title case-insensitively as a substring. ``target`` and ``tolerance`` are
    fractions; ``min_hours`` is the least L + H + F a week needs to be judged.

    Raises:
        ValueError: a naive ``now`` (as :func:`build_report`).
    """
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}")
    cut = math.floor(now.timestamp())
    kept, declined = _decline(items, without, cut)
    spans = [item.span for item in kept]
    weeks = sorted({week_of(monday) for monday in mondays})
    report = build_report(
        spans, weeks, tz=tz, now=now, target=target, tolerance=tolerance, min_hours=min_hours
    )
    planned_union = _union((max(s.start, cut), s.end) for s in spans if s.end > cut)
    plans = []
    for monday, record in zip(weeks, report.weeks, strict=True):
        start, end = local_midnight(monday, tz), local_midnight(monday + timedelta(days=7), tz)
        hours = work_hours.intervals(monday, tz)
        ahead = [(max(a, cut, start), min(b, end)) for a, b in hours]
        ahead = [(a, b) for a, b in ahead if a < b]
        working = sum(b - a for a, b in ahead)
        free = Fraction(working - _overlap(ahead, planned_union), 60)
        seconds = record.seconds()
        planned = record.planned_minutes
        lead = seconds[0] / 60 + Fraction(planned["leadership"])
        hands = seconds[1] / 60 + Fraction(planned["hands-on"])
        verdict, side, lowest, highest = _judge(
            lead,
            hands,
            free,
            sum(b - a for a, b in hours),
            target=target,
            tolerance=tolerance,
            min_hours=min_hours,
        )
        needed = lead + free - Fraction(decimal_of(target)) * (lead + hands + free)
        plans.append(
            WeekPlan(
                record=record,
                working_minutes=working / 60,
                week_working_minutes=sum(b - a for a, b in hours) / 60,
                free_minutes=float(free),
                leadership_minutes=float(lead),
                hands_on_minutes=float(hands),
                share=float(lead / (lead + hands)) if lead + hands else None,
                lowest_share=None if lowest is None else float(lowest),
                highest_share=None if highest is None else float(highest),
                needed_hands_on=float(needed),
                verdict=verdict,
                side=side,
            )
        )
    period_end = local_midnight(weeks[-1] + timedelta(days=7), tz) if weeks else cut
    return Plan(
        report,
        tuple(plans),
        heaviest((item for item in kept if _declinable(item, cut)), cut, period_end, tz),
        declined,
        now,
        tuple(calendars),
        imported_until,
        week_of(local_date(now, tz)),
    )


# --------------------------------------------------------------------------- words
