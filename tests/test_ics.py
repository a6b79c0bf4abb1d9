"""The .ics source: every expectation below is worked out by hand from the fixture text."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.entry import Entry, Exclusion, Origin
from leadtime.errors import InputError
from leadtime.sources.ics import ParsedCalendar, decode_calendar_bytes, parse_calendar

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
CORPUS = Path(__file__).parents[2] / "shared" / "ics-corpus"
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)
ME = ["me@example.org"]


def at(text: str) -> datetime:
    """'2026-03-02 14:00' in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def parse_bytes(data: bytes, **kwargs: object) -> ParsedCalendar:
    options: dict[str, object] = {
        "label": "test.ics",
        "calendar": "work",
        "me": ME,
        "tz": "Europe/Berlin",
        "window_start": START,
        "window_end": END,
    }
    options.update(kwargs)
    return parse_calendar(data, **options)  # type: ignore[arg-type]


def parse(name: str, **kwargs: object) -> ParsedCalendar:
    return parse_bytes((FIXTURES / f"{name}.ics").read_bytes(), label=f"{name}.ics", **kwargs)


def spans(result: ParsedCalendar, uid: str | None = None) -> list[tuple[datetime, datetime]]:
    return [(e.start, e.end) for e in result.entries if uid is None or e.uid == uid]


def one(result: ParsedCalendar, uid: str) -> Entry:
    (entry,) = [e for e in result.entries if e.uid == uid]
    return entry


def calendar(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{header}{body}END:VCALENDAR\r\n"
    ).encode()


# --------------------------------------------------------------------------- recurrences


def test_weekly_new_york_series_keeps_wall_time_across_both_dst_changes() -> None:
    result = parse("dst_new_york")
    starts = [e.start for e in result.entries]
    assert len(starts) == 37  # 2026-03-02 .. 2026-11-09, every Monday
    assert starts[0] == at("2026-03-02 14:00")  # 09:00 EST
    assert starts[1] == at("2026-03-09 13:00")  # 09:00 EDT, after 2026-03-08
    assert starts[-3] == at("2026-10-26 13:00")  # still EDT
    assert starts[-2] == at("2026-11-02 14:00")  # 09:00 EST, after 2026-11-01
    assert starts[-1] == at("2026-11-09 14:00")
    assert all(s.hour == 13 for s in starts[1:-2])
    assert all(e.minutes == 30 for e in result.entries)
    assert result.entries[0].recurrence_id == "2026-03-02T14:00:00Z"
    assert result.entries[1].recurrence_id == "2026-03-09T13:00:00Z"
    assert result.problems == ()


def test_exdate_removes_one_instance() -> None:
    result = parse("exdate")
    assert [e.start for e in result.entries] == [
        at("2026-02-02 10:00"),
        at("2026-02-03 10:00"),
        at("2026-02-05 10:00"),
        at("2026-02-06 10:00"),
    ]
    assert [e.recurrence_id for e in result.entries][2] == "2026-02-05T10:00:00Z"


def test_instance_moved_on_the_same_day() -> None:
    result = parse("moved_same_day")
    assert spans(result) == [
        (at("2026-02-03 13:00"), at("2026-02-03 14:00")),
        (at("2026-02-10 15:00"), at("2026-02-10 16:00")),
        (at("2026-02-17 13:00"), at("2026-02-17 14:00")),
    ]
    moved = result.entries[1]
    assert moved.title == "Design review (later)"
    assert moved.recurrence_id == "2026-02-10T13:00:00Z"


def test_instance_moved_to_another_day() -> None:
    result = parse("moved_other_day")
    assert spans(result) == [
        (at("2026-02-03 13:00"), at("2026-02-03 14:00")),
        (at("2026-02-11 08:00"), at("2026-02-11 09:00")),
        (at("2026-02-17 13:00"), at("2026-02-17 14:00")),
    ]
    assert result.entries[1].recurrence_id == "2026-02-10T13:00:00Z"


def test_shortened_instance() -> None:
    result = parse("shortened")
    assert [e.minutes for e in result.entries] == [60, 20, 60]


def test_cancelled_instance_is_kept_but_excluded() -> None:
    result = parse("cancelled_instance")
    assert [e.excluded for e in result.entries] == [None, Exclusion.CANCELLED, None]
    assert result.entries[1].start == at("2026-02-10 13:00")


