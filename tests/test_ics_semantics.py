"""The .ics reader on what real calendars contain: clock changes, broken values, mixed
zones, runaway rules, attendees and hostile text. Every expected instant is worked out by
hand from the calendar text (offsets noted beside each)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadtime.sources.ics import ParsedCalendar, parse_calendar

CORPUS = Path(__file__).parents[2] / "shared" / "ics-corpus"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read(data: bytes, tz: str = "Europe/Berlin", **options: object) -> ParsedCalendar:
    return parse_calendar(
        data,
        label="cal.ics",
        calendar="work",
        me=[],
        tz=tz,
        window_start=options.pop("window_start", at("2026-01-01 00:00")),  # type: ignore[arg-type]
        window_end=options.pop("window_end", at("2027-01-01 00:00")),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


def ics(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{header}{body}END:VCALENDAR\r\n"
    return text.encode()


def spans(result: ParsedCalendar, uid: str) -> list[tuple[datetime, datetime]]:
    return [(e.start, e.end) for e in result.entries if e.uid == uid]


# --------------------------------------------------------------------------- exact durations


def weekly(zone: str, start: str, length: str) -> str:
    """A weekly series of three; ``length`` is a DTEND or DURATION line."""
    return (
        f"UID:w\r\nDTSTART;TZID={zone}:{start}\r\n{length}\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:sync"
    )


FALL_BACK = {
    # 45 minutes at an hour that happens twice; the first (summer-time) reading is taken
    "America/New_York": (
        "20261025T013000",
        "20261025T021500",
        [
            ("2026-10-25 05:30", "2026-10-25 06:15"),  # EDT, UTC-4
            ("2026-11-01 05:30", "2026-11-01 06:15"),  # 01:30 EDT; clocks go back at 02:00
            ("2026-11-08 06:30", "2026-11-08 07:15"),  # EST, UTC-5
        ],
    ),
    "Europe/Berlin": (
        "20261018T023000",
        "20261018T031500",
        [
            ("2026-10-18 00:30", "2026-10-18 01:15"),  # CEST, UTC+2
            ("2026-10-25 00:30", "2026-10-25 01:15"),  # 02:30 CEST; clocks go back at 03:00
            ("2026-11-01 01:30", "2026-11-01 02:15"),  # CET, UTC+1
        ],
    ),
    "Australia/Sydney": (
        "20260329T023000",
        "20260329T031500",
        [
            ("2026-03-28 15:30", "2026-03-28 16:15"),  # AEDT, UTC+11
            ("2026-04-04 15:30", "2026-04-04 16:15"),  # 02:30 AEDT; clocks go back at 03:00
            ("2026-04-11 16:30", "2026-04-11 17:15"),  # AEST, UTC+10
        ],
    ),
}

SPRING_FORWARD = {
    # two hours from 01:30, across the hour that does not exist
    "America/New_York": (
        "20260301T013000",
        "20260301T033000",
        [
            ("2026-03-01 06:30", "2026-03-01 08:30"),  # EST
            ("2026-03-08 06:30", "2026-03-08 08:30"),  # 01:30 EST to 04:30 EDT
            ("2026-03-15 05:30", "2026-03-15 07:30"),  # EDT
        ],
    ),
    "Europe/Berlin": (
        "20260322T013000",
        "20260322T033000",
        [
            ("2026-03-22 00:30", "2026-03-22 02:30"),  # CET
            ("2026-03-29 00:30", "2026-03-29 02:30"),  # 01:30 CET to 04:30 CEST
            ("2026-04-04 23:30", "2026-04-05 01:30"),  # CEST
        ],
    ),
    "Australia/Sydney": (
        "20260927T013000",
        "20260927T033000",
        [
            ("2026-09-26 15:30", "2026-09-26 17:30"),  # AEST
            ("2026-10-03 15:30", "2026-10-03 17:30"),  # 01:30 AEST to 04:30 AEDT
            ("2026-10-10 14:30", "2026-10-10 16:30"),  # AEDT
        ],
    ),
}


@pytest.mark.parametrize("kind", ["DTEND", "DURATION"])
@pytest.mark.parametrize(
    ("zone", "start", "end", "expected"),
    [(zone, *case) for zone, case in FALL_BACK.items()]
    + [(zone, *case) for zone, case in SPRING_FORWARD.items()],
    ids=[f"fall-back-{z}" for z in FALL_BACK] + [f"spring-forward-{z}" for z in SPRING_FORWARD],
)
def test_every_instance_lasts_as_long_as_the_master_when_the_clocks_change(
    kind: str, zone: str, start: str, end: str, expected: list[tuple[str, str]]
) -> None:
    minutes = 45 if expected[0][1].endswith(":15") else 120
    length = f"DTEND;TZID={zone}:{end}" if kind == "DTEND" else f"DURATION:PT{minutes}M"
    result = read(ics(weekly(zone, start, length)))
    assert spans(result, "w") == [(at(s), at(e)) for s, e in expected]
    assert result.problems == ()


def test_an_override_keeps_its_own_times_on_the_night_the_clocks_go_back() -> None:
    zone = "America/New_York"
    result = read(
        ics(
            weekly(zone, "20261025T013000", "DURATION:PT45M"),
            f"UID:w\r\nRECURRENCE-ID;TZID={zone}:20261101T013000\r\n"
            f"DTSTART;TZID={zone}:20261101T010000\r\nDTEND;TZID={zone}:20261101T030000\r\n"
            "SUMMARY:sync (long)",
        )
    )
    assert spans(result, "w") == [
        (at("2026-10-25 05:30"), at("2026-10-25 06:15")),
        # 01:00 EDT to 03:00 EST: three hours, as the override says
        (at("2026-11-01 05:00"), at("2026-11-01 08:00")),
        (at("2026-11-08 06:30"), at("2026-11-08 07:15")),
    ]


def test_floating_series_in_the_configured_zone_keeps_its_length() -> None:
    event = "UID:f\r\nDTSTART:20261025T013000\r\nDTEND:20261025T021500\r\n"
    result = read(ics(event + "RRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:f"), tz="America/New_York")
    assert spans(result, "f") == [
        (at("2026-10-25 05:30"), at("2026-10-25 06:15")),
        (at("2026-11-01 05:30"), at("2026-11-01 06:15")),
    ]


def test_days_in_a_duration_are_calendar_days() -> None:
    # P1D from Saturday 12:00 CEST is Sunday 12:00 CET: 25 hours on the night of the change
    event = "UID:d\r\nDTSTART;TZID=Europe/Berlin:20261024T120000\r\nDURATION:P1DT30M\r\n"
    result = read(ics(event + "RRULE:FREQ=WEEKLY;COUNT=2\r\nSUMMARY:d"))
    assert spans(result, "d") == [
        (at("2026-10-24 10:00"), at("2026-10-25 11:30")),
        (at("2026-10-31 11:00"), at("2026-11-01 11:30")),
    ]


GOOGLE_HOLIDAYS = CORPUS / "ical4j_ical4j" / "google_aus_holidays.ics"


@pytest.mark.slow
def test_a_google_holiday_of_86400_seconds_lasts_24_hours_when_the_clocks_go_back() -> None:
    # Melbourne Cup Day: DTSTART;TZID=America/Los_Angeles:20041102, DURATION:PT86400S,
    # yearly. On 2025-11-02 Los Angeles leaves summer time at 02:00: the day starts at
    # 00:00 PDT (07:00 UTC) and 86,400 seconds end at 23:00 PST (07:00 UTC), not midnight.
    if not GOOGLE_HOLIDAYS.is_file():
        pytest.skip("the shared ics-corpus folder is not next to the repository")
    result = read(
        GOOGLE_HOLIDAYS.read_bytes(),
        tz="America/Los_Angeles",
        window_start=at("2025-11-01 00:00"),
        window_end=at("2025-11-05 00:00"),
    )
    uid = "sljgt2afc4l7l6tti3huitbd5s@google.com"
    assert spans(result, uid) == [(at("2025-11-02 07:00"), at("2025-11-03 07:00"))]


# --------------------------------------------------------------------------- runaway rules

# 233 bytes: an event every second, each lasting an hour, with no end to the rule
EVERY_SECOND = (
    "UID:every-second-{n}@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n"
    "RRULE:FREQ=SECONDLY\r\nSUMMARY:ticker"
)


def test_an_event_every_second_lasting_an_hour_is_capped_quickly() -> None:
    data = ics(EVERY_SECOND.format(n=0))
    assert len(data) == 233
    began = time.perf_counter()
    result = read(data)  # the default cap, 20,000 instances an event
    assert time.perf_counter() - began < 10  # it ran for minutes before
    assert len(result.entries) == 20_000
    assert result.entries[-1].start == at("2026-01-05 14:33:19")  # 09:00 + 19,999 s
    assert result.entries[-1].end == at("2026-01-05 15:33:19")
    (problem,) = result.problems
    assert problem.uid == "every-second-0@example.org"
    assert "more than 20000 instances" in problem.reason


def test_a_file_of_two_hundred_such_events_stops_at_the_file_limit() -> None:
    events = [EVERY_SECOND.format(n=n) for n in range(200)]
    lunch = "UID:lunch\r\nDTSTART:20260106T120000Z\r\nDTEND:20260106T130000Z\r\nSUMMARY:lunch"
    result = read(ics(*events, lunch), max_instances_per_event=1_000, max_instances_per_file=2_500)
    per_uid = Counter(e.uid for e in result.entries)
    assert per_uid == {
        "every-second-0@example.org": 1_000,
        "every-second-1@example.org": 1_000,
        "every-second-2@example.org": 500,  # what is left of the file's 2,500
        "lunch": 1,  # a single event is still read
    }
    reasons = [(p.uid, p.reason) for p in result.problems]
    assert reasons[:3] == [
        (
            "every-second-0@example.org",
            "the recurrence produces more than 1000 instances; only the first 1000 were read",
        ),
        (
            "every-second-1@example.org",
            "the recurrence produces more than 1000 instances; only the first 1000 were read",
        ),
        (
            "every-second-2@example.org",
            "the file produces more than 2500 instances; only the first 500 were read",
        ),
    ]
    assert reasons[3] == (
        None,
        "the file produces more than 2500 instances; recurring events not expanded (197): "
        "every-second-3@example.org, every-second-4@example.org, "
        "every-second-5@example.org, every-second-6@example.org, "
        "every-second-7@example.org, ...",
    )
    assert len(reasons) == 4


@pytest.mark.slow
def test_two_hundred_such_events_with_the_default_limits_finish_in_seconds() -> None:
    data = ics(*(EVERY_SECOND.format(n=n) for n in range(200)))
    began = time.process_time()  # CPU, not wall: the machine may be busy with other work
    result = read(data)  # 100,000 instances a file
    assert time.process_time() - began < 20  # minutes and 1.3 GB before
    assert len(result.entries) <= 100_000
    assert result.problems[0].uid == "every-second-0@example.org"
    last = result.problems[-1]
    assert last.uid is None
    assert "recurring events not expanded (" in last.reason
    assert "every-second-" in last.reason


FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def test_rules_that_never_match_cost_what_their_frequency_allows() -> None:
    # FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30 never matches: dateutil looked for a match up to
    # the year 9999 (8.6 s for this event alone), and so did the daily, monthly and yearly
    # rules here (seconds each). DTSTART is always the first instance (RFC 5545 3.8.5.3).
    began = time.process_time()
    result = read(
        (FIXTURES / "never_matches.ics").read_bytes(),
        window_start=at("1970-01-01 00:00"),
        window_end=at("2031-01-01 00:00"),
    )
    assert time.process_time() - began < 5
    assert [(e.uid, e.start) for e in result.entries] == [
        ("daily-feb-30@example.org", at("1970-01-05 09:00")),
        ("feb-29-sunday@example.org", at("1970-03-01 09:00")),
        ("feb-29-sunday@example.org", at("1976-02-29 09:00")),
        ("sixth-monday@example.org", at("2000-01-03 09:00")),
        ("feb-29-sunday@example.org", at("2004-02-29 09:00")),
        ("normal@example.org", at("2026-01-05 08:00")),
        ("feb-30@example.org", at("2026-01-05 09:00")),
    ]
    # 100,000 candidates, a second counting 3: 33,333 s = 9 h 15 min 33 s after DTSTART
    assert [str(p) for p in result.problems] == [
        "cal.ics: feb-30@example.org: the recurrence rule examines more than 100000 candidate "
        "times before the end of the window; only its instances up to 2026-01-05T18:15:33Z "
        "were read"
    ]


def test_twenty_rules_that_never_match_stop_at_the_file_budget() -> None:
    # 221 s before. Each rule may examine 100,000 candidates (33,333 seconds); the file
    # 250,000: two rules take 99,999 each, the third the 50,002 left (16,667 seconds).
    began = time.process_time()
    result = read((FIXTURES / "never_matches_20.ics").read_bytes(), max_candidates_per_file=250_000)
    assert time.process_time() - began < 5
    assert [e.uid for e in result.entries] == [
        "feb-30-00@example.org",
        "feb-30-01@example.org",
        "feb-30-02@example.org",
    ]
    assert [(p.uid, p.reason) for p in result.problems] == [
        (
            "feb-30-00@example.org",
            "the recurrence rule examines more than 100000 candidate times before the end of "
            "the window; only its instances up to 2026-01-05T18:15:33Z were read",
        ),
        (
            "feb-30-01@example.org",
            "the recurrence rule examines more than 100000 candidate times before the end of "
            "the window; only its instances up to 2026-01-05T18:15:33Z were read",
        ),
        (
            "feb-30-02@example.org",
            "the file's recurrence rules examine more than 250000 candidate times; only the "
            "instances up to 2026-01-05T13:37:47Z were read",
        ),
        (
            None,
            "the file's recurrence rules examine more than 250000 candidate times; recurring "
            "events not expanded (17): feb-30-03@example.org, feb-30-04@example.org, "
            "feb-30-05@example.org, feb-30-06@example.org, feb-30-07@example.org, ...",
        ),
    ]


def test_a_rule_long_before_the_window_is_read_as_far_as_its_candidates_go() -> None:
    # Every hour since 2000-01-01 00:00 UTC: 100,000 candidates, an hour counting 3, are
    # 33,333 hours (1,388 days and 21 hours: 1,096 to 2003, then 292), up to 2003-10-20
    # 21:00; nothing of 2026.
    data = ics(
        "UID:hourly\r\nDTSTART:20000101T000000Z\r\nDURATION:PT10M\r\n"
        "RRULE:FREQ=HOURLY\r\nSUMMARY:ping"
    )
    result = read(data)
    assert result.entries == ()
    assert [(p.uid, p.reason) for p in result.problems] == [
        (
            "hourly",
            "the recurrence rule examines more than 100000 candidate times before the end of "
            "the window; only its instances up to 2003-10-20T21:00:00Z were read",
        )
    ]
    # a year of the window needs 8,784 hours from 2026: read whole
    result = read(data.replace(b"20000101T000000Z", b"20260101T000000Z"))
    assert len(result.entries) == 8_760
    assert result.problems == ()


# --------------------------------------------------------------------------- X-WR-TIMEZONE

TV_SHOWS = CORPUS / "jens-maus_node-ical" / "tv-show-episode.ics"
EPISODES_2011 = {"window_start": at("2011-01-01 00:00"), "window_end": at("2012-01-01 00:00")}


def with_event(path: Path, event: str) -> bytes:
    """The calendar file with one more VEVENT before its END:VCALENDAR."""
    if not path.is_file():
        pytest.skip("the shared ics-corpus folder is not next to the repository")
    data = path.read_bytes()
    end = data.rindex(b"END:VCALENDAR")
    return data[:end] + f"BEGIN:VEVENT\n{event}\nEND:VEVENT\n".encode() + data[end:]


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        (
            "UID:holiday\nDTSTART;VALUE=DATE:20131209\nRDATE:20131210Z\nSUMMARY:Holiday",
            "unreadable RDATE; ignored",
        ),
        (
            "UID:bad-day\nDTSTART:20171032T000000\nDTEND:20171101T2300\nSUMMARY:Invalid",
            "event has an unreadable DTSTART; skipped",
        ),
    ],
    ids=["rdate-on-all-day-event", "october-32nd"],
)
def test_one_unreadable_date_does_not_switch_off_x_wr_timezone(event: str, problem: str) -> None:
    # X-WR-TIMEZONE:US/Eastern; the episodes are floating 20:00, 22:00 or 23:00 (EDT, UTC-4)
    result = read(with_event(TV_SHOWS, event), tz="UTC", **EPISODES_2011)
    episodes = [e for e in result.entries if e.uid and e.uid.endswith("@tvcountdown.com")]
    assert len(episodes) == 26  # 27 VEVENTs, one of them twice
    by_uid = {e.uid: (e.start, e.end) for e in episodes}
    assert by_uid["20110331T200000Z-79@tvcountdown.com"] == (
        at("2011-04-01 00:00"),
        at("2011-04-01 00:30"),
    )
    assert by_uid["20110414T220000Z-83@tvcountdown.com"][0] == at("2011-04-15 02:00")
    assert by_uid["20110519T200000Z-79@tvcountdown.com"][0] == at("2011-05-20 00:00")
    bad_uid = event.split("\n")[0].removeprefix("UID:")
    assert [(p.uid, p.reason) for p in result.problems if p.uid == bad_uid] == [(bad_uid, problem)]
    assert all(p.uid for p in result.problems)  # nothing about the calendar as a whole


# --------------------------------------------------------------------------- mixed zones

MIXED = CORPUS / "pimutils_khal" / "event_dt_mixed_awareness.ics"


@pytest.mark.parametrize(
    ("tz", "span", "problems"),
    [
        # floating 12:00 UTC, to 16:00 Europe/Berlin (CEST) = 14:00 UTC
        ("UTC", ("2015-05-30 12:00", "2015-05-30 14:00"), []),
        # floating 12:00 EDT = 16:00 UTC, after the end: zero minutes, and said so
        (
            "America/New_York",
            ("2015-05-30 16:00", "2015-05-30 16:00"),
            ["DTEND is before DTSTART; the event lasts zero minutes"],
        ),
    ],
)
def test_a_floating_start_beside_a_zoned_end_is_read_in_the_configured_zone(
    tz: str, span: tuple[str, str], problems: list[str]
) -> None:
    if not MIXED.is_file():
        pytest.skip("the shared ics-corpus folder is not next to the repository")
    uid = "http://wiki.hamburg.ccc.de/Termin:Junghackertag"
    result = read(
        MIXED.read_bytes(),
        tz=tz,
        window_start=at("2015-01-01 00:00"),
        window_end=at("2016-01-01 00:00"),
    )
    assert spans(result, uid) == [(at(span[0]), at(span[1]))]
    assert [p.reason for p in result.problems if p.uid == uid] == problems


@pytest.mark.parametrize(
    ("tz", "end"),
    [("UTC", "2015-06-02 16:00"), ("America/New_York", "2015-06-02 20:00")],
)
def test_a_floating_end_beside_a_zoned_start_is_read_in_the_configured_zone(
    tz: str, end: str
) -> None:
    # 12:00 Europe/Berlin (CEST) = 10:00 UTC, to a floating 16:00
    data = ics(
        "UID:m\r\nDTSTART;TZID=Europe/Berlin:20150602T120000\r\nDTEND:20150602T160000\r\n"
        "RRULE:FREQ=DAILY;COUNT=2\r\nSUMMARY:m"
    )
    result = read(data, tz=tz, window_start=at("2015-01-01 00:00"))
    day = timedelta(days=1)
    assert spans(result, "m") == [
        (at("2015-06-02 10:00"), at(end)),
        (at("2015-06-02 10:00") + day, at(end) + day),
    ]


# --------------------------------------------------------------------------- whose calendar


def invite(uid: str, *people: str) -> str:
    return f"UID:{uid}\r\nDTSTART:20260310T100000Z\r\nSUMMARY:x\r\n" + "\r\n".join(people)


def test_a_google_calendar_named_by_its_address_names_me() -> None:
    header = "X-WR-CALNAME:Ana.Lead@Example.org\r\n"
    result = read(
        ics(
            invite("a", "ORGANIZER:mailto:bob@example.org"),
            invite("b", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org"),
            header=header,
        )
    )
    assert result.name == "Ana.Lead@Example.org"
    assert result.likely_me == "ana.lead@example.org"
    assert result.attendance is True


def test_otherwise_the_address_on_most_events_is_likely_me() -> None:
    result = read(
        ics(
            invite(
                "a",
                "ORGANIZER:mailto:ana@example.org",
                "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.org",  # once per event
                "ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.org",
            ),
            invite("b", "ORGANIZER:MAILTO:Ana@Example.org", "ATTENDEE:mailto:cy@example.org"),
            invite("c", "ATTENDEE:mailto:bob@example.org"),
            invite("d", "ATTENDEE:mailto:ana@example.org", "ATTENDEE:urn:uuid:1234"),
            header="X-WR-CALNAME:Work\r\n",
        )
    )
    assert result.likely_me == "ana@example.org"  # 3 events; bob is on 2, cy on 1
    assert result.attendance is True


def test_a_calendar_without_replies_has_no_attendance() -> None:
    result = read(ics(invite("a", "ATTENDEE:mailto:bob@example.org"), invite("b")))
    assert result.attendance is False
    assert result.likely_me == "bob@example.org"
    assert read(ics(invite("c"))).likely_me is None


# --------------------------------------------------------------------------- hostile text


def test_problem_messages_carry_no_control_characters() -> None:
    hostile_uid = "evil\x1b[2J\x07\x1b]8;;https://phish.example/\x1b\\click\x1b]8;;\x1b\\"
    result = read(
        ics(
            f"UID:{hostile_uid}\r\nDTSTART:20260310T100000Z\r\nDTEND:20260310T090000Z\r\n"
            "SUMMARY:Bell\x07 and \x1b[31mred\u202e",
            "UID:zone\r\nDTSTART;TZID=Mars\x1b[1m:20260311T100000\r\nSUMMARY:z",
        )
    )
    by_uid = {e.uid: e for e in result.entries}
    assert by_uid[hostile_uid].title == "Bell\x07 and \x1b[31mred\u202e"  # data kept as is
    texts = [str(p) for p in result.problems]
    assert (
        "cal.ics: evil\ufffd[2J\ufffd\ufffd]8;;https://phish.example/\ufffd\\click\ufffd]8;;"
        "\ufffd\\: DTEND is before DTSTART; the event lasts zero minutes"
    ) in texts
    # the parser's own complaint about the other event quotes the line with its ESC
    assert any(t.startswith("cal.ics: zone: ") and "Mars\ufffd[1m" in t for t in texts)
    assert len(texts) == 3
    assert all(t.isprintable() for t in texts)
