"""Looking ahead: ``leadtime plan`` and ``leadtime check --ahead`` (SPEC §12), as data.

The plan reads what the calendars already hold after now; it never imports. Open-ended
series were expanded at import up to the horizon (``horizon_weeks``), so a plan that
reaches past it says so (:attr:`leadtime.reports.plan.Plan.beyond_import`) and the command
tells the user to import with a later ``--until``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from leadtime.app.reporting import Filters, Judging
from leadtime.app.workspace import Workspace
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from leadtime.reports.ahead import AheadResult
    from leadtime.reports.plan import Item, Plan
    from leadtime.store import EntryFilter

MAX_PLAN_WEEKS = 520
CALENDAR_KINDS = ("ics", "caldav")


@dataclass(frozen=True)
class PlanPeriod:
    """``--week W`` (one week, not over yet) or ``--weeks N`` (the rest of this week and the
    N weeks after it; 1 when neither is given)."""

    week: str | None = None
    weeks: int | None = None


def plan_mondays(ws: Workspace, period: PlanPeriod) -> list[date]:
    """The Mondays of the weeks a plan covers.

    Raises:
        UsageError: both options, a week that has ended, or too many weeks.
    """
    from leadtime.clock import local_date, local_midnight, week_of
    from leadtime.timeparse import parse_week

    if period.week and period.weeks is not None:
        raise UsageError("--week and --weeks cannot be combined", hint="choose one period")
    current = week_of(local_date(ws.now, ws.tz))
    if period.week:
        monday = parse_week(period.week, now=ws.now, tz=ws.tz)
        if local_midnight(monday + timedelta(days=7), ws.tz) <= ws.now.timestamp():
            label = monday.isocalendar()
            raise UsageError(
                f"{label.year}-W{label.week:02d} is over; a plan looks ahead",
                hint=f"'leadtime report --week {label.year}-W{label.week:02d}' shows it",
            )
        return [monday]
    count = 1 if period.weeks is None else period.weeks
    if not 0 <= count <= MAX_PLAN_WEEKS:
        raise UsageError(f"--weeks must be between 0 and {MAX_PLAN_WEEKS}, got {count}")
    return [current + timedelta(days=7 * step) for step in range(count + 1)]


def _imported_until(ws: Workspace, sources: list[object]) -> date | None:
    """The last local day that every remembered calendar was expanded up to.

    An import reads up to the Monday after now + ``horizon_weeks`` (or ``--until``). The
    window's end is taken from the calendar's remembered state (``window_end``) where the
    import kept it, otherwise worked out from the time of its last import and the horizon.
    """
    from leadtime.clock import local_date, week_of

    ends: list[date] = []
    for source in sources:
        state = getattr(source, "state", {}) or {}
        kept = state.get("window_end")
        if isinstance(kept, str):
            try:
                end = datetime.fromisoformat(kept)
                ends.append(local_date(end - timedelta(seconds=1), ws.tz))
                continue
            except ValueError:
                pass
        last = getattr(source, "last_import", None)
        if last is not None:
            ahead = local_date(last + timedelta(weeks=ws.settings.horizon_weeks), ws.tz)
            ends.append(week_of(ahead) + timedelta(days=6))
    return min(ends) if ends else None


def counted_items(ws: Workspace, where: EntryFilter) -> list[Item]:
    """The counted entries ``where`` selects, with the calendar, UID and title that name
    them (for what tips a plan, and what took most time in a report)."""
    from leadtime.reports import Span
    from leadtime.reports.plan import Item
    from leadtime.store import to_ts

    return [
        Item(
            Span(
                to_ts(e.start), to_ts(e.end), e.origin.value, e.classification.category.value,
                e.classification.activity, ",".join(e.tags),
            ),
            e.calendar,
            e.uid,
            e.title,
        )
        for e in ws.entries(where)
    ]  # fmt: skip


def plan(
    ws: Workspace,
    period: PlanPeriod = PlanPeriod(),
    *,
    without: tuple[str, ...] = (),
    filters: Filters = Filters(),
    judging: Judging = Judging(),
) -> Plan:
    """``leadtime plan``: the weeks ahead as the calendars and the log hold them."""
    from leadtime.app.importing import list_calendars
    from leadtime.reports import spans_window
    from leadtime.reports.plan import build_plan
    from leadtime.store import EntryFilter

    weeks = plan_mondays(ws, period)
    cleaned = tuple(text.strip() for text in without)
    if any(not text for text in cleaned):
        raise UsageError("--without needs a title or a UID", hint="--without 'Roadmap sync'")
    settings = ws.settings
    start, end = spans_window(weeks, ws.tz)
    ws.refresh()
    where = EntryFilter(start, end, origin=filters.source, calendar=filters.calendar)
    found = counted_items(ws, where)
    sources = [s for s in list_calendars(ws) if s.kind in CALENDAR_KINDS]
    if filters.calendar is not None:
        sources = [s for s in sources if s.name == filters.calendar]
    return build_plan(
        found,
        weeks,
        tz=ws.tz,
        now=ws.now,
        work_hours=ws.work_hours,
        target=(settings.target if judging.target is None else judging.target) / 100,
        tolerance=(settings.tolerance if judging.tolerance is None else judging.tolerance) / 100,
        min_hours=settings.min_hours if judging.min_hours is None else judging.min_hours,
        without=cleaned,
        calendars=[s.name for s in sources],
        imported_until=_imported_until(ws, list(sources)),
    )


def check_ahead(
    ws: Workspace, filters: Filters = Filters(), judging: Judging = Judging()
) -> AheadResult:
    """``leadtime check --ahead``: judge next week's plan (exit 1 off track, 5 no data)."""
    from leadtime.reports.ahead import judge_ahead

    return judge_ahead(plan(ws, PlanPeriod(), filters=filters, judging=judging))
