"""Judging a plan in words and for the gate: the sentence a week's plan is said in, and
``check --ahead``'s verdict on next week (SPEC §12). Pure functions over a :class:`Plan`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from leadtime.errors import ExitCode
from leadtime.reports.plan import Plan, PlanVerdict, WeekPlan
from leadtime.units import decimal_of, format_hours, percent

__all__ = ["AheadResult", "judge_ahead", "week_name", "week_sentence"]


def _hours(minutes: float) -> str:
    """``9.5 h``, ``12 h``: one decimal, halves up, no ``.0``."""
    return f"{format_hours(minutes).removesuffix('.0')} h"


def _percent(share: float | Fraction) -> str:
    return f"{percent(share).normalize():f}%"


def week_name(week: WeekPlan, current: date | None) -> str:
    """``this week``, ``next week`` or the ISO label."""
    if current is not None:
        if week.record.start == current:
            return "this week"
        if week.record.start == current + timedelta(days=7):
            return "next week"
    return week.week


def week_sentence(week: WeekPlan, target: float, current: date | None = None) -> str:
    """The plan of a week in one plain sentence, e.g. ``next week lands on 70% only if
    9.5 h of your 12 h free time is hands-on``."""
    name = week_name(week, current)
    aim = _percent(Fraction(decimal_of(target)))
    free = week.free_minutes
    if week.verdict is PlanVerdict.NOT_ENOUGH_DATA:
        if week.week_working_minutes <= 0:
            return f"{name} has no working time to plan"
        total = week.leadership_minutes + week.hands_on_minutes + free
        return f"{name} holds only {_hours(total)} of planned and free time, too little to judge"
    if free <= 0:
        assert week.share is not None
        return f"{name} has no free working time left: it lands on {_percent(week.share)}"
    needed = week.needed_hands_on
    if needed <= 0:
        assert week.highest_share is not None
        return (
            f"{name} reaches only {_percent(week.highest_share)} even if all of your "
            f"{_hours(free)} free time goes to leadership"
        )
    if needed > free:
        assert week.lowest_share is not None
        return (
            f"{name} stays at {_percent(week.lowest_share)} even if all of your "
            f"{_hours(free)} free time is hands-on"
        )
    only = "only if" if week.verdict is PlanVerdict.AT_RISK else "if"
    return (
        f"{name} lands on {aim} {only} {_hours(needed)} of your {_hours(free)} "
        "free time is hands-on"
    )


# --------------------------------------------------------------------------- the gate


@dataclass(frozen=True)
class AheadResult:
    """``check --ahead``: next week's plan judged. ``passed`` is None when it cannot be."""

    plan: Plan
    week: WeekPlan | None
    passed: bool | None
    warning: bool  # at risk: passes, with a warning
    exit_code: ExitCode
    reason: str

    @property
    def summary(self) -> str:
        head = {True: "on track", False: "off track", None: "not enough data"}[self.passed]
        if self.warning:
            head = "at risk"
        label = f"{self.week.week} " if self.week is not None else ""
        return f"{head}: {label}{self.reason}"


def judge_ahead(plan: Plan) -> AheadResult:
    """Judge the plan's first week that has not begun (the next week) for the gate.

    ``off-track`` exits 1; ``at-risk`` passes with a warning; no calendar or no working
    time (``not-enough-data``) exits 5.
    """
    upcoming = [week for week in plan.weeks if not week.in_progress]
    week = upcoming[0] if upcoming else None
    target = plan.report.target
    if not plan.calendars:
        reason = "no calendar imported, so there is no plan to judge"
        return AheadResult(plan, week, None, False, ExitCode.NOT_ENOUGH_DATA, reason)
    if week is None:
        reason = "no week ahead to judge"
        return AheadResult(plan, None, None, False, ExitCode.NOT_ENOUGH_DATA, reason)
    reason = week_sentence(week, target, plan.current)
    verdict = week.verdict
    if verdict is PlanVerdict.NOT_ENOUGH_DATA:
        return AheadResult(plan, week, None, False, ExitCode.NOT_ENOUGH_DATA, reason)
    if verdict is PlanVerdict.OFF_TRACK:
        return AheadResult(plan, week, False, False, ExitCode.BREACH, reason)
    at_risk = verdict is PlanVerdict.AT_RISK
    return AheadResult(plan, week, True, at_risk, ExitCode.OK, reason)
