"""The plan at the reports level: every expected number is worked out by hand in the comments.

Working hours are the default, Monday to Friday 09:00-17:00 (40 h a week), target 70 ± 5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.errors import ExitCode
from leadtime.reports import Span, WorkHours, build_report
from leadtime.reports.ahead import judge_ahead, week_sentence
from leadtime.reports.plan import Item, PlanVerdict, build_plan

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W47, W48 = date(2026, 11, 16), date(2026, 11, 23)
OFFICE = WorkHours.parse("mon-fri 09:00-17:00")


def item(
    start: str, end: str, category: str, *, uid: str | None = None, title: str = "",
    origin: str = "ics", activity: str | None = None,
) -> Item:  # fmt: skip
    span = Span(
        int(datetime.fromisoformat(start).timestamp()),
        int(datetime.fromisoformat(end).timestamp()),
        origin,
        category,
        activity,
    )
    calendar = "work" if origin == "ics" else None
    return Item(span, calendar, uid or (f"{title or start}@x" if calendar else None), title)


def day(offset: int, clock: str) -> str:
    """``day(0, "09:00")``: Monday of W48 at 09:00 Berlin."""
    return f"{W48 + timedelta(days=offset)}T{clock}+01:00"


def plan_of(items: list[Item], mondays: list[date] | None = None, **options: object):  # type: ignore[no-untyped-def]
    options.setdefault("calendars", ("work",))
    return build_plan(
        items,
        mondays or [W48],
        tz=BERLIN,
        now=NOW,
        work_hours=OFFICE,
        **options,  # type: ignore[arg-type]
    )


def test_a_week_ahead_with_an_overlap_is_on_track() -> None:
    # Mon 09-12 leadership, Tue 09-11 hands-on, Wed 10-12 leadership overlapping 11-13 other:
    # the shared hour 11-12 is halved, so L = 3 + 1.5 = 4.5 h, H = 2 h, other 1.5 h.
    # Busy working time: 3 + 2 + 3 = 8 h, so F = 40 - 8 = 32 h.
    # N = (4.5 + 32) - 0.7 * (4.5 + 2 + 32) = 36.5 - 26.95 = 9.55 h; 0.75 F = 24 h: on track.
    items = [
        item(day(0, "09:00"), day(0, "12:00"), "leadership", title="Planning"),
        item(day(1, "09:00"), day(1, "11:00"), "hands-on", title="Spike"),
        item(day(2, "10:00"), day(2, "12:00"), "leadership", title="Review"),
        item(day(2, "11:00"), day(2, "13:00"), "other", title="Lunch"),
    ]
    (week,) = plan_of(items).weeks
    assert week.record.planned_minutes == {
        "leadership": 270.0, "hands-on": 120.0, "other": 90.0, "unclassified": 0.0,
    }  # fmt: skip
    assert (week.leadership_minutes, week.hands_on_minutes) == (270.0, 120.0)
    assert week.working_minutes == 2400.0 and week.free_minutes == 1920.0
    assert week.needed_hands_on == pytest.approx(573.0)
    assert week.share == pytest.approx(270 / 390)
    assert week.verdict is PlanVerdict.ON_TRACK
    sentence = week_sentence(week, 0.70, W47)
    assert sentence == "next week lands on 70% if 9.6 h of your 32 h free time is hands-on"


def test_a_week_that_can_land_only_with_most_free_time_hands_on_is_at_risk() -> None:
    # 26 h of leadership meetings inside working hours (Mon-Thu 09-15:30): F = 14 h,
    # N = 40 - 28 = 12 h > 0.75 * 14 = 10.5 h: at risk, but 12 h <= 14 h can land.
    items = [
        item(day(d, "09:00"), day(d, "15:30"), "leadership", title="Hiring loop") for d in range(4)
    ]
    (week,) = plan_of(items).weeks
    assert week.free_minutes == 14 * 60 and week.needed_hands_on == pytest.approx(12 * 60)
    assert week.verdict is PlanVerdict.AT_RISK
    assert week_sentence(week, 0.70, W47) == (
        "next week lands on 70% only if 12 h of your 14 h free time is hands-on"
    )
    result = judge_ahead(plan_of(items, [W47, W48]))
    assert (result.exit_code, result.passed, result.warning) == (ExitCode.OK, True, True)


def test_too_many_meetings_is_off_track_even_if_every_free_minute_is_hands_on() -> None:
    # Mon-Thu 09-17 leadership = 32 h, F = 8 h: at best 32 / 40 = 80% > 75%.
    items = [item(day(d, "09:00"), day(d, "17:00"), "leadership", title="Sync") for d in range(4)]
    (week,) = plan_of(items).weeks
    assert week.verdict is PlanVerdict.OFF_TRACK and week.side == "too-hands-off"
    assert week.lowest_share == pytest.approx(0.8)
    assert week_sentence(week, 0.70, W47) == (
        "next week stays at 80% even if all of your 8 h free time is hands-on"
    )
    result = judge_ahead(plan_of(items, [W47, W48]))
    assert (result.exit_code, result.passed) == (ExitCode.BREACH, False)


def test_too_much_hands_on_is_off_track_even_if_every_free_minute_is_leadership() -> None:
    # Hands-on Mon-Tue 09-17 and Wed 09-13 = 20 h, F = 20 h: at best 20 / 40 = 50% < 65%.
    items = [
        item(day(0, "09:00"), day(0, "17:00"), "hands-on"),
        item(day(1, "09:00"), day(1, "17:00"), "hands-on"),
        item(day(2, "09:00"), day(2, "13:00"), "hands-on"),
    ]
    (week,) = plan_of(items).weeks
    assert week.verdict is PlanVerdict.OFF_TRACK and week.side == "too-hands-on"
    assert week.highest_share == pytest.approx(0.5)
    assert week.needed_hands_on == pytest.approx(-8 * 60)  # 20 - 28 h: leadership is short
    assert week_sentence(week, 0.70, W47) == (
        "next week reaches only 50% even if all of your 20 h free time goes to leadership"
    )


def test_the_week_in_progress_counts_what_is_done_planned_and_free() -> None:
    # Now is Wednesday 12:00 of W47. Done: Mon 09-17 hands-on (8 h), Tue 09-17 and
    # Wed 09-12 leadership (11 h). Planned: Thu 09-17 leadership (8 h).
    # L = 19 h, H = 8 h; working after now: Wed 12-17, Thu, Fri = 21 h, F = 21 - 8 = 13 h.
    # N = (19 + 13) - 0.7 * 40 = 4 h: on track.
    now = datetime.fromisoformat("2026-11-18T12:00:00+01:00")
    monday = W47
    items = [
        item(f"{monday}T09:00+01:00", f"{monday}T17:00+01:00", "hands-on", origin="log"),
        item("2026-11-17T09:00+01:00", "2026-11-17T17:00+01:00", "leadership"),
        item("2026-11-18T09:00+01:00", "2026-11-18T12:00+01:00", "leadership"),
        item("2026-11-19T09:00+01:00", "2026-11-19T17:00+01:00", "leadership"),
    ]
    plan = build_plan(items, [W47], tz=BERLIN, now=now, work_hours=OFFICE, calendars=("work",))
    (week,) = plan.weeks
    assert week.in_progress
    assert (week.leadership_minutes, week.hands_on_minutes) == (19 * 60.0, 8 * 60.0)
    assert (week.working_minutes, week.free_minutes) == (21 * 60.0, 13 * 60.0)
    assert week.needed_hands_on == pytest.approx(4 * 60)
    assert week.verdict is PlanVerdict.ON_TRACK
    assert week_sentence(week, 0.70, W47).startswith("this week lands on 70% if 4 h of your 13 h")


def test_a_week_without_working_time_cannot_be_judged() -> None:
    items = [item(day(0, "09:00"), day(0, "12:00"), "leadership")]
    plan = build_plan(
        items, [W47, W48], tz=BERLIN, now=NOW, work_hours=WorkHours.parse("none"),
        calendars=("work",),
    )  # fmt: skip
    week = plan.weeks[1]
    assert week.working_minutes == 0 and week.verdict is PlanVerdict.NOT_ENOUGH_DATA
    assert week_sentence(week, 0.70, W47) == "next week has no working time to plan"
    assert judge_ahead(plan).exit_code is ExitCode.NOT_ENOUGH_DATA


def test_without_a_calendar_the_gate_has_nothing_to_judge() -> None:
    plan = plan_of([], [W47, W48], calendars=())
    assert plan.weeks[1].free_minutes == 2400.0  # the week itself is all free
    result = judge_ahead(plan)
    assert result.exit_code is ExitCode.NOT_ENOUGH_DATA and result.passed is None
    assert "no calendar" in result.reason


def test_free_time_follows_the_clock_change() -> None:
    # Sunday 2026-10-25 the clocks go back at 03:00: 01:00-04:00 local is 4 real hours.
    # A planned hour 01:00-02:00 (CEST) leaves 3 h free.
    now = datetime.fromisoformat("2026-10-20T12:00:00+02:00")
    hours = WorkHours.parse("sun 01:00-04:00")
    items = [item("2026-10-25T01:00+02:00", "2026-10-25T02:00+02:00", "leadership")]
    plan = build_plan(
        items, [date(2026, 10, 19)], tz=BERLIN, now=now, work_hours=hours, min_hours=0,
        calendars=("work",),
    )  # fmt: skip
    (week,) = plan.weeks
    assert (week.working_minutes, week.free_minutes) == (240.0, 180.0)


def test_without_declines_by_title_or_uid_and_says_what_matched() -> None:
    # A weekly 1:1 series (two instances in W48/W49), a one-off review and an instance of
    # the 1:1 that had begun before now (it happened: it cannot be declined).
    items = [
        item("2026-11-20T17:30+01:00", "2026-11-20T18:30+01:00", "leadership",
             uid="one@x", title="1:1 Ana"),
        item(day(0, "10:00"), day(0, "11:00"), "leadership", uid="one@x", title="1:1 Ana"),
        item(day(7, "10:00"), day(7, "11:00"), "leadership", uid="one@x", title="1:1 Ana"),
        item(day(1, "10:00"), day(1, "12:00"), "leadership", uid="rev@x", title="Design review"),
    ]  # fmt: skip
    mondays = [W47, W48, W48 + timedelta(days=7)]
    full = plan_of(items, mondays)
    assert [(t.uid, t.instances, t.weeks, t.minutes) for t in full.tips] == [
        ("one@x", 2, 2, 120.0), ("rev@x", 1, 1, 120.0),
    ]  # fmt: skip
    assert full.tips[0].recurring and not full.tips[1].recurring
    assert full.tips[0].minutes_per_week == 60.0
    cut = plan_of(items, mondays, without=("1:1 ANA", "rev@x", "nothing"))
    assert [d.matched for d in cut.declined] == [
        (("work", "one@x", "1:1 Ana", 2),), (("work", "rev@x", "Design review", 1),), (),
    ]  # fmt: skip
    assert [week.record.planned_minutes["leadership"] for week in cut.weeks] == [30.0, 0, 0]
    assert cut.tips == ()


def test_logged_time_is_never_declined() -> None:
    items = [item(day(0, "10:00"), day(0, "11:00"), "hands-on", origin="log", title="Spike")]
    plan = plan_of(items, without=("spike",))
    assert plan.declined[0].matched == ()
    assert plan.weeks[0].hands_on_minutes == 60.0


SLOT = 15 * 60
MONDAY_TS = int(datetime.fromisoformat(day(0, "00:00")).timestamp())
spans = st.lists(
    st.tuples(
        st.integers(0, 7 * 24 * 4 - 1),
        st.integers(0, 16),
        st.sampled_from(["ics", "log"]),
        st.sampled_from(["leadership", "hands-on", "other", "unclassified"]),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(spans)
def test_a_weeks_plan_is_its_report_once_now_has_passed_it(
    drawn: list[tuple[int, int, str, str]],
) -> None:
    rows = [
        Span(MONDAY_TS + start * SLOT, MONDAY_TS + (start + length) * SLOT, origin, category, None)
        for start, length, origin, category in drawn
    ]
    items = [Item(row, "work" if row.origin == "ics" else None, "u", "t") for row in rows]
    (ahead,) = plan_of(items).weeks
    later = datetime.fromisoformat("2026-12-07T12:00:00+01:00")
    (after,) = build_report(rows, [W48], tz=BERLIN, now=later).weeks
    assert ahead.record.planned_minutes == pytest.approx(after.minutes)
    assert ahead.leadership_minutes == pytest.approx(after.minutes["leadership"])
    assert ahead.hands_on_minutes == pytest.approx(after.minutes["hands-on"])
