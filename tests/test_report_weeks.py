"""ISO weeks in a zone: labels, periods, and boundaries across daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from leadtime.clock import iso_label, local_date, week_of, zone
from leadtime.errors import UsageError
from leadtime.reports.weeks import (
    day_bounds,
    last_n_weeks,
    spans_window,
    week_bounds,
    weeks_between,
)

FRIDAY_EVENING = datetime.fromisoformat("2026-11-20T18:00:00+01:00")


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def test_week_of_returns_the_monday() -> None:
    assert week_of(date(2026, 11, 16)) == date(2026, 11, 16)
    assert week_of(date(2026, 11, 22)) == date(2026, 11, 16)  # Sunday
    assert week_of(date(2027, 1, 1)) == date(2026, 12, 28)  # a Friday, still 2026-W53


@pytest.mark.parametrize(
    ("monday", "label"),
    [
        (date(2026, 11, 16), "2026-W47"),
        (date(2026, 3, 23), "2026-W13"),
        (date(2026, 12, 28), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2024, 12, 30), "2025-W01"),  # the ISO year starts in the calendar year before
    ],
)
def test_iso_labels(monday: date, label: str) -> None:
    assert iso_label(monday) == label


def test_berlin_spring_forward_week_is_167_hours() -> None:
    start, end = week_bounds(date(2026, 3, 23), "Europe/Berlin")
    assert start == ts("2026-03-23T00:00:00+01:00")
    assert end == ts("2026-03-30T00:00:00+02:00")
    assert end - start == 167 * 3600


def test_new_york_fall_back_week_is_169_hours() -> None:
    start, end = week_bounds(date(2026, 10, 26), "America/New_York")
    assert start == ts("2026-10-26T00:00:00-04:00")
    assert end == ts("2026-11-02T00:00:00-05:00")  # 05:00 UTC, not 04:00
    assert end - start == 169 * 3600


def test_default_period_is_four_complete_weeks_and_the_current_one() -> None:
    assert last_n_weeks(FRIDAY_EVENING, "Europe/Berlin", 4) == [
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]


def test_last_n_weeks_with_and_without_the_current_week() -> None:
    assert last_n_weeks(FRIDAY_EVENING, "Europe/Berlin", 2) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert last_n_weeks(FRIDAY_EVENING, "Europe/Berlin", 2, include_current=False) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
    ]
    assert last_n_weeks(FRIDAY_EVENING, "Europe/Berlin", 0) == [date(2026, 11, 16)]
    with pytest.raises(UsageError):
        last_n_weeks(FRIDAY_EVENING, "Europe/Berlin", 0, include_current=False)


def test_the_current_week_is_taken_in_the_report_zone() -> None:
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin, but still Sunday in New York.
    now = datetime.fromisoformat("2026-11-22T23:30:00+00:00")
    assert local_date(now, "Europe/Berlin") == date(2026, 11, 23)
    assert last_n_weeks(now, "Europe/Berlin", 0) == [date(2026, 11, 23)]
    assert last_n_weeks(now, "America/New_York", 0) == [date(2026, 11, 16)]


def test_weeks_between_covers_every_overlapping_week_whole() -> None:
    assert weeks_between(date(2026, 11, 18), date(2026, 11, 30)) == [
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
    assert weeks_between(date(2026, 11, 22), date(2026, 11, 22)) == [date(2026, 11, 16)]
    with pytest.raises(UsageError):
        weeks_between(date(2026, 11, 30), date(2026, 11, 1))


def test_windows_for_the_store() -> None:
    mondays = [date(2026, 3, 16), date(2026, 3, 23)]
    assert spans_window(mondays, "Europe/Berlin") == (
        ts("2026-03-16T00:00:00+01:00"),
        ts("2026-03-30T00:00:00+02:00"),
    )
    assert spans_window([], "Europe/Berlin") == (0, 0)
    assert day_bounds(date(2026, 3, 29), date(2026, 3, 29), "Europe/Berlin") == (
        ts("2026-03-29T00:00:00+01:00"),
        ts("2026-03-30T00:00:00+02:00"),
    )


def test_unknown_zone_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Mars/Olympus"):
        zone("Mars/Olympus")
