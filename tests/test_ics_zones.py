"""Time zones a calendar defines itself (VTIMEZONE with a TZID that is not an IANA name):
Outlook's Windows names, custom and outdated definitions, rules that never match. Every
expected instant is worked out by hand from the calendar text (offsets noted beside each);
the look-ups are checked against dateutil's own reading of the same VTIMEZONE."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import icalendar
import pytest
from dateutil.tz import tzical
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from leadtime.sources.ics import ParsedCalendar, parse_calendar
from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.zones import ZoneLimits, own_zones

FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read(data: bytes, **options: object) -> ParsedCalendar:
    return parse_calendar(
        data,
        label="cal.ics",
        calendar="work",
        me=[],
        tz="Europe/Berlin",
        window_start=at("2026-01-01 00:00"),
        window_end=at("2027-01-01 00:00"),
        **options,  # type: ignore[arg-type]
    )


def zone(tzid: str, standard: str, daylight: str) -> str:
    """A VTIMEZONE; ``standard`` and ``daylight`` are the lines inside each part."""
    return (
        f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"
        f"BEGIN:STANDARD\r\n{standard}\r\nEND:STANDARD\r\n"
        f"BEGIN:DAYLIGHT\r\n{daylight}\r\nEND:DAYLIGHT\r\n"
        "END:VTIMEZONE\r\n"
    )


def calendar(zones: str, *events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    return f"{head}{zones}{body}END:VCALENDAR\r\n".encode()


def weekly(uid: str, tzid: str, start: str, count: int) -> str:
    """A weekly half-hour series of ``count`` starting at ``start`` (wall time in ``tzid``)."""
    end = (datetime.strptime(start, "%Y%m%dT%H%M%S") + timedelta(minutes=30)).strftime(
        "%Y%m%dT%H%M%S"
    )
    return (
        f"UID:{uid}\r\nDTSTART;TZID={tzid}:{start}\r\nDTEND;TZID={tzid}:{end}\r\n"
        f"RRULE:FREQ=WEEKLY;COUNT={count}\r\nSUMMARY:{uid}"
    )


def starts(result: ParsedCalendar, uid: str) -> list[datetime]:
    return [e.start for e in result.entries if e.uid == uid]


# Outlook's definitions, as Exchange writes them: rules from 1601, no TZNAME.
OUTLOOK_BERLIN = zone(
    "W. Europe Standard Time",
    "DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
)
OUTLOOK_EASTERN = zone(
    "Eastern Standard Time",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
)
# The United States' rules before 2007 (summer time from the first Sunday of April to the
# last Sunday of October), as an Outlook 2003 export still writes them.
OUTDATED_EASTERN = zone(
    "Eastern Standard Time",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4",
)
# A Windows name over other offsets altogether (London's, under Berlin's name).
MISLABELLED_BERLIN = zone(
    "W. Europe Standard Time",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "DTSTART:16010101T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
)
AUS_EASTERN = zone(
    "AUS Eastern Standard Time",
    "DTSTART:16010101T030000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4",
    "DTSTART:16010101T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10",
)
# Changes listed one by one (RDATE), the way some servers write a zone's history.
LISTED_CHANGES = zone(
    "Listed Time",
    "DTSTART:20241027T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
    "RDATE:20251026T030000,20261025T030000",
    "DTSTART:20250330T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RDATE:20260329T020000\r\nRDATE:20270328T020000",
)


# --------------------------------------------------------------------------- Windows names


def test_outlook_series_follow_their_zone_across_the_clock_changes() -> None:
    result = read(
        calendar(
            OUTLOOK_BERLIN + OUTLOOK_EASTERN,
            weekly("berlin", "W. Europe Standard Time", "20260316T100000", 4),
            weekly("eastern", "Eastern Standard Time", "20260302T100000", 2),
        )
    )
    assert starts(result, "berlin") == [
        at("2026-03-16 09:00"),  # +01:00
        at("2026-03-23 09:00"),
        at("2026-03-30 08:00"),  # +02:00 from the last Sunday of March (the 29th)
        at("2026-04-06 08:00"),
    ]
    assert starts(result, "eastern") == [
        at("2026-03-02 15:00"),  # -05:00
        at("2026-03-09 14:00"),  # -04:00 from the second Sunday of March (the 8th)
    ]
    assert result.problems == ()


def test_a_windows_zone_defined_by_other_rules_is_read_by_its_own() -> None:
    # America/New_York changes on 8 March 2026; this definition on 5 April.
    result = read(
        calendar(OUTDATED_EASTERN, weekly("eastern", "Eastern Standard Time", "20260302T100000", 6))
    )
    assert starts(result, "eastern") == [
        at("2026-03-02 15:00"),  # -05:00
        at("2026-03-09 15:00"),  # still -05:00 by this definition (New York: -04:00)
        at("2026-03-16 15:00"),
        at("2026-03-23 15:00"),
        at("2026-03-30 15:00"),
        at("2026-04-06 14:00"),  # -04:00 from the first Sunday of April
    ]
    mislabelled = read(
        calendar(
            MISLABELLED_BERLIN,
            weekly("london", "W. Europe Standard Time", "20260120T100000", 1),
        )
    )
    assert starts(mislabelled, "london") == [at("2026-01-20 10:00")]  # +00:00, not Berlin's


def test_two_files_that_define_one_tzid_differently_are_each_read_by_their_own() -> None:
    # icalendar keeps the first definition of a TZID for the whole process: the second
    # file was read by the first file's rules.
    eastern = OUTLOOK_EASTERN.replace("Eastern Standard Time", "Customized Time Zone")
    berlin = OUTLOOK_BERLIN.replace("W. Europe Standard Time", "Customized Time Zone")
    event = weekly("meeting", "Customized Time Zone", "20260120T100000", 1)
    assert starts(read(calendar(eastern, event)), "meeting") == [at("2026-01-20 15:00")]  # -05
    assert starts(read(calendar(berlin, event)), "meeting") == [at("2026-01-20 09:00")]  # +01


def test_one_import_of_two_such_files_reads_each_by_its_own_zone(cli: Run, tmp_path: Path) -> None:
    eastern = OUTLOOK_EASTERN.replace("Eastern Standard Time", "Customized Time Zone")
    berlin = OUTLOOK_BERLIN.replace("W. Europe Standard Time", "Customized Time Zone")
    event = (
        "UID:{uid}\r\nDTSTART;TZID=Customized Time Zone:20261110T100000\r\n"
        "DURATION:PT1H\r\nSUMMARY:{uid}"
    )
    (tmp_path / "ny.ics").write_bytes(calendar(eastern, event.format(uid="ny")))
    (tmp_path / "berlin.ics").write_bytes(calendar(berlin, event.format(uid="berlin")))
    result = cli("import", str(tmp_path / "ny.ics"), str(tmp_path / "berlin.ics"))
    assert result.exit_code == 0, result.stderr
    listed = cli("ls", "--format", "json", "--from", "2026-11-10", "--to", "2026-11-10")
    assert listed.exit_code == 0, listed.stderr
    assert sorted((e["title"], e["start"]) for e in json.loads(listed.stdout)) == [
        ("berlin", "2026-11-10T09:00:00Z"),  # +01:00 after the last Sunday of October
        ("ny", "2026-11-10T15:00:00Z"),  # -05:00 after the first Sunday of November
    ]


# --------------------------------------------------------------------------- look-ups


ZONES = {
    "W. Europe Standard Time": OUTLOOK_BERLIN,
    "Eastern Standard Time": OUTLOOK_EASTERN,
    "AUS Eastern Standard Time": AUS_EASTERN,
    "Listed Time": LISTED_CHANGES,
}


@cache
def rebuilt(tzid: str) -> tuple[object, object]:
    """The zone an import reads ``tzid`` in, and dateutil's reading of the same text."""
    text = ZONES[tzid]
    parsed = icalendar.Calendar.from_ical(
        calendar(text, weekly("probe", tzid, "20260105T100000", 1)).decode()
    )
    report = Report("cal.ics")
    own_zones(
        parsed, report, window_end=at("2028-01-01 00:00"), limits=ZoneLimits(100_000, 250_000)
    )
    assert report.problems == []
    mine = parsed.walk("VEVENT")[0]["DTSTART"].dt.tzinfo
    theirs = tzical(io.StringIO(text.replace("\r\n", "\n"))).get()
    assert mine is not None and mine is not theirs
    return mine, theirs


