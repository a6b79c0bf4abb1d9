"""What users type for durations, times, dates and weeks, and how leadtime reads it.

Every expectation below is written out by hand. "now" is fixed; nothing reads the clock or
depends on the machine's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadtime.clock import format_local
from leadtime.errors import ExitCode, UsageError
from leadtime.timeparse import parse_date, parse_moment, parse_week
from leadtime.units import format_duration, parse_duration

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"

# Wednesday 2026-11-25, 10:00 in Berlin (CET, UTC+1) = 09:00 UTC.
NOW_BERLIN = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Wednesday 2026-11-25, 10:00 in New York (EST, UTC-5) = 15:00 UTC.
NOW_NEW_YORK = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    """An aware UTC instant written as ``YYYY-MM-DD HH:MM`` (the expected values below)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("90m", 90),
        ("1h", 60),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1h05", 65),
        ("1.5h", 90),
        ("1,5h", 90),
        ("0.25h", 15),
        ("1.33h", 80),  # 79.8 minutes, rounded to the nearest minute
        ("2h15m", 135),
        ("1:30", 90),
        ("0:45", 45),
        ("10:05", 605),
        ("45min", 45),
        ("45 mins", 45),
        ("2 hours", 120),
        ("1 hour", 60),
        ("1hr", 60),
        ("30 minutes", 30),
        ("1 hour 30 minutes", 90),
        ("90", 90),
        ("5", 5),
        ("1H30M", 90),
        ("  1 h  30 m  ", 90),
        ("600m", 600),
        ("0m", 0),  # range checks belong to the caller
        ("36h", 2160),
    ],
)
def test_parse_duration_reads_the_documented_forms(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "7x",
        "h",
        "m",
        "abc",
        "1h75",
        "1h60m",
        "1:75",
        "1:5",
        "-30m",
        "+30m",
        "1.5h30m",
        "1.5m",
        "1h30h",
        "30m1h",
        "1 30",
        "1..5h",
        "99999999999999h",
    ],
)
def test_parse_duration_rejects_other_text(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_duration(text)
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message.startswith(f"cannot read {text!r} as a duration")
    assert caught.value.hint is not None
    assert "45m" in caught.value.hint
    assert "1h30" in caught.value.hint
    assert "1.5h" in caught.value.hint


def test_parse_duration_says_why_minutes_after_hours_are_refused() -> None:
    with pytest.raises(UsageError) as caught:
        parse_duration("1h75")
    assert caught.value.message == (
        "cannot read '1h75' as a duration: the minutes after the hours must be below 60"
    )


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0m"),
        (0.4, "0m"),
        (0.5, "1m"),
        (1, "1m"),
        (45, "45m"),
        (59.4, "59m"),
        (59.5, "1h"),
        (60, "1h"),
        (65, "1h05m"),
        (90, "1h30m"),
        (90.0, "1h30m"),
        (135, "2h15m"),
        (600, "10h"),
        (1439, "23h59m"),
        (1440, "24h"),
        (2190, "36h30m"),
        (-90, "-1h30m"),
    ],
)
def test_format_duration_is_compact_and_rounds_to_the_minute(minutes: float, text: str) -> None:
    assert format_duration(minutes) == text


@given(st.integers(min_value=1, max_value=1440))
def test_formatted_durations_read_back_to_the_same_minutes(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == timedelta(minutes=minutes)


@given(st.floats(min_value=0, max_value=10_000, allow_nan=False))
def test_format_duration_rounds_to_the_nearest_minute(minutes: float) -> None:
    read_back = parse_duration(format_duration(minutes)).total_seconds() / 60
    assert abs(read_back - minutes) <= 0.5


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=0, max_value=59))
def test_hours_and_minutes_forms_agree(hours: int, minutes: int) -> None:
    expected = timedelta(hours=hours, minutes=minutes)
    assert parse_duration(f"{hours}h{minutes}") == expected
    assert parse_duration(f"{hours}h {minutes}m") == expected
    assert parse_duration(f"{hours}:{minutes:02d}") == expected
    assert parse_duration(str(hours * 60 + minutes)) == expected