def test_cancelled_series_excludes_every_instance() -> None:
    result = parse("cancelled_series")
    assert spans(result) == [
        (at("2026-01-05 08:00"), at("2026-01-05 09:00")),
        (at("2026-01-12 08:00"), at("2026-01-12 09:00")),
    ]
    assert {e.excluded for e in result.entries} == {Exclusion.CANCELLED}


def test_this_and_future_moves_and_shortens_the_rest_of_the_series() -> None:
    result = parse("thisandfuture")
    assert spans(result) == [
        (at("2026-04-06 09:00"), at("2026-04-06 10:00")),
        (at("2026-04-07 09:00"), at("2026-04-07 10:00")),
        (at("2026-04-08 11:00"), at("2026-04-08 11:30")),
        (at("2026-04-09 11:00"), at("2026-04-09 11:30")),
        (at("2026-04-10 11:00"), at("2026-04-10 11:30")),
    ]
    assert [e.recurrence_id for e in result.entries] == [
        "2026-04-06T09:00:00Z",
        "2026-04-07T09:00:00Z",
        "2026-04-08T09:00:00Z",
        "2026-04-09T09:00:00Z",
        "2026-04-10T09:00:00Z",
    ]


def test_override_without_master_is_imported() -> None:
    result = parse("override_without_master")
    (entry,) = result.entries
    assert (entry.start, entry.end) == (at("2026-05-05 09:00"), at("2026-05-05 10:00"))
    assert entry.recurrence_id == "2026-05-05T08:00:00Z"


def test_rdate_adds_instances_with_the_series_length() -> None:
    result = parse("rdate")
    assert spans(result) == [
        (at("2026-06-01 12:00"), at("2026-06-01 13:00")),
        (at("2026-06-03 12:00"), at("2026-06-03 13:00")),
        (at("2026-06-10 15:00"), at("2026-06-10 16:00")),
    ]
    assert result.entries[2].recurrence_id == "2026-06-10T15:00:00Z"


def test_duration_instead_of_dtend() -> None:
    entry = one(parse("duration"), "with-duration")
    assert entry.start == at("2026-07-01 08:00")
    assert entry.minutes == 90
    assert entry.recurrence_id is None


@pytest.mark.parametrize(
    ("uid", "span"),
    [
        # Saturday 2026-10-24 12:00 CEST = 10:00 UTC; the clocks go back on Sunday at 03:00:
        # 24 exact hours end on Sunday at 11:00 CET = 10:00 UTC, a calendar day at 12:00 CET
        ("hours-24", ("2026-10-24 10:00", "2026-10-25 10:00")),
        ("minutes-1440", ("2026-10-24 10:00", "2026-10-25 10:00")),
        ("seconds-86400", ("2026-10-24 10:00", "2026-10-25 10:00")),
        ("day-1", ("2026-10-24 10:00", "2026-10-25 11:00")),
        # Saturday 2026-03-28 12:00 CET = 11:00 UTC; the clocks go forward on Sunday at 02:00:
        # 26 exact hours end on Sunday at 13:00 UTC (15:00 CEST), not 14:00 CEST (P1DT2H)
        ("hours-26", ("2026-03-28 11:00", "2026-03-29 13:00")),
    ],
)
def test_a_duration_in_hours_minutes_or_seconds_is_exact_across_a_clock_change(
    uid: str, span: tuple[str, str]
) -> None:
    assert spans(parse("duration_exact"), uid) == [(at(span[0]), at(span[1]))]


def test_every_instance_of_a_series_lasts_the_exact_hours_written() -> None:
    # 12:00 CEST on 2026-10-17 and 2026-10-24 (10:00 UTC), 24 hours each
    assert spans(parse("duration_exact"), "weekly-hours-24") == [
        (at("2026-10-17 10:00"), at("2026-10-18 10:00")),
        (at("2026-10-24 10:00"), at("2026-10-25 10:00")),
    ]


def test_timed_event_without_end_lasts_zero_minutes() -> None:
    entry = one(parse("no_dtend"), "no-end")
    assert entry.start == entry.end == at("2026-07-02 08:00")
    assert entry.excluded is None