def around_changes(tzid: str) -> list[datetime]:
    """Wall times every 20 minutes within three hours of each change of 2025 to 2027, and
    times long before the zone's first change."""
    text = ZONES[tzid]
    days = {
        "W. Europe Standard Time": ["20250330", "20251026", "20260329", "20261025", "20270328"],
        "Eastern Standard Time": ["20250309", "20251102", "20260308", "20261101", "20270314"],
        "AUS Eastern Standard Time": ["20250406", "20251005", "20260405", "20261004"],
        "Listed Time": ["20251026", "20260329", "20261025", "20270328"],
    }[tzid]
    assert text
    times = [datetime(1500, 6, 1, 12), datetime(1970, 1, 1)]
    for day in days:
        base = datetime.strptime(day, "%Y%m%d") - timedelta(hours=1)
        times += [base + timedelta(minutes=20 * n) for n in range(18)]
    return times


@pytest.mark.parametrize("tzid", sorted(ZONES))
def test_the_rebuilt_zone_answers_as_dateutil_reads_the_vtimezone(tzid: str) -> None:
    # Also the skipped hour when the clocks go forward and both readings (fold) of the
    # repeated hour when they go back: whatever dateutil says, the import says.
    mine, theirs = rebuilt(tzid)
    for wall in around_changes(tzid):
        for fold in (0, 1):
            a = wall.replace(tzinfo=mine, fold=fold)
            b = wall.replace(tzinfo=theirs, fold=fold)
            assert (a.utcoffset(), a.dst(), a.tzname()) == (b.utcoffset(), b.dst(), b.tzname())
            instant = wall.replace(tzinfo=UTC) + timedelta(minutes=7 * fold)
            here, there = instant.astimezone(mine), instant.astimezone(theirs)
            assert here.replace(tzinfo=None) == there.replace(tzinfo=None)
            assert (here.fold, here.utcoffset()) == (there.fold, there.utcoffset())


