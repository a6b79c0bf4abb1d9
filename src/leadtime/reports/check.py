"""The gate: judge report weeks against the target and pick the exit code (SPEC §7).

Exit codes:

* ``0`` (OK): at least one week was judged and every judged week passed. Weeks without
  enough data are skipped, so a week of holiday does not fail ``--weeks 4``.
* ``1`` (BREACH): a judged week is off target, or a week's unclassified share is above
  ``max_unclassified`` (this is checked even when the week has too little classified time
  for a share: a week that is mostly unclassified is exactly what it catches).
* ``5`` (NOT_ENOUGH_DATA): nothing could be judged.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from leadtime.errors import ExitCode
from leadtime.reports.numbers import Verdict, band, target_text
from leadtime.reports.records import Report, WeekRecord, aggregate_record, needed_hours
from leadtime.units import percent

__all__ = ["CheckResult", "CheckWeek", "judge", "target_text"]

_TENTH = Decimal("0.1")


class CheckWeek(NamedTuple):
    """One judged week: ``passed`` is None when there was not enough data to judge."""

    record: WeekRecord
    passed: bool | None
    reason: str


class CheckResult(NamedTuple):
    """The check's outcome: the weeks, the overall result, the exit code, one-line summary."""

    weeks: tuple[CheckWeek, ...]
    average: bool
    passed: bool | None
    exit_code: ExitCode
    summary: str
    report: Report  # what was judged: zone, target, tolerance, minimum hours


def _number(value: Decimal) -> str:
    """``70.0`` -> ``70``, ``72.50`` -> ``72.5``."""
    return f"{value.normalize():f}"


def _hours(minutes: float) -> str:
    return f"{Decimal(repr(minutes / 60)).quantize(_TENTH, rounding=ROUND_HALF_UP)} h"


def _point(value: Decimal) -> str:
    """A band end with the share's precision: ``65.00`` -> ``65.0``, ``72.25`` stays."""
    return str(value.quantize(_TENTH)) if value == value.quantize(_TENTH) else _number(value)


def _judge_week(
    record: WeekRecord, report: Report, min_hours: float, max_unclassified: float | None
) -> CheckWeek:
    low, high = (_point(end) for end in band(report.target, report.tolerance))
    verdict = record.verdict
    share = record.leadership_share
    if verdict is Verdict.NOT_ENOUGH_DATA:
        classified = record.classified_minutes
        if classified <= 0:
            reason = "no leadership or hands-on time"
        else:
            reason = (
                f"only {_hours(classified)} classified, needs {_number(Decimal(repr(min_hours)))} h"
            )
        passed: bool | None = None
    else:
        assert share is not None
        shown = f"{percent(share)}%"
        if verdict is Verdict.ON_TARGET:
            reason = f"leadership {shown} is within {low}%\N{EN DASH}{high}%"
        elif verdict is Verdict.TOO_HANDS_ON:
            reason = f"leadership {shown} is below {low}% (too hands-on)"
        else:
            reason = f"leadership {shown} is above {high}% (too hands-off)"
        passed = verdict is Verdict.ON_TARGET
    unclassified = record.unclassified_share
    if max_unclassified is not None and unclassified is not None:
        limit = Decimal(repr(max_unclassified))
        if percent(unclassified) > limit:
            reason += f"; unclassified {percent(unclassified)}% is above {_number(limit)}%"
            passed = False
    return CheckWeek(record, passed, reason)


def judge(
    report: Report, *, average: bool = False, max_unclassified: float | None = None
) -> CheckResult:
    """Judge each week of ``report`` (or, with ``average``, all of them as one record).

    ``max_unclassified`` is a percentage: a week whose unclassified share, displayed with one
    decimal, is above it is a breach. See the module docstring for the exit codes.
    """
    if average and report.weeks:
        records: tuple[WeekRecord, ...] = (aggregate_record(report),)
        min_hours = needed_hours(report)
    else:
        records = report.weeks
        min_hours = report.min_hours
    weeks = tuple(_judge_week(record, report, min_hours, max_unclassified) for record in records)
    failed = [week for week in weeks if week.passed is False]
    judged = [week for week in weeks if week.passed is not None]
    if failed:
        passed: bool | None = False
        code = ExitCode.BREACH
    elif judged:
        passed, code = True, ExitCode.OK
    else:
        passed, code = None, ExitCode.NOT_ENOUGH_DATA
    return CheckResult(weeks, average, passed, code, _summary(weeks, report, passed), report)


def _summary(weeks: tuple[CheckWeek, ...], report: Report, passed: bool | None) -> str:
    target = f"target {target_text(report)}"
    if not weeks:
        return f"not enough data: no weeks to judge ({target})"
    skipped = [week for week in weeks if week.passed is None]
    if len(weeks) == 1:
        week = weeks[0]
        head = {True: "on target", False: "off target", None: "not enough data"}[passed]
        return f"{head}: {week.record.week} {week.reason} ({target})"
    if passed is False:
        failed = [week for week in weeks if week.passed is False]
        details = "; ".join(f"{week.record.week} {week.reason}" for week in failed)
        return f"off target: {len(failed)} of {len(weeks)} weeks — {details} ({target})"
    if passed is None:
        return f"not enough data: none of {len(weeks)} weeks has enough classified time ({target})"
    ok = len(weeks) - len(skipped)
    note = f", {len(skipped)} skipped for lack of data" if skipped else ""
    return f"on target: {ok} of {len(weeks)} weeks{note} ({target})"