def test_all_day_events_are_excluded_and_span_local_days() -> None:
    result = parse("all_day")
    with_end = one(result, "all-day-with-end")
    assert (with_end.start, with_end.end) == (at("2026-07-02 22:00"), at("2026-07-03 22:00"))
    assert with_end.excluded is Exclusion.ALL_DAY
    no_end = one(result, "all-day-no-end")
    assert (no_end.start, no_end.end) == (at("2026-01-05 23:00"), at("2026-01-06 23:00"))
    assert no_end.excluded is Exclusion.ALL_DAY


# --------------------------------------------------------------------------- what counts


def test_declined_by_me_is_excluded_declined_by_someone_else_counts() -> None:
    result = parse("declined")
    mine = one(result, "declined-by-me")
    assert mine.excluded is Exclusion.DECLINED
    assert mine.attendees == 2
    assert mine.organizer == "sales@vendor.example"
    other = one(result, "declined-by-someone-else")
    assert other.excluded is None
    assert other.attendees == 3


def test_declined_matches_me_with_mailto_prefix_and_any_case() -> None:
    result = parse("declined", me=["MAILTO:ME@example.ORG"])
    assert one(result, "declined-by-me").excluded is Exclusion.DECLINED


def test_declined_needs_me_configured() -> None:
    result = parse("declined", me=[])
    assert one(result, "declined-by-me").excluded is None


def test_transparent_is_excluded_tentative_counts() -> None:
    assert one(parse("transparent"), "transparent").excluded is Exclusion.TRANSPARENT
    tentative = one(parse("tentative"), "tentative")
    assert tentative.excluded is None
    assert tentative.minutes == 45


def test_cancelled_wins_over_the_other_reasons() -> None:
    data = calendar(
        "UID:x\r\nDTSTART;VALUE=DATE:20260310\r\nSTATUS:CANCELLED\r\nTRANSP:TRANSPARENT\r\n"
        "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org\r\nSUMMARY:x",
        "UID:y\r\nDTSTART;VALUE=DATE:20260311\r\nTRANSP:TRANSPARENT\r\n"
        "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org\r\nSUMMARY:y",
        "UID:z\r\nDTSTART;VALUE=DATE:20260312\r\nTRANSP:TRANSPARENT\r\nSUMMARY:z",
    )
    result = parse_bytes(data)
    assert [e.excluded for e in result.entries] == [
        Exclusion.CANCELLED,
        Exclusion.DECLINED,
        Exclusion.TRANSPARENT,
    ]


def test_entry_fields_come_from_the_event() -> None:
    result = parse("utc")
    entry = one(result, "utc-event")
    assert (entry.start, entry.end) == (at("2026-01-16 23:30"), at("2026-01-17 00:30"))
    assert entry.title == "Incident review"
    assert entry.note == "Postmortem of the outage"
    assert entry.location == "Room 4"
    assert entry.tags == ("review", "incident", "ops")
    assert entry.organizer == "lead@example.org"
    assert entry.origin is Origin.ICS
    assert entry.calendar == "work"
    assert entry.recurrence_id is None
    assert entry.attendees == 0


def test_empty_summary_gets_a_placeholder_title() -> None:
    result = parse_bytes(calendar("UID:a\r\nDTSTART:20260310T100000Z\r\nSUMMARY:  "))
    assert result.entries[0].title == "(no title)"


# --------------------------------------------------------------------------- time zones


def test_floating_time_is_read_in_the_configured_zone() -> None:
    berlin = one(parse("floating"), "floating")
    assert (berlin.start, berlin.end) == (at("2026-01-15 08:00"), at("2026-01-15 09:00"))
    new_york = one(parse("floating", tz="America/New_York"), "floating")
    assert new_york.start == at("2026-01-15 14:00")


def test_windows_zone_names() -> None:
    result = parse("windows_zone")
    assert spans(result, "win-berlin") == [(at("2026-01-20 09:00"), at("2026-01-20 10:00"))]
    assert spans(result, "win-pacific") == [(at("2026-07-07 16:00"), at("2026-07-07 17:00"))]
    assert spans(result, "win-nz") == [(at("2026-01-19 20:00"), at("2026-01-19 20:30"))]
    assert result.problems == ()


