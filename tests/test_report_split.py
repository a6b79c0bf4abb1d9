"""The weekly split, with every expected number worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from leadtime.render import to_json_dict
from leadtime.reports import (
    Report,
    Span,
    Verdict,
    WeekRecord,
    aggregate_record,
    build_report,
    percent,
    verdict_for,
)
from leadtime.units import round_half_up

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W46, W47 = date(2026, 11, 9), date(2026, 11, 16)


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def span(
    start: str,
    end: str,
    category: str = "leadership",
    origin: str = "log",
    activity: str | None = None,
) -> Span:
    return Span(ts(start), ts(end), origin, category, activity)


def one_week(spans: list[Span], monday: date = W47, tz: str = BERLIN, **kw: float) -> WeekRecord:
    report = build_report(spans, [monday], tz=tz, now=NOW, **kw)
    (record,) = report.weeks
    return record


def minutes(record: WeekRecord) -> tuple[float, float, float, float]:
    m = record.minutes
    return m["leadership"], m["hands-on"], m["other"], m["unclassified"]


# --------------------------------------------------------------------------- weeks


def test_entry_across_sunday_midnight_is_split_at_the_week_boundary() -> None:
    # Sunday 22:00 to Monday 01:30 Berlin time: 120 minutes in W46, 90 in W47.
    spans = [span("2026-11-15T22:00+01:00", "2026-11-16T01:30+01:00", "hands-on")]
    report = build_report(spans, [W46, W47], tz=BERLIN, now=NOW)
    assert [r.week for r in report.weeks] == ["2026-W46", "2026-W47"]
    assert minutes(report.weeks[0]) == (0.0, 120.0, 0.0, 0.0)
    assert minutes(report.weeks[1]) == (0.0, 90.0, 0.0, 0.0)
    assert report.weeks[0].start == date(2026, 11, 9)
    assert report.weeks[0].end == date(2026, 11, 15)


def test_berlin_dst_week_holds_167_hours() -> None:
    # An entry covering all of 2026-W13 and more counts exactly 167 h = 10020 min there.
    spans = [span("2026-03-20T00:00+01:00", "2026-04-02T00:00+02:00", "other")]
    record = one_week(spans, date(2026, 3, 23))
    assert record.week == "2026-W13"
    assert minutes(record) == (0.0, 0.0, 10020.0, 0.0)


def test_new_york_fall_back_splits_at_est_midnight() -> None:
    # Sunday 1 Nov 23:00 EST to Monday 2 Nov 01:00 EST; the boundary is 05:00 UTC.
    spans = [span("2026-11-01T23:00-05:00", "2026-11-02T01:00-05:00")]
    report = build_report(
        spans, [date(2026, 10, 26), date(2026, 11, 2)], tz="America/New_York", now=NOW
    )
    assert [r.week for r in report.weeks] == ["2026-W44", "2026-W45"]
    assert report.weeks[0].minutes["leadership"] == 60.0
    assert report.weeks[1].minutes["leadership"] == 60.0
    # 04:30-05:30 UTC straddles the same boundary by half an hour each side.
    report = build_report(
        [span("2026-11-02T04:30+00:00", "2026-11-02T05:30+00:00")],
        [date(2026, 10, 26), date(2026, 11, 2)],
        tz="America/New_York",
        now=NOW,
    )
    assert [r.minutes["leadership"] for r in report.weeks] == [30.0, 30.0]


def test_spans_outside_the_period_and_zero_length_spans_count_nothing() -> None:
    spans = [
        span("2026-11-08T10:00+01:00", "2026-11-08T11:00+01:00"),  # W45
        span("2026-11-17T10:00+01:00", "2026-11-17T10:00+01:00"),  # zero minutes
        span("2026-11-23T00:00+01:00", "2026-11-23T01:00+01:00"),  # W48 starts here
    ]
    record = one_week(spans)
    assert minutes(record) == (0.0, 0.0, 0.0, 0.0)


def test_complete_once_the_week_has_ended_in_the_zone() -> None:
    spans: list[Span] = []
    at_end = datetime.fromisoformat("2026-11-23T00:00:00+01:00")
    just_before = datetime.fromisoformat("2026-11-22T23:59:59+01:00")
    assert build_report(spans, [W47], tz=BERLIN, now=at_end).weeks[0].complete
    assert not build_report(spans, [W47], tz=BERLIN, now=just_before).weeks[0].complete
    assert build_report(spans, [W46, W47], tz=BERLIN, now=NOW).current_week is not None


# --------------------------------------------------------------------------- overlaps


def test_three_overlapping_entries_share_each_stretch_equally() -> None:
    # 10:00-11:00 L, 10:30-11:30 H, 10:45-11:15 O, all logged.
    #   10:00-10:30 L alone          L 30
    #   10:30-10:45 L H              L 7.5  H 7.5
    #   10:45-11:00 L H O            L 5    H 5    O 5
    #   11:00-11:15 H O                     H 7.5  O 7.5
    #   11:15-11:30 H alone                 H 15
    # L 42.5, H 35, O 12.5: 90 minutes, the union 10:00-11:30.
    # Double-booked: 15*1 + 15*2 + 15*1 = 60 = (60 + 60 + 30) - 90.
    spans = [
        span("2026-11-17T10:00+01:00", "2026-11-17T11:00+01:00", "leadership"),
        span("2026-11-17T10:30+01:00", "2026-11-17T11:30+01:00", "hands-on"),
        span("2026-11-17T10:45+01:00", "2026-11-17T11:15+01:00", "other"),
    ]
    record = one_week(spans)
    assert minutes(record) == (42.5, 35.0, 12.5, 0.0)
    assert record.double_booked_minutes == 60.0
    assert record.leadership_share == pytest.approx(42.5 / 77.5)


def test_a_logged_entry_takes_its_time_from_the_calendar_meeting_around_it() -> None:
    # Meeting 14:00-15:00 (leadership); logged bugfix 14:20-14:50 inside it.
    # 14:00-14:20 meeting only: L 20; 14:20-14:50 the log wins: H 30; 14:50-15:00: L 10.
    spans = [
        span("2026-11-18T14:00+01:00", "2026-11-18T15:00+01:00", "leadership", "ics", "1:1"),
        span("2026-11-18T14:20+01:00", "2026-11-18T14:50+01:00", "hands-on", "log", "bugfix"),
    ]
    record = one_week(spans)
    assert minutes(record) == (30.0, 30.0, 0.0, 0.0)
    assert record.double_booked_minutes == 30.0
    assert record.activities == {"leadership": {"1:1": 30.0}, "hands-on": {"bugfix": 30.0}}


def test_two_calendar_meetings_share_their_overlap() -> None:
    # 09:00-10:00 L and 09:30-10:30 O, both from the calendar: the half hour is split 15/15.
    spans = [
        span("2026-11-19T09:00+01:00", "2026-11-19T10:00+01:00", "leadership", "ics"),
        span("2026-11-19T09:30+01:00", "2026-11-19T10:30+01:00", "other", "ics"),
    ]
    assert minutes(one_week(spans)) == (45.0, 0.0, 45.0, 0.0)


def test_log_and_timer_share_equally_and_both_beat_the_calendar() -> None:
    # 09:00-11:00 meeting (O) under a logged review 09:00-10:00 (L) and a timed spike
    # 09:30-10:30 (H): 09:00-09:30 L 30; 09:30-10:00 L 15 H 15; 10:00-10:30 H 30;
    # 10:30-11:00 the meeting alone: O 30.
    spans = [
        span("2026-11-19T09:00+01:00", "2026-11-19T11:00+01:00", "other", "ics"),
        span("2026-11-19T09:00+01:00", "2026-11-19T10:00+01:00", "leadership", "log"),
        span("2026-11-19T09:30+01:00", "2026-11-19T10:30+01:00", "hands-on", "timer"),
    ]
    record = one_week(spans)
    assert minutes(record) == (45.0, 45.0, 30.0, 0.0)
    assert record.double_booked_minutes == 120.0  # 120 + 60 + 60 - 120


def test_activities_per_category_with_unlabelled_time_as_none() -> None:
    spans = [
        span("2026-11-16T09:00+01:00", "2026-11-16T10:00+01:00", "leadership", "log", "review"),
        span("2026-11-16T10:00+01:00", "2026-11-16T12:00+01:00", "leadership", "log", "rfc"),
        span("2026-11-16T13:00+01:00", "2026-11-16T13:30+01:00", "leadership", "log", None),
        span("2026-11-16T14:00+01:00", "2026-11-16T14:10+01:00", "unclassified", "ics"),
    ]
    record = one_week(spans)
    assert record.activities == {
        "leadership": {"rfc": 120.0, "review": 60.0, "(none)": 30.0},
        "unclassified": {"(none)": 10.0},
    }
    assert list(record.activities["leadership"]) == ["rfc", "review", "(none)"]  # largest first


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("share", "shown", "verdict"),
    [
        (0.6495, "65.0", Verdict.ON_TARGET),  # shown as 65.0%: inside 70 ± 5
        (0.64951, "65.0", Verdict.ON_TARGET),
        (0.64949, "64.9", Verdict.TOO_HANDS_ON),
        (0.6494, "64.9", Verdict.TOO_HANDS_ON),
        (0.65, "65.0", Verdict.ON_TARGET),
        (0.70, "70.0", Verdict.ON_TARGET),
        (0.75, "75.0", Verdict.ON_TARGET),
        (0.7504, "75.0", Verdict.ON_TARGET),
        (0.75049, "75.0", Verdict.ON_TARGET),
        (0.7505, "75.1", Verdict.TOO_HANDS_OFF),  # halves round up: shown as 75.1%
        (0.0, "0.0", Verdict.TOO_HANDS_ON),
        (1.0, "100.0", Verdict.TOO_HANDS_OFF),
    ],
)
def test_verdict_compares_the_share_as_displayed(
    share: float, shown: str, verdict: Verdict
) -> None:
    assert percent(share) == Decimal(shown)
    assert verdict_for(share, 600, target=0.70, tolerance=0.05, min_hours=4) is verdict


def test_not_enough_data_below_the_minimum_classified_hours() -> None:
    judge = {"target": 0.70, "tolerance": 0.05, "min_hours": 4}
    assert verdict_for(0.7, 239.9, **judge) is Verdict.NOT_ENOUGH_DATA
    assert verdict_for(0.7, 240, **judge) is Verdict.ON_TARGET
    assert verdict_for(None, 0, **judge) is Verdict.NOT_ENOUGH_DATA
    # Even without a minimum, a week with no classified time cannot be judged.
    assert verdict_for(None, 0, target=0.7, tolerance=0.05, min_hours=0) == "not-enough-data"


def test_exact_boundary_share_from_real_minutes_passes() -> None:
    # 1299 min leadership, 701 min hands-on: 1299 / 2000 = 0.6495 exactly -> 65.0% -> passes.
    spans = [
        span("2026-11-16T00:00+01:00", "2026-11-16T21:39+01:00", "leadership"),  # 1299 min
        span("2026-11-17T00:00+01:00", "2026-11-17T11:41+01:00", "hands-on"),  # 701 min
    ]
    record = one_week(spans)
    assert minutes(record) == (1299.0, 701.0, 0.0, 0.0)
    assert record.leadership_share == 0.6495
    assert record.verdict == "on-target"
    # 1501 / 2000 = 0.7505 -> 75.1% -> too hands-off.
    spans = [
        span("2026-11-16T00:00+01:00", "2026-11-17T01:01+01:00", "leadership"),  # 1501 min
        span("2026-11-18T00:00+01:00", "2026-11-18T08:19+01:00", "hands-on"),  # 499 min
    ]
    record = one_week(spans)
    assert minutes(record) == (1501.0, 499.0, 0.0, 0.0)
    assert record.verdict == "too-hands-off"


def test_week_with_little_classified_time_is_not_enough_data_but_keeps_its_share() -> None:
    # 200 min leadership + 30 min hands-on = 230 min < 4 h.
    spans = [
        span("2026-11-16T09:00+01:00", "2026-11-16T12:20+01:00", "leadership"),
        span("2026-11-16T13:00+01:00", "2026-11-16T13:30+01:00", "hands-on"),
        span("2026-11-16T14:00+01:00", "2026-11-16T22:00+01:00", "other"),  # not classified time
    ]
    record = one_week(spans)
    assert record.verdict == "not-enough-data"
    assert record.leadership_share == pytest.approx(200 / 230)
    assert one_week(spans, min_hours=3.5).verdict == "too-hands-off"  # 86.96% > 75%


def test_empty_period_has_no_share_and_no_division_error() -> None:
    report = build_report([], [W46, W47], tz=BERLIN, now=NOW)
    for record in report.weeks:
        assert minutes(record) == (0.0, 0.0, 0.0, 0.0)
        assert record.leadership_share is None
        assert record.verdict == "not-enough-data"
        assert record.activities == {}
        assert record.unclassified_share is None
    assert report.totals == {"leadership": 0.0, "hands-on": 0.0, "other": 0.0, "unclassified": 0.0}
    assert report.average_share is None
    assert report.unclassified_share is None
    assert not report.unclassified_warning
    no_weeks = build_report([], [], tz=BERLIN, now=NOW)
    assert no_weeks.weeks == ()
    assert no_weeks.average_share is None


# --------------------------------------------------------------------------- period


def two_weeks() -> Report:
    # W46: L 6 h, H 2 h. W47: L 1 h, H 3 h, U 1 h.
    spans = [
        span("2026-11-10T09:00+01:00", "2026-11-10T15:00+01:00", "leadership"),
        span("2026-11-11T09:00+01:00", "2026-11-11T11:00+01:00", "hands-on"),
        span("2026-11-17T09:00+01:00", "2026-11-17T10:00+01:00", "leadership"),
        span("2026-11-17T10:00+01:00", "2026-11-17T13:00+01:00", "hands-on"),
        span("2026-11-18T10:00+01:00", "2026-11-18T11:00+01:00", "unclassified", "ics"),
    ]
    return build_report(spans, [W46, W47], tz=BERLIN, now=NOW)


def test_period_totals_and_average_share_from_totals() -> None:
    report = two_weeks()
    assert report.totals == {
        "leadership": 420.0,
        "hands-on": 300.0,
        "other": 0.0,
        "unclassified": 60.0,
    }
    assert report.average_share == pytest.approx(7 / 12)  # 420 / 720, not the mean of 0.75 and 0.25
    assert report.unclassified_share == pytest.approx(60 / 780)  # 7.7%: no period warning
    assert not report.unclassified_warning
    assert [r.unclassified_warning for r in report.weeks] == [False, True]  # W47: 60/300 = 20%


def test_unclassified_warning_is_strictly_above_ten_percent() -> None:
    exactly_ten = [
        span("2026-11-17T09:00+01:00", "2026-11-17T10:30+01:00", "leadership"),  # 90 min
        span("2026-11-17T11:00+01:00", "2026-11-17T11:10+01:00", "unclassified"),  # 10 min
    ]
    assert not one_week(exactly_ten).unclassified_warning
    eleven = [
        span("2026-11-17T09:00+01:00", "2026-11-17T10:29+01:00", "leadership"),  # 89 min
        span("2026-11-17T11:00+01:00", "2026-11-17T11:11+01:00", "unclassified"),  # 11 min
    ]
    assert one_week(eleven).unclassified_warning


def test_aggregate_record_of_two_weeks() -> None:
    record = aggregate_record(two_weeks())
    assert record.week == "2026-W46..2026-W47"
    assert (record.start, record.end) == (date(2026, 11, 9), date(2026, 11, 22))
    assert not record.complete
    assert minutes(record) == (420.0, 300.0, 0.0, 60.0)
    assert record.verdict == "too-hands-on"  # 58.3% < 65%, with 12 h >= 2 weeks * 4 h


# --------------------------------------------------------------------------- JSON


def test_json_has_exactly_the_spec_shape() -> None:
    data = to_json_dict(two_weeks())
    # SPEC 6 and the additive keys since: "by", planned and working-hours minutes
    assert set(data) == {"timezone", "target", "tolerance", "by", "weeks"}
    assert (data["timezone"], data["target"], data["tolerance"]) == (BERLIN, 0.70, 0.05)
    assert data["by"] is None
    first = data["weeks"][0]
    assert set(first) == {
        "week",
        "start",
        "end",
        "complete",
        "minutes",
        "leadership_share",
        "double_booked_minutes",
        "verdict",
        "activities",
        "planned_minutes",
        "working_minutes",
        "accounted_minutes",
        "unaccounted_minutes",
    }
    assert first == {
        "week": "2026-W46",
        "start": "2026-11-09",
        "end": "2026-11-15",
        "complete": True,
        "minutes": {"leadership": 360.0, "hands-on": 120.0, "other": 0.0, "unclassified": 0.0},
        "leadership_share": 0.75,
        "double_booked_minutes": 0.0,
        "verdict": "on-target",
        "activities": {"leadership": {"(none)": 360.0}, "hands-on": {"(none)": 120.0}},
        "planned_minutes": {"leadership": 0.0, "hands-on": 0.0, "other": 0.0, "unclassified": 0.0},
        "working_minutes": None,
        "accounted_minutes": None,
        "unaccounted_minutes": None,
    }
    assert data["weeks"][1]["leadership_share"] == 0.25
    assert data["weeks"][1]["complete"] is False


def test_json_rounds_shares_to_four_and_minutes_to_one_decimal() -> None:
    # One third each of a 10-minute stretch: 10/3 min = 3.333... -> 3.3.
    spans = [
        span("2026-11-17T10:00+01:00", "2026-11-17T10:10+01:00", "leadership"),
        span("2026-11-17T10:00+01:00", "2026-11-17T10:10+01:00", "hands-on"),
        span("2026-11-17T10:00+01:00", "2026-11-17T10:10+01:00", "hands-on"),
    ]
    report = build_report(spans, [W47], tz=BERLIN, now=NOW)
    week = to_json_dict(report)["weeks"][0]
    assert week["minutes"] == {
        "leadership": 3.3,
        "hands-on": 6.7,
        "other": 0.0,
        "unclassified": 0.0,
    }
    assert week["leadership_share"] == 0.3333
    assert week["double_booked_minutes"] == 20.0


def test_round_half_up_works_on_the_decimal_form() -> None:
    assert round_half_up(64.95, 1) == 65.0  # round() would give 64.9 (binary 64.9499...)
    assert round_half_up(0.70665, 4) == 0.7067
    assert round_half_up(2.25, 1) == 2.3
