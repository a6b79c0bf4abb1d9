"""The weekly split report and the 70/30 check, as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from leadtime.app.periods import Period, mondays
from leadtime.app.workspace import Workspace

if TYPE_CHECKING:
    from leadtime.reports import CheckResult, Report
    from leadtime.reports.plan import Tip


BREAKDOWNS = ("activity", "tag", "source")


@dataclass(frozen=True)
class Filters:
    """Which entries a report counts: one calendar, one origin, or all."""

    calendar: str | None = None
    source: str | None = None
    by: str | None = None  # a breakdown: "activity", "tag" or "source"

    def __post_init__(self) -> None:
        if self.by is not None and self.by not in BREAKDOWNS:
            import difflib

            from leadtime.errors import UsageError

            close = difflib.get_close_matches(self.by, BREAKDOWNS, n=1)
            raise UsageError(
                f"--by {self.by}: not a breakdown",
                hint=(f"did you mean '{close[0]}'? " if close else "")
                + "use activity, tag or source",
            )


@dataclass(frozen=True)
class Judging:
    """The check's thresholds for one run; None takes the setting."""

    target: float | None = None  # percent
    tolerance: float | None = None  # points
    min_hours: float | None = None
    max_unclassified: float | None = None  # percent

    def __post_init__(self) -> None:
        """Each threshold is checked as its setting is (``--target 0.7``: did you mean 70?)."""
        from leadtime.config import SCHEMA
        from leadtime.errors import UsageError

        for key in ("target", "tolerance", "min_hours", "max_unclassified"):
            value = getattr(self, key)
            if value is None:
                continue
            try:
                SCHEMA[key].check(value)
            except ValueError as exc:
                option = "--" + key.replace("_", "-")
                raise UsageError(f"{option} {value:g}: {exc}") from None


def report_for(
    ws: Workspace, weeks: list[date], filters: Filters = Filters(), judging: Judging = Judging()
) -> Report:
    """Read the spans of the weeks in one query and fold them into week records."""
    from leadtime.reports import build_report, spans_window
    from leadtime.store import EntryFilter

    settings = ws.settings
    start, end = spans_window(weeks, ws.tz)
    where = EntryFilter(start, end, origin=filters.source, calendar=filters.calendar)
    spans = ws.spans(where)
    return build_report(
        spans,
        weeks,
        tz=ws.tz,
        now=ws.now,
        target=(settings.target if judging.target is None else judging.target) / 100,
        tolerance=(settings.tolerance if judging.tolerance is None else judging.tolerance) / 100,
        min_hours=settings.min_hours if judging.min_hours is None else judging.min_hours,
        work_hours=ws.work_hours,
        by=filters.by,
    )


def weekly_report(ws: Workspace, period: Period, filters: Filters = Filters()) -> Report:
    """``leadtime report``: by default the last 4 complete weeks plus the current one."""
    return report_for(ws, mondays(ws, period, default=4), filters)


@dataclass(frozen=True)
class ReportPicture:
    """What the HTML report shows beside the report itself.

    ``heaviest``: the calendar series and one-off events that took most of the counted
    time done in the period (empty when ``private``: titles are left out).
    """

    report: Report
    heaviest: tuple[Tip, ...]
    private: bool
    now: datetime


def report_picture(
    ws: Workspace, period: Period, filters: Filters = Filters(), *, private: bool = False
) -> ReportPicture:
    """``leadtime report --format html``: the report, and what took most time in it."""
    from leadtime.app.planning import counted_items
    from leadtime.reports import spans_window
    from leadtime.reports.plan import heaviest
    from leadtime.store import EntryFilter

    weeks = mondays(ws, period, default=4)
    report = report_for(ws, weeks, filters)
    tips: tuple[Tip, ...] = ()
    if not private and weeks:
        start, end = spans_window(weeks, ws.tz)
        where = EntryFilter(start, end, origin=filters.source, calendar=filters.calendar)
        done_until = min(end, int(ws.now.timestamp()))
        tips = heaviest(counted_items(ws, where), start, done_until, ws.tz)
    return ReportPicture(report, tips, private, ws.now)


def check(
    ws: Workspace,
    period: Period,
    filters: Filters = Filters(),
    judging: Judging = Judging(),
    *,
    average: bool = False,
) -> CheckResult:
    """``leadtime check``: judge the last complete week (or the period's complete weeks)."""
    from leadtime.errors import UsageError
    from leadtime.reports import judge

    if average and not period.weeks:
        raise UsageError("--average judges several weeks together", hint="add --weeks N")
    weeks = mondays(ws, period, default=1, complete_only=True)
    limit = judging.max_unclassified
    return judge(
        report_for(ws, weeks, filters, judging),
        average=average,
        max_unclassified=ws.settings.max_unclassified if limit is None else limit,
    )