def test_x_wr_timezone_makes_utc_series_follow_local_time() -> None:
    result = parse("x_wr_timezone")
    assert result.name == "Google work"
    assert [e.start for e in result.entries] == [
        at("2026-03-02 17:00"),  # 09:00 PST
        at("2026-03-09 16:00"),  # 09:00 PDT
    ]


def test_x_wr_timezone_keeps_utc_instants_and_applies_to_what_local_time_changes() -> None:
    berlin = "X-WR-TIMEZONE:Europe/Berlin\r\n"
    result = parse_bytes(
        calendar(
            # a lone UTC event: the same instants whatever the calendar's zone
            "UID:lone\r\nDTSTART:20260320T090000Z\r\nDTEND:20260320T100000Z\r\nSUMMARY:a",
            # 01:30 CET + 3 exact hours = 05:30 CEST, 03:30 UTC, on the night of the change
            "UID:duration\r\nDTSTART:20260329T003000Z\r\nDURATION:PT3H\r\nSUMMARY:b",
            # 10:00 CET every week: 09:00 UTC, then 08:00 UTC once summer time begins
            "UID:weekly\r\nDTSTART:20260323T090000Z\r\nDTEND:20260323T093000Z\r\n"
            "RRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:c",
            # floating: read in the calendar's zone, not the configured one (Asia/Tokyo)
            "UID:floating\r\nDTSTART:20260320T090000\r\nDTEND:20260320T091500\r\nSUMMARY:d",
            header=berlin,
        ),
        tz="Asia/Tokyo",
    )
    assert spans(result, "lone") == [(at("2026-03-20 09:00"), at("2026-03-20 10:00"))]
    assert spans(result, "duration") == [(at("2026-03-29 00:30"), at("2026-03-29 03:30"))]
    assert spans(result, "weekly") == [
        (at("2026-03-23 09:00"), at("2026-03-23 09:30")),
        (at("2026-03-30 08:00"), at("2026-03-30 08:30")),
    ]
    assert spans(result, "floating") == [(at("2026-03-20 08:00"), at("2026-03-20 08:15"))]
    assert result.problems == ()


def test_unknown_tzid_falls_back_to_the_configured_zone_with_a_problem() -> None:
    result = parse("unknown_tzid")
    assert spans(result) == [(at("2026-01-15 08:00"), at("2026-01-15 09:00"))]
    (problem,) = result.problems
    assert problem.file == "unknown_tzid.ics"
    assert problem.uid == "unknown-zone"
    assert problem.reason == "unknown time zone 'Mars/Olympus_Mons', using Europe/Berlin"


@settings(max_examples=25, deadline=None)
@given(
    day=st.dates(min_value=datetime(2026, 1, 1).date(), max_value=datetime(2026, 12, 1).date()),
    hour=st.integers(min_value=0, max_value=23),
    count=st.integers(min_value=1, max_value=20),
)
def test_weekly_series_keeps_local_wall_time(day: object, hour: int, count: int) -> None:
    start = f"{day:%Y%m%d}T{hour:02d}3000"
    data = calendar(
        f"UID:p\r\nDTSTART;TZID=America/New_York:{start}\r\nDURATION:PT45M\r\n"
        f"RRULE:FREQ=WEEKLY;COUNT={count}\r\nSUMMARY:p"
    )
    result = parse_bytes(
        data,
        window_start=datetime(2025, 1, 1, tzinfo=UTC),
        window_end=datetime(2028, 1, 1, tzinfo=UTC),
    )
    assert len(result.entries) == count
    zone = ZoneInfo("America/New_York")
    for entry in result.entries:
        local = entry.start.astimezone(zone)
        # 02:30 does not exist on the spring-forward day; it is read as 03:30
        assert (local.hour, local.minute) in {(hour, 30), ((hour + 1) % 24, 30)}
        assert local.weekday() == day.weekday()  # type: ignore[attr-defined]
        assert entry.end - entry.start == timedelta(minutes=45)


# --------------------------------------------------------------------------- keys


def test_event_without_uid_gets_a_stable_synthetic_uid() -> None:
    first = parse("no_uid")
    second = parse("no_uid")
    (entry,) = first.entries
    assert entry.uid is not None and entry.uid.startswith("leadtime-")
    assert second.entries[0].uid == entry.uid
    assert [p.uid for p in first.problems] == [entry.uid]