# --------------------------------------------------------------------------- moments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "2026-11-25 09:00"),
        ("NOW", "2026-11-25 09:00"),
        ("14:00", "2026-11-25 13:00"),
        ("9:30", "2026-11-25 08:30"),
        ("09:30", "2026-11-25 08:30"),
        ("23:59", "2026-11-25 22:59"),
        ("0:00", "2026-11-24 23:00"),
        ("2pm", "2026-11-25 13:00"),
        ("2 PM", "2026-11-25 13:00"),
        ("2:30pm", "2026-11-25 13:30"),
        ("9am", "2026-11-25 08:00"),
        ("12am", "2026-11-24 23:00"),
        ("12pm", "2026-11-25 11:00"),
        ("today 9:00", "2026-11-25 08:00"),
        ("today", "2026-11-24 23:00"),
        ("yesterday 14:00", "2026-11-24 13:00"),
        ("Yesterday  2pm", "2026-11-24 13:00"),
        ("yesterday", "2026-11-23 23:00"),
        ("2026-11-20 14:00", "2026-11-20 13:00"),
        ("2026-11-20 2:30 pm", "2026-11-20 13:30"),
        ("2026-11-20T14:00", "2026-11-20 13:00"),
        ("2026-11-20t14:00", "2026-11-20 13:00"),
        ("2026-11-20T14:00:00", "2026-11-20 13:00"),
        ("2026-11-20", "2026-11-19 23:00"),
        ("2026-07-01 14:00", "2026-07-01 12:00"),  # summer time (CEST, UTC+2) on that day
        ("-30m", "2026-11-25 08:30"),
        ("-1h30", "2026-11-25 07:30"),
        ("30m ago", "2026-11-25 08:30"),
        ("2h ago", "2026-11-25 07:00"),
        ("1h30 ago", "2026-11-25 07:30"),
        ("2 hours ago", "2026-11-25 07:00"),
    ],
)
def test_parse_moment_in_berlin(text: str, expected: str) -> None:
    assert parse_moment(text, now=NOW_BERLIN, tz=BERLIN) == at(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "2026-11-25 15:00"),
        ("14:00", "2026-11-25 19:00"),
        ("2pm", "2026-11-25 19:00"),
        ("yesterday 9:00", "2026-11-24 14:00"),
        ("fri 16:00", "2026-11-20 21:00"),
        ("2026-11-20 14:00", "2026-11-20 19:00"),
        ("2026-11-20", "2026-11-20 05:00"),
        ("2026-07-01 14:00", "2026-07-01 18:00"),  # daylight time (EDT, UTC-4) on that day
        ("30m ago", "2026-11-25 14:30"),
    ],
)
def test_parse_moment_in_new_york(text: str, expected: str) -> None:
    assert parse_moment(text, now=NOW_NEW_YORK, tz=NEW_YORK) == at(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T14:00Z", "2026-11-20 14:00"),
        ("2026-11-20t14:00z", "2026-11-20 14:00"),
        ("2026-11-20T14:00+05:30", "2026-11-20 08:30"),
        ("2026-11-20T14:00:00-08:00", "2026-11-20 22:00"),
        ("2026-11-20 14:00+01:00", "2026-11-20 13:00"),
        ("2026-11-20T14:00+00:00", "2026-11-20 14:00"),
    ],
)
def test_parse_moment_honours_an_explicit_offset_whatever_the_zone(
    text: str, expected: str
) -> None:
    assert parse_moment(text, now=NOW_BERLIN, tz=BERLIN) == at(expected)
    assert parse_moment(text, now=NOW_NEW_YORK, tz=NEW_YORK) == at(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wed 8:00", "2026-11-25 07:00"),  # today is a Wednesday: today, not a week ago
        ("wednesday 8:00", "2026-11-25 07:00"),
        ("wed 11:00", "2026-11-25 10:00"),  # later than now, still today
        ("tue 9:00", "2026-11-24 08:00"),
        ("mon 9:30", "2026-11-23 08:30"),
        ("monday 9:30", "2026-11-23 08:30"),
        ("Mon 9:30", "2026-11-23 08:30"),
        ("sun 12:00", "2026-11-22 11:00"),
        ("sat 12:00", "2026-11-21 11:00"),
        ("fri 16:00", "2026-11-20 15:00"),
        ("thu 9:00", "2026-11-19 08:00"),  # tomorrow's weekday means last week's day
        ("thursday", "2026-11-18 23:00"),
    ],
)
def test_weekday_names_mean_the_most_recent_such_day(text: str, expected: str) -> None:
    assert parse_moment(text, now=NOW_BERLIN, tz=BERLIN) == at(expected)


