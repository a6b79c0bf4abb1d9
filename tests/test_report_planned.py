"""Time after now is planned, never done; working hours say how much the numbers explain.

Every expected number is worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leadtime.render import render_text, report_table
from leadtime.reports import Span, Verdict, WorkHours, build_report

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W46, W47, W48 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)


def span(start: str, end: str, category: str, origin: str = "log", tags: str = "") -> Span:
    return Span(
        int(datetime.fromisoformat(start).timestamp()),
        int(datetime.fromisoformat(end).timestamp()),
        origin,
        category,
        None,
        tags,
    )


# W46: 6 h leadership, all done.
# W47 done: Mon 09-13 hands-on (4 h), Fri 16-18 of a 16-20 leadership entry (2 h).
#     L 2 h, H 4 h: 33.3%, too hands-on (6 h classified >= 4 h).
# W47 planned: Fri 18-20 leadership (2 h); Sat 10-12 hands-on meeting with a logged
#     leadership hour 10:30-11:30 inside it, which takes that hour: L 3 h, H 1 h.
#     Unclipped the week would be L 5 h, H 5 h: 50%.
# W48 (not begun): Mon 09-10 leadership, all planned.
SPANS = [
    span("2026-11-10T09:00+01:00", "2026-11-10T15:00+01:00", "leadership"),
    span("2026-11-16T09:00+01:00", "2026-11-16T13:00+01:00", "hands-on"),
    span("2026-11-20T16:00+01:00", "2026-11-20T20:00+01:00", "leadership"),
    span("2026-11-21T10:00+01:00", "2026-11-21T12:00+01:00", "hands-on", "ics"),
    span("2026-11-21T10:30+01:00", "2026-11-21T11:30+01:00", "leadership"),
    span("2026-11-23T09:00+01:00", "2026-11-23T10:00+01:00", "leadership", "ics"),
]
ZERO = {"leadership": 0.0, "hands-on": 0.0, "other": 0.0, "unclassified": 0.0}


def test_the_split_and_the_verdict_use_only_what_has_happened() -> None:
    w46, w47, w48 = build_report(SPANS, [W46, W47, W48], tz=BERLIN, now=NOW).weeks
    assert w46.complete and w46.planned_minutes == ZERO
    assert w47.minutes == {**ZERO, "leadership": 120.0, "hands-on": 240.0}
    assert w47.leadership_share == pytest.approx(1 / 3)
    assert w47.verdict is Verdict.TOO_HANDS_ON
    assert w47.planned_minutes == {**ZERO, "leadership": 180.0, "hands-on": 60.0}
    assert w47.double_booked_minutes == 0.0  # the overlap lies after now
    assert (w48.complete, w48.begun) == (False, False)
    assert w48.minutes == ZERO and w48.verdict is Verdict.NOT_ENOUGH_DATA
    assert w48.planned_minutes == {**ZERO, "leadership": 60.0}


def test_the_same_week_judged_after_it_ended_counts_everything() -> None:
    later = datetime.fromisoformat("2026-11-30T12:00:00+01:00")
    (w47,) = build_report(SPANS, [W47], tz=BERLIN, now=later).weeks
    assert w47.minutes == {**ZERO, "leadership": 300.0, "hands-on": 300.0}
    assert w47.verdict is Verdict.TOO_HANDS_ON  # 50%
    assert w47.planned_minutes == ZERO
    assert w47.double_booked_minutes == 60.0


def test_the_table_shows_the_planned_time_apart() -> None:
    report = build_report(SPANS, [W47, W48], tz=BERLIN, now=NOW)
    text = render_text(report_table(report), width=120)
    assert "Planned for the rest of 2026-W47: 3 h leadership, 1 h hands-on." in text
    assert "Planned for 2026-W48: 1 h leadership." in text
    # the week's row shows what is done: 2.0 leadership, 4.0 hands-on
    (row,) = [line for line in text.splitlines() if "2026-W47 " in line and "%" in line]
    assert row.split("│")[2:4] == ["        2.0 ", "      4.0 "]


# Working hours mon-fri 09:00-17:00; up to Friday 18:00 that is 5 x 8 h = 40 h.
# Inside them: Mon 09-13 (4 h), Fri 16-17 of the 16-18 done part (1 h), Wed 10-12 and 11-13
# overlapping (their union: 3 h). Tue 18-20 is outside. Accounted 8 h, unaccounted 32 h.
WORKED = [
    span("2026-11-16T09:00+01:00", "2026-11-16T13:00+01:00", "hands-on"),
    span("2026-11-17T18:00+01:00", "2026-11-17T20:00+01:00", "leadership"),
    span("2026-11-18T10:00+01:00", "2026-11-18T12:00+01:00", "leadership", "ics"),
    span("2026-11-18T11:00+01:00", "2026-11-18T13:00+01:00", "other", "ics"),
    span("2026-11-20T16:00+01:00", "2026-11-20T20:00+01:00", "leadership"),
]
OFFICE = WorkHours.parse("mon-fri 09:00-17:00")


def test_accounted_time_is_the_union_of_done_entries_inside_working_hours() -> None:
    (w47,) = build_report(WORKED, [W47], tz=BERLIN, now=NOW, work_hours=OFFICE).weeks
    assert w47.working_minutes == 40 * 60.0
    assert w47.accounted_minutes == 8 * 60.0
    assert w47.unaccounted_minutes == 32 * 60.0


def test_working_time_after_now_is_not_counted_as_unaccounted() -> None:
    # Wednesday noon: Mon 8 h + Tue 8 h + Wed 09-12 3 h = 19 h of working time so far;
    # accounted Mon 4 h + Wed 10-12 2 h = 6 h; 13 h unaccounted.
    noon = datetime.fromisoformat("2026-11-18T12:00:00+01:00")
    (w47,) = build_report(WORKED, [W47], tz=BERLIN, now=noon, work_hours=OFFICE).weeks
    assert (w47.working_minutes, w47.accounted_minutes) == (19 * 60.0, 6 * 60.0)
    assert w47.unaccounted_minutes == 13 * 60.0
    report = build_report(WORKED, [W47], tz=BERLIN, now=noon, work_hours=OFFICE)
    text = render_text(report_table(report), width=120)
    assert "The numbers explain 6 h of your 19 h working time so far this week." in text


def test_the_footer_says_how_much_of_the_working_week_the_numbers_explain() -> None:
    later = datetime.fromisoformat("2026-11-30T12:00:00+01:00")
    report = build_report(WORKED, [W47], tz=BERLIN, now=later, work_hours=OFFICE)
    # Fri 16-20 is all done now, but only 16-17 of it lies inside working hours: still 8 h.
    assert report.weeks[0].accounted_minutes == 8 * 60.0
    text = render_text(report_table(report), width=120)
    assert "The numbers explain 8 h of your 40 h working week." in text


def test_without_work_hours_there_is_no_coverage() -> None:
    (w47,) = build_report(WORKED, [W47], tz=BERLIN, now=NOW).weeks
    assert (w47.working_minutes, w47.accounted_minutes, w47.unaccounted_minutes) == (
        None,
        None,
        None,
    )
    report = build_report(WORKED, [W47], tz=BERLIN, now=NOW)
    assert "explain" not in render_text(report_table(report))