def test_duplicate_uid_keeps_highest_sequence_then_newest() -> None:
    result = parse("duplicate_uid")
    assert one(result, "dup").title == "Second version"
    assert one(result, "dup").minutes == 60
    assert one(result, "dup-same-seq").title == "Newer"
    assert sorted(p.uid or "" for p in result.problems) == ["dup", "dup-same-seq"]


def test_keys_are_unique() -> None:
    for fixture in FIXTURES.glob("*.ics"):
        result = parse(fixture.stem, max_instances_per_event=300)
        keys = [(e.uid, e.recurrence_id) for e in result.entries]
        assert len(keys) == len(set(keys)), fixture.name


# --------------------------------------------------------------------------- window and caps


def test_window_is_half_open() -> None:
    data = calendar(
        "UID:before\r\nDTSTART:20251231T230000Z\r\nDTEND:20260101T000000Z\r\nSUMMARY:a",
        "UID:across\r\nDTSTART:20251231T233000Z\r\nDTEND:20260101T003000Z\r\nSUMMARY:b",
        "UID:at-end\r\nDTSTART:20270101T000000Z\r\nSUMMARY:c",
        "UID:at-start\r\nDTSTART:20260101T000000Z\r\nSUMMARY:d",
    )
    result = parse_bytes(data)
    assert sorted(e.uid or "" for e in result.entries) == ["across", "at-start"]


def test_open_ended_series_stops_at_window_end() -> None:
    data = calendar("UID:w\r\nDTSTART:20261221T100000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:w")
    result = parse_bytes(data)
    assert [e.start for e in result.entries] == [at("2026-12-21 10:00"), at("2026-12-28 10:00")]


def test_runaway_rules_are_capped_quickly() -> None:
    began = time.perf_counter()
    result = parse("runaway", max_instances_per_event=500)
    assert time.perf_counter() - began < 3
    fast = [e for e in result.entries if e.uid == "runaway-in-window"]
    assert len(fast) == 500
    assert fast[0].start == at("2026-01-01 00:00")
    assert fast[-1].start == at("2026-01-01 00:08:19")
    assert not [e for e in result.entries if e.uid == "runaway-since-2000"]
    assert one(result, "normal").start == at("2026-01-05 08:00")
    # every minute since 2000: 100,000 candidates, a minute counting 3, are 33,333 minutes
    # (23 days, 3 h 33 min): it never reaches 2026
    assert sorted((p.uid or "", p.reason) for p in result.problems) == [
        (
            "runaway-in-window",
            "the recurrence produces more than 500 instances; only the first 500 were read",
        ),
        (
            "runaway-since-2000",
            "the recurrence rule examines more than 100000 candidate times before the end of "
            "the window; only its instances up to 2000-01-24T03:33:00Z were read",
        ),
    ]


def test_progress_is_reported_per_series() -> None:
    calls: list[tuple[int, int]] = []
    parse("declined", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


# --------------------------------------------------------------------------- bad input


def test_malformed_events_are_reported_and_the_rest_is_read() -> None:
    result = parse("malformed_events")
    backwards = one(result, "end-before-start")
    assert backwards.start == backwards.end == at("2026-03-01 10:00")
    negative = one(result, "negative-duration")
    assert negative.start == negative.end == at("2026-03-02 10:00")
    assert spans(result, "bad-rrule") == [(at("2026-03-03 10:00"), at("2026-03-03 11:00"))]
    assert spans(result, "fine") == [(at("2026-03-05 10:00"), at("2026-03-05 11:00"))]
    assert not [e for e in result.entries if e.uid in {"bad-dtstart", "no-dtstart"}]
    assert result.events_read == 6
    by_uid = {p.uid: p.reason for p in result.problems}
    assert "DTEND is before DTSTART" in by_uid["end-before-start"]
    assert "negative DURATION" in by_uid["negative-duration"]
    assert "RRULE" in by_uid["bad-rrule"]
    assert "DTSTART" in by_uid["bad-dtstart"]
    assert "DTSTART" in by_uid["no-dtstart"]
    assert all(p.file == "malformed_events.ics" for p in result.problems)


def test_missing_end_vevent_still_reads_both_events() -> None:
    result = parse("missing_end")
    assert sorted(e.uid or "" for e in result.entries) == ["after-unclosed", "unclosed"]
    assert one(result, "unclosed").start == at("2026-03-06 10:00")


def test_damaged_line_outside_events_does_not_lose_the_events() -> None:
    data = calendar(
        "UID:a\r\nDTSTART:20260310T100000Z\r\nDTEND:20260310T110000Z\r\nSUMMARY:a\r\n"
        "BEGIN:VALARM\r\nTRIGGER:PT-2H\r\nACTION:DISPLAY\r\nEND:VALARM",
        "UID:b\r\nDTSTART:20260311T100000Z\r\nSUMMARY:b",
    )
    result = parse_bytes(data)
    assert sorted(e.uid or "" for e in result.entries) == ["a", "b"]


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n", b"hello world", b"<html><body>Please log in</body></html>"],
    ids=["empty", "blank", "text", "html"],
)
def test_data_that_is_not_a_calendar_raises_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        parse_bytes(data, label="feed.ics")
    assert "feed.ics" in caught.value.message