def test_today_and_weekdays_follow_the_time_zone_not_utc() -> None:
    # 03:00 UTC on Thursday 2026-11-26 is still Wednesday 22:00 in New York.
    now = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert parse_moment("today 9:00", now=now, tz=NEW_YORK) == at("2026-11-25 14:00")
    assert parse_moment("thu 9:00", now=now, tz=NEW_YORK) == at("2026-11-19 14:00")
    assert parse_moment("thu 9:00", now=now, tz=BERLIN) == at("2026-11-26 08:00")


def test_now_in_any_offset_gives_the_same_instants() -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert parse_moment("14:00", now=now, tz=BERLIN) == at("2026-11-25 13:00")
    assert parse_moment("now", now=now, tz=BERLIN) == at("2026-11-25 09:00")


def test_parse_moment_returns_plain_utc_datetimes() -> None:
    value = parse_moment("yesterday 14:00", now=NOW_BERLIN, tz=BERLIN)
    assert type(value) is datetime
    assert value.tzinfo is UTC


def test_a_wall_time_skipped_by_the_spring_change_moves_forward() -> None:
    # Berlin, 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist
    # and is read as 03:30 CEST.
    now = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
    assert parse_moment("2026-03-29 02:30", now=now, tz=BERLIN) == at("2026-03-29 01:30")
    assert parse_moment("2026-03-29 03:30", now=now, tz=BERLIN) == at("2026-03-29 01:30")
    assert parse_moment("2026-03-29 01:30", now=now, tz=BERLIN) == at("2026-03-29 00:30")


def test_a_wall_time_repeated_by_the_autumn_change_is_the_later_one() -> None:
    # Berlin, 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 02:30 happens at
    # 00:30 UTC (CEST) and again at 01:30 UTC (CET). The later one is chosen.
    now = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    assert parse_moment("2026-10-25 02:30", now=now, tz=BERLIN) == at("2026-10-25 01:30")
    assert parse_moment("2026-10-25T02:30", now=now, tz=BERLIN) == at("2026-10-25 01:30")
    # An explicit offset picks either one.
    assert parse_moment("2026-10-25T02:30+02:00", now=now, tz=BERLIN) == at("2026-10-25 00:30")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9",
        "14",
        "1400",
        "25:00",
        "14:60",
        "13pm",
        "0am",
        "noon",
        "tomorrow",
        "yesterday 25:00",
        "yesterday 9",
        "someday 9:00",
        "2026-02-30",
        "2026-02-30 14:00",
        "2026-13-01T10:00",
        "-",
        "ago",
        "7x ago",
        "-7x",
        "+30m",
        "14:00 yesterday",
    ],
)
def test_parse_moment_rejects_other_text(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_moment(text, now=NOW_BERLIN, tz=BERLIN)
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message == f"cannot read {text!r} as a time"
    assert caught.value.hint is not None
    for form in ("14:00", "2pm", "yesterday 14:00", "mon 9:30", "2026-11-20 14:00", "30m"):
        assert form in caught.value.hint


def test_parse_moment_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_moment("14:00", now=datetime(2026, 11, 25, 10, 0), tz=BERLIN)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("today", date(2026, 11, 25)),
        ("TODAY", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("wed", date(2026, 11, 25)),
        ("mon", date(2026, 11, 23)),
        ("Friday", date(2026, 11, 20)),
        ("thu", date(2026, 11, 19)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text, now=NOW_BERLIN, tz=BERLIN) == expected


def test_parse_date_uses_the_day_in_the_time_zone() -> None:
    # 23:30 UTC on Sunday 2026-11-22 is already Monday in Berlin.
    now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert parse_date("today", now=now, tz=BERLIN) == date(2026, 11, 23)
    assert parse_date("today", now=now, tz=NEW_YORK) == date(2026, 11, 22)


@pytest.mark.parametrize(
    "text", ["", "2026-02-30", "2025-02-29", "20.11.2026", "11/20/2026", "14:00", "last week"]
)
def test_parse_date_rejects_other_text(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_date(text, now=NOW_BERLIN, tz=BERLIN)
    assert caught.value.message == f"cannot read {text!r} as a date"
    assert caught.value.hint is not None
    assert "2026-11-20" in caught.value.hint
    assert "yesterday" in caught.value.hint


# --------------------------------------------------------------------------- weeks


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W47", date(2026, 11, 16)),
        ("2026W47", date(2026, 11, 16)),
        ("2026-w47", date(2026, 11, 16)),
        ("W47", date(2026, 11, 16)),
        ("w48", date(2026, 11, 23)),
        ("2026-W01", date(2025, 12, 29)),  # 1 January 2026 is a Thursday
        ("2026-W53", date(2026, 12, 28)),  # 2026 starts on a Thursday: it has 53 weeks
        ("2027-W01", date(2027, 1, 4)),
        ("2020-W53", date(2020, 12, 28)),  # leap year starting on a Wednesday
        ("this week", date(2026, 11, 23)),
        ("This  Week", date(2026, 11, 23)),
        ("last week", date(2026, 11, 16)),
        ("today", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 23)),
        ("mon", date(2026, 11, 23)),
        ("sun", date(2026, 11, 16)),
        ("2026-11-20", date(2026, 11, 16)),
        ("2026-11-22", date(2026, 11, 16)),
        ("2026-11-23", date(2026, 11, 23)),
        ("2027-01-01", date(2026, 12, 28)),
    ],
)
def test_parse_week_returns_the_monday(text: str, monday: date) -> None:
    assert parse_week(text, now=NOW_BERLIN, tz=BERLIN) == monday