@given(
    tzid=st.sampled_from(sorted(ZONES)),
    wall=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2027, 12, 31)),
    fold=st.sampled_from((0, 1)),
)
def test_any_time_of_the_window_gets_dateutils_offset(tzid: str, wall: datetime, fold: int) -> None:
    mine, theirs = rebuilt(tzid)
    assert (
        wall.replace(tzinfo=mine, fold=fold).utcoffset()
        == wall.replace(tzinfo=theirs, fold=fold).utcoffset()
    )


# --------------------------------------------------------------------------- runaway zone rules


def test_zone_rules_that_never_match_are_bounded_by_counts() -> None:
    # Each DAYLIGHT rule asks for 30 February. dateutil looked for a match up to the year
    # 9999 at the first look-up of a time in the zone: 7 s for the daily rule, 14 s for the
    # secondly one. The yearly one ends a few years past the window, without a word.
    began = time.process_time()  # CPU, not wall: the machine may be busy with other work
    result = read((FIXTURES / "zone_never_matches.ics").read_bytes())
    assert time.process_time() - began < 5
    assert [(e.uid, e.start) for e in result.entries] == [
        ("daily@example.org", at("2026-01-05 09:00")),  # +01:00: STANDARD, never DAYLIGHT
        ("secondly@example.org", at("2026-01-05 09:00")),
        ("yearly@example.org", at("2026-01-05 09:00")),
        ("daily@example.org", at("2026-07-06 09:00")),
        ("secondly@example.org", at("2026-07-06 09:00")),
        ("yearly@example.org", at("2026-07-06 09:00")),
    ]
    # 100,000 candidates: 100,000 days after 1601-01-01 02:00 is 1874-10-17; a second counts
    # 3, so 33,333 seconds (9 h 15 min 33 s) after DTSTART
    assert [str(p) for p in result.problems] == [
        "cal.ics: time zone 'Daily Never Time': its DAYLIGHT rule examines more than 100000 "
        "candidate times before the end of the window; only its changes up to "
        "1874-10-17T02:00:00 were read",
        "cal.ics: time zone 'Secondly Never Time': its DAYLIGHT rule examines more than 100000 "
        "candidate times before the end of the window; only its changes up to "
        "1601-01-01T11:15:33 were read",
    ]


def hourly_never(n: int) -> str:
    return zone(
        f"Never {n}",
        "DTSTART:19990101T000000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100",
        "DTSTART:20000101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    )


def test_the_zone_rules_of_one_file_share_its_budget() -> None:
    # An hour counts 3: each rule may examine 33,333 hours (100,000 candidates); the file
    # 250,000: two rules take 99,999 each, the third 16,667 hours of the 50,002 left
    # (50,001), the fourth the 1 left: nothing past its DTSTART.
    zones = "".join(hourly_never(n) for n in range(4))
    events = [
        f"UID:e{n}\r\nDTSTART;TZID=Never {n}:20260105T100000\r\nDURATION:PT1H\r\nSUMMARY:e{n}"
        for n in range(4)
    ]
    result = read(calendar(zones, *events), max_candidates_per_file=250_000)
    # the last change read is DAYLIGHT's DTSTART (2000-01-01): +02:00 ever since
    assert [e.start for e in result.entries] == [at("2026-01-05 08:00")] * 4
    assert [p.reason for p in result.problems] == [
        "time zone 'Never 0': its DAYLIGHT rule examines more than 100000 candidate times "
        "before the end of the window; only its changes up to 2003-10-20T23:00:00 were read",
        "time zone 'Never 1': its DAYLIGHT rule examines more than 100000 candidate times "
        "before the end of the window; only its changes up to 2003-10-20T23:00:00 were read",
        "time zone 'Never 2': the file's time zone rules examine more than 250000 candidate "
        "times; only its changes up to 2001-11-25T13:00:00 were read",
        "time zone 'Never 3': the file's time zone rules examine more than 250000 candidate "
        "times; only its changes up to 2000-01-01T02:00:00 were read",
    ]