# --------------------------------------------------------------------------- encodings


def event_text(summary: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:enc\n"
        f"DTSTART:20260310T100000Z\nDTEND:20260310T110000Z\nSUMMARY:{summary}\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (event_text("Besprechung mit Jürgen").encode("latin-1"), "Besprechung mit Jürgen"),
        (event_text("Caf\u00e9 \u2013 1:1").encode("cp1252"), "Caf\u00e9 \u2013 1:1"),
        (b"\xef\xbb\xbf" + event_text("Café").replace("\n", "\r\n").encode(), "Café"),
        (event_text("Zürich sync").encode("utf-16"), "Zürich sync"),
        (event_text("Long\n  title").replace("\n", "\r").encode(), "Long title"),
        (event_text("Mixed").replace("\n", "\r", 3).encode(), "Mixed"),
    ],
    ids=["latin-1", "cp1252", "utf-8-bom", "utf-16-bom", "cr-only-folded", "mixed-eol"],
)
def test_encodings_and_line_endings(data: bytes, title: str) -> None:
    result = parse_bytes(data)
    assert [e.title for e in result.entries] == [title]
    assert result.problems == ()


def test_nul_bytes_are_removed_with_a_problem() -> None:
    data = event_text("Stand\x00up").encode()
    result = parse_bytes(data)
    assert [e.title for e in result.entries] == ["Standup"]
    assert [p.reason for p in result.problems] == ["the file contains NUL bytes; they were removed"]


def test_decode_calendar_bytes() -> None:
    assert decode_calendar_bytes(b"\xef\xbb\xbfA\rB\nC\r\nD") == "A\r\nB\r\nC\r\nD"
    assert decode_calendar_bytes("Jürgen".encode("latin-1")) == "Jürgen"
    assert decode_calendar_bytes("Jürgen".encode("utf-16-le")) == "Jürgen"
    assert decode_calendar_bytes(b"a\x00b") == "ab"


# --------------------------------------------------------------------------- corpus


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.ics")) if CORPUS.is_dir() else []


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", corpus_files() or [None], ids=lambda p: str(p.relative_to(CORPUS)) if p else "absent"
)
def test_corpus_file_is_read_without_crashing(path: Path | None) -> None:
    if path is None:
        pytest.skip("the shared ics-corpus folder is not next to the repository")
    malformed = "malformed" in path.relative_to(CORPUS).parts
    try:
        result = parse_bytes(
            path.read_bytes(),
            label=path.name,
            window_start=datetime(2000, 1, 1, tzinfo=UTC),
            window_end=datetime(2031, 1, 1, tzinfo=UTC),
            max_instances_per_event=1_000,
        )
    except InputError:
        if not malformed:
            raise
        return
    keys = [(e.uid, e.recurrence_id) for e in result.entries]
    assert len(keys) == len(set(keys))
    assert all(p.file == path.name for p in result.problems)


def test_a_zone_without_names_is_not_read_as_floating_under_x_wr_timezone() -> None:
    # Outlook writes VTIMEZONEs without TZNAME; 10:00 Eastern Standard Time on 2026-11-25
    # is 15:00 UTC, not 10:00 in the calendar's X-WR-TIMEZONE (Berlin, 09:00 UTC).
    assert spans(parse("windows_zone_no_tzname"), "ops-review@example.org") == [
        (at("2026-11-25 15:00"), at("2026-11-25 15:45"))
    ]
