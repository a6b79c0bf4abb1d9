"""Reading the working hours setting and laying it over a week, clock changes included."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leadtime.reports import DEFAULT_WORK_HOURS, WorkHours


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def test_the_default_is_eight_hours_monday_to_friday() -> None:
    hours = WorkHours.parse(DEFAULT_WORK_HOURS)
    assert hours.days == (((540, 1020),),) * 5 + ((), ())
    assert hours.weekly_minutes == 40 * 60


def test_several_groups_and_ranges() -> None:
    hours = WorkHours.parse("mon-thu 08:30-12:00,13:00-17:30; fri 08:30-14:00")
    assert hours.days[0] == hours.days[3] == ((510, 720), (780, 1050))
    assert hours.days[4] == ((510, 840),)
    assert hours.days[5] == hours.days[6] == ()
    assert hours.weekly_minutes == 4 * (210 + 270) + 330  # 37.5 h


def test_day_lists_wrapping_ranges_full_names_and_merged_overlaps() -> None:
    hours = WorkHours.parse("Sat-Mon 10:00-11:00; wednesday,fri 09:00-12:00,11:00-13:00")
    assert [bool(day) for day in hours.days] == [True, False, True, False, True, True, True]
    assert hours.days[2] == ((540, 780),)  # 09-12 and 11-13 are one range 09-13
    assert WorkHours.parse("mon 20:00-24:00").days[0] == ((1200, 1440),)


@pytest.mark.parametrize("text", ["", "none", "  NONE "])
def test_no_working_hours(text: str) -> None:
    hours = WorkHours.parse(text)
    assert hours.weekly_minutes == 0
    assert hours.intervals(date(2026, 11, 16), "Europe/Berlin") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon-fri", "needs days and times"),
        ("mon-fri 9-17", "'9' is not a time"),
        ("funday 09:00-17:00", "'funday' is not a weekday"),
        ("mon 17:00-09:00", "ends before it starts"),
        ("mon 09:00-09:00", "ends before it starts"),
        ("mon 09:00-25:00", "'25:00' is not a time of day"),
        ("mon 09:60-10:00", "'09:60' is not a time of day"),
        ("mon 09:00", "is not a range"),
        ("mon-fri 09:00-17:00;", "needs days and times"),
    ],
)
def test_bad_settings_are_refused_with_the_part_named(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="work hours") as error:
        WorkHours.parse(text)
    assert message in str(error.value)


def test_intervals_are_local_times_in_the_zone() -> None:
    hours = WorkHours.parse("mon 09:00-17:00; fri 08:30-14:00")
    assert hours.intervals(date(2026, 11, 16), "Europe/Berlin") == [
        (ts("2026-11-16T09:00+01:00"), ts("2026-11-16T17:00+01:00")),
        (ts("2026-11-20T08:30+01:00"), ts("2026-11-20T14:00+01:00")),
    ]


def test_a_range_across_the_spring_forward_change_is_an_hour_shorter() -> None:
    # Berlin, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST. 01:00-04:00 lasts 2 hours.
    hours = WorkHours.parse("sun 01:00-04:00; mon-fri 09:00-17:00")
    found = hours.intervals(date(2026, 3, 23), "Europe/Berlin")
    assert found[-1] == (ts("2026-03-29T01:00+01:00"), ts("2026-03-29T04:00+02:00"))
    assert found[-1][1] - found[-1][0] == 2 * 3600
    assert sum(end - start for start, end in found[:-1]) == 40 * 3600


def test_a_range_across_the_fall_back_change_is_an_hour_longer() -> None:
    # New York, Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST. 00:00-03:00 lasts 4 hours.
    hours = WorkHours.parse("sun 00:00-03:00")
    assert hours.intervals(date(2026, 10, 26), "America/New_York") == [
        (ts("2026-11-01T00:00-04:00"), ts("2026-11-01T03:00-05:00"))
    ]


def test_evening_and_early_morning_ranges_that_touch_are_one_interval() -> None:
    hours = WorkHours.parse("mon 20:00-24:00; tue 00:00-02:00")
    assert hours.intervals(date(2026, 11, 16), "UTC") == [
        (ts("2026-11-16T20:00+00:00"), ts("2026-11-17T02:00+00:00"))
    ]