def test_last_week_across_a_year_boundary() -> None:
    # Monday 2027-01-04 starts 2027-W01; the week before is 2026-W53.
    now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert parse_week("last week", now=now, tz=BERLIN) == date(2026, 12, 28)
    assert parse_week("this week", now=now, tz=BERLIN) == date(2027, 1, 4)


def test_a_bare_week_number_belongs_to_the_current_iso_year() -> None:
    # Saturday 2027-01-02 still belongs to ISO year 2026 (week 53).
    now = datetime(2027, 1, 2, 12, 0, tzinfo=UTC)
    assert parse_week("W53", now=now, tz=BERLIN) == date(2026, 12, 28)
    assert parse_week("W1", now=now, tz=BERLIN) == date(2025, 12, 29)


def test_this_week_follows_the_time_zone() -> None:
    # 23:30 UTC on Sunday 2026-11-22 is Monday 00:30 in Berlin, Sunday 18:30 in New York.
    now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert parse_week("this week", now=now, tz=BERLIN) == date(2026, 11, 23)
    assert parse_week("this week", now=now, tz=NEW_YORK) == date(2026, 11, 16)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-W53", "2027 has weeks 1 to 52"),  # 2027 starts on a Friday
        ("2025-W53", "2025 has weeks 1 to 52"),
        ("2026-W54", "2026 has weeks 1 to 53"),
        ("2026-W00", "2026 has weeks 1 to 53"),
        ("W54", "2026 has weeks 1 to 53"),
    ],
)
def test_parse_week_rejects_weeks_the_year_does_not_have(text: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_week(text, now=NOW_BERLIN, tz=BERLIN)
    assert caught.value.message == f"cannot read {text!r} as a week: {reason}"
    assert caught.value.hint is not None
    assert "2026-W47" in caught.value.hint


@pytest.mark.parametrize("text", ["", "next week", "week 47", "2026-W", "2026-47", "W", "2026"])
def test_parse_week_rejects_other_text(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_week(text, now=NOW_BERLIN, tz=BERLIN)
    assert caught.value.message == f"cannot read {text!r} as a week"
    assert caught.value.hint is not None
    for form in ("2026-W47", "W47", "this week", "last week"):
        assert form in caught.value.hint


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("moment", "tz", "text"),
    [
        (at("2026-11-20 13:00"), BERLIN, "2026-11-20 14:00"),
        (at("2026-11-20 13:00"), NEW_YORK, "2026-11-20 08:00"),
        (at("2026-07-01 22:30"), BERLIN, "2026-07-02 00:30"),
        (at("2026-10-25 00:30"), BERLIN, "2026-10-25 02:30"),
        (at("2026-10-25 01:30"), BERLIN, "2026-10-25 02:30"),
        (
            datetime(2026, 11, 20, 14, 0, tzinfo=timezone(timedelta(hours=1))),
            "UTC",
            "2026-11-20 13:00",
        ),
    ],
)
def test_format_local(moment: datetime, tz: str, text: str) -> None:
    assert format_local(moment, tz) == text


def test_format_local_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_local(datetime(2026, 11, 20, 14, 0), BERLIN)
