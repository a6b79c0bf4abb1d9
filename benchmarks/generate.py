"""Generate the histories the speed benchmarks run against.

Three files, all deterministic for a given ``--seed``:

* ``heavy.ics``: ten years (2016-11-01 to 2026-11-01) of an engineering lead's calendar,
  about 17,500 instances in about 1.15 MB (about 15 instances per KB, as dense as real
  calendars): daily standups, triage and lunch (``FREQ=DAILY;BYDAY=...``), weekly 1:1s,
  syncs and focus blocks, monthly all-hands and reviews (``BYDAY=1TH``, ``BYDAY=-1WE``,
  ``BYSETPOS=-1``), series that start and end over the years (``UNTIL`` / ``COUNT``),
  holidays and absences as many EXDATEs per series (Outlook-style comma lists in the
  series written with Windows zone names such as ``W. Europe Standard Time``), moved and
  cancelled instances as ``RECURRENCE-ID`` overrides, series in New York time, VALARM
  reminders, a few one-off meetings with short descriptions, declined, tentative,
  transparent, cancelled and all-day events. The lead is "Dana Lead"
  <dana@example.com> (import with ``--me dana@example.com``).
* ``history.jsonl``: 100,000 logged and timed entries over the same ten years, in the
  format of ``leadtime export`` (restore it with ``leadtime restore``).
* ``watson/frames`` (with ``watson/state`` and ``watson/config``): the same entries as a
  td-watson directory, for ``WATSON_DIR=... watson report``.

Usage::

    python benchmarks/generate.py OUTDIR [--seed 7] [--entries 100000] [--years 10]

Only the standard library is used to write the files; ``icalendar`` and
``recurring-ical-events`` are imported to count the calendar's instances for the stats.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
END = date(2026, 11, 1)  # the histories end here (exclusive), whatever today is
EXPORTED_AT = "2026-11-01T00:00:00Z"
ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ME = ("Dana Lead", "dana@example.com")
ONE_OFFS_PER_YEAR = 50  # meetings outside any series; series make up the rest, as in real
# calendars (about 2,000 instances a year, 20-30 instances per KB)
DTSTAMP = "20261101T000000Z"
ALL_DAY_EVENTS = (("Vacation", 10), ("Vacation", 5), ("Offsite", 2), ("Conference", 2))

# -- people and vocabulary ----------------------------------------------------------------

FIRST = (
    "Ana", "Ben", "Chloé", "Sam", "Lee", "Jonas", "Morgan", "Nora", "Malik", "Priya", "Eva",
    "Tomás", "Yuki", "Olga", "Kwame", "Lena", "Ravi", "Sofia", "Jan", "Mei", "Omar", "Ida",
    "Lucas", "Zoe", "Felix", "Amara", "Hugo", "Mira", "Noah", "Leila",
)  # fmt: skip
LAST = (
    "Ruiz", "Okafor", "Martin", "Patel", "Wong", "Weber", "Reyes", "Fischer", "Haddad",
    "Nair", "Schulz", "Silva", "Tanaka", "Ivanova", "Mensah", "Becker", "Iyer", "Rossi",
    "Novak", "Chen", "Farouk", "Berg",
)  # fmt: skip
US_PEOPLE = (
    ("Taylor Brooks", "taylor.brooks@example.com"),
    ("Jordan Kim", "jordan.kim@example.com"),
    ("Alex Rivera", "alex.rivera@example.com"),
    ("Casey Morgan", "casey.morgan@example.com"),
    ("Riley Carter", "riley.carter@example.com"),
)
COMPONENTS = (
    "checkout", "payments", "search", "billing", "auth", "notifications", "inventory",
    "reporting", "mobile API", "event bus", "CLI", "data pipeline", "admin UI", "gateway",
)  # fmt: skip
TOPICS = (
    "event sourcing", "API versioning", "multi-region failover", "rate limiting",
    "schema migrations", "feature flags", "observability", "caching strategy",
    "service mesh", "GDPR data retention", "queue back-pressure", "search relevance",
)  # fmt: skip
TECH = (
    "DuckDB", "Kafka Streams", "OpenTelemetry", "SQLite WAL", "gRPC", "Temporal", "Redis 7",
    "ClickHouse", "Rust extension", "WebAssembly", "Postgres 16 partitioning", "htmx",
)  # fmt: skip
VENDORS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries")
ROLES = ("senior backend engineer", "staff engineer", "frontend engineer", "SRE", "EM")
PROBLEMS = (
    "timeout", "race condition", "memory leak", "flaky test", "off-by-one",
    "encoding bug", "retry storm", "deadlock", "N+1 queries", "crash on startup",
)  # fmt: skip
TEAMS = ("platform", "mobile", "data", "SRE", "product", "security", "NYC checkout")
MEET_BLURB = (
    "\n\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
    "Join with Google Meet: https://meet.google.com/{code}\n"
    "Or dial: (DE) +49 30 25555 {pin4} PIN: {pin9}#\n"
    "More phone numbers: https://tel.meet/{code}?pin={pin9}\n\n"
    "Learn more about Meet at: https://support.google.com/a/users/answer/9282720\n\n"
    "Please do not edit this section.\n"
    "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
)
AGENDA_LINES = (
    "Context: where we are since last time and what changed.",
    "Review the open questions in the doc and agree on owners.",
    "Decide whether we ship behind a feature flag or in one go.",
    "Walk through the dashboards for the last two weeks.",
    "Risks: capacity over the holidays, on-call coverage, dependencies on other teams.",
    "Action items from last time: check that each one has an owner and a date.",
    "Please read the proposal before the meeting; comments in the doc are welcome.",
    "Timeline: what can land this sprint, what needs the next one.",
    "Any other business.",
    "Notes will be shared in the team channel afterwards.",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class PoolTitle:
    """A title of the log history's vocabulary, with what td-watson files it under."""

    title: str
    kind: str  # leadership | hands-on | other | unknown (what a reader would say)
    project: str  # td-watson project slug
    tags: tuple[str, ...] = ()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "misc"


def title_pool() -> list[PoolTitle]:
    """The ~300 distinct titles the log history draws from (the same for every seed)."""
    leadership: list[PoolTitle] = []
    for comp in COMPONENTS:
        leadership.append(PoolTitle(f"Code review: {comp} PR", "leadership", "code-review"))
        leadership.append(PoolTitle(f"Review {comp} pull requests", "leadership", "code-review"))
        leadership.append(PoolTitle(f"Sprint planning ({comp})", "leadership", "planning"))
    for topic in TOPICS:
        leadership.append(PoolTitle(f"RFC: {topic}", "leadership", "rfc", ("rfc",)))
        leadership.append(PoolTitle(f"Design review: {topic}", "leadership", "design-review"))
        leadership.append(PoolTitle(f"Architecture review: {topic}", "leadership", "architecture"))
    for first in FIRST:
        leadership.append(PoolTitle(f"1:1 {first}", "leadership", "1on1", ("people",)))
        leadership.append(PoolTitle(f"Mentoring {first}", "leadership", "mentoring", ("people",)))
    for team in TEAMS:
        leadership.append(PoolTitle(f"Cross-team sync with {team}", "leadership", "alignment"))
        leadership.append(PoolTitle(f"Roadmap alignment: {team}", "leadership", "alignment"))
    for role in ROLES:
        leadership.append(PoolTitle(f"Interview: {role}", "leadership", "hiring", ("hiring",)))
        leadership.append(PoolTitle(f"Hiring debrief: {role}", "leadership", "hiring"))
    leadership += [
        PoolTitle(t, "leadership", p)
        for t, p in (
            ("Team standup", "standup"), ("Sprint retro", "planning"),
            ("Backlog refinement", "planning"), ("Incident postmortem", "postmortem"),
            ("Performance review calibration", "people"), ("Onboarding new joiner", "mentoring"),
            ("Eng leads meeting", "alignment"), ("Quarterly OKR planning", "planning"),
        )
    ]  # fmt: skip
    hands_on: list[PoolTitle] = []
    for comp in COMPONENTS:
        for problem in PROBLEMS[:4]:
            hands_on.append(PoolTitle(f"Bug fix: {comp} {problem}", "hands-on", "bugfix"))
        hands_on.append(PoolTitle(f"Refactor {comp}", "hands-on", "coding", ("deep",)))
        hands_on.append(PoolTitle(f"Debugging {comp}", "hands-on", "debugging"))
    for tech in TECH:
        hands_on.append(PoolTitle(f"Spike: evaluate {tech}", "hands-on", "spike", ("spike",)))
        hands_on.append(PoolTitle(f"Prototype with {tech}", "hands-on", "spike"))
    hands_on += [
        PoolTitle("Focus: coding", "hands-on", "coding", ("deep",)),
        PoolTitle("Pairing on the parser", "hands-on", "pairing"),
        PoolTitle("Write tests for the importer", "hands-on", "coding"),
        PoolTitle("On-call: pager follow-ups", "hands-on", "on-call"),
        PoolTitle("Hotfix deploy", "hands-on", "bugfix"),
    ]
    other = [
        PoolTitle(t, "other", p)
        for t, p in (
            ("Lunch", "lunch"), ("Lunch with team", "lunch"), ("Company all-hands", "company"),
            ("Team event", "company"), ("Doctor", "personal"), ("Coffee break", "break"),
            ("Farewell drinks", "company"), ("Gym", "personal"), ("Town hall", "company"),
            ("Commute", "personal"),
        )
    ]  # fmt: skip
    unknown = [PoolTitle(f"Vendor call: {v}", "unknown", "vendor") for v in VENDORS]
    unknown += [
        PoolTitle(t, "unknown", _slug(t.split()[0]))
        for t in (
            "Budget forecast", "Expense reports", "Inbox zero", "Travel booking",
            "Admin", "Quarterly numbers for finance", "Laptop setup", "Misc",
            "Conference talk draft", "Newsletter", "Legal sign-off", "Procurement form",
        )
    ]  # fmt: skip
    unique: dict[str, PoolTitle] = {}
    for pick in leadership + hands_on + other + unknown:
        unique.setdefault(pick.title, pick)
    return list(unique.values())


# -- calendar arithmetic (of the data we generate, not RFC 5545 interpretation) ------------


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(first: date, last: date) -> set[date]:
    """Berlin public holidays (and the days around Christmas) between two dates."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        easter = _easter(year)
        days |= {
            date(year, 1, 1), date(year, 5, 1), date(year, 10, 3), date(year, 12, 24),
            date(year, 12, 25), date(year, 12, 26), date(year, 12, 31),
            easter - timedelta(days=2), easter + timedelta(days=1),
            easter + timedelta(days=39), easter + timedelta(days=50),
        }  # fmt: skip
    return {d for d in days if first <= d <= last}


def _span(years: int) -> tuple[date, date]:
    return date(END.year - years, END.month, END.day), END


def working_days(first: date, end: date) -> list[date]:
    """Monday to Friday, without public holidays, from ``first`` up to ``end`` (exclusive)."""
    off = holidays(first, end)
    days, day = [], first
    while day < end:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += timedelta(days=1)
    return days


# -- iCalendar text ------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 §3.1), CRLF-terminated."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, limit = [], 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
        limit = 74  # a continuation line starts with a space
    parts.append(data.decode())
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _at(day: date, minutes: int, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)


VTIMEZONES = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VTIMEZONE",
    "TZID:America/New_York",
    "X-LIC-LOCATION:America/New_York",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "DTSTART:19700308T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "DTSTART:19701101T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
    # Outlook / Exchange name zones after Windows and start their rules in 1601.
    "BEGIN:VTIMEZONE",
    "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "BEGIN:VTIMEZONE",
    "TZID:Eastern Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
)
WINDOWS_ZONES = {"Europe/Berlin": "W. Europe Standard Time",
                 "America/New_York": "Eastern Standard Time"}  # fmt: skip
ALARM = ("BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT10M", "DESCRIPTION:Reminder",
         "END:VALARM")  # fmt: skip


@dataclass
class _Event:
    uid: str
    summary: str
    start: datetime
    end: datetime
    organizer: Person
    attendees: list[tuple[Person, str]] = field(default_factory=list)  # (who, PARTSTAT)
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"
    transp: str = "OPAQUE"
    sequence: int = 0
    all_day: bool = False
    tzid: str | None = None  # None: written in UTC, as Google writes one-off events
    rrule: str | None = None
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None
    alarm: bool = False  # a VALARM reminder, as most clients add by default
    grouped_exdates: bool = False  # Outlook: comma-separated EXDATE lists, not one per line

    def lines(self) -> Iterator[str]:
        yield "BEGIN:VEVENT"
        if self.all_day:
            yield f"DTSTART;VALUE=DATE:{self.start:%Y%m%d}"
            yield f"DTEND;VALUE=DATE:{self.end:%Y%m%d}"
        elif self.tzid:
            yield f"DTSTART;TZID={self.tzid}:{_local(self.start)}"
            yield f"DTEND;TZID={self.tzid}:{_local(self.end)}"
        else:
            yield f"DTSTART:{_utc(self.start)}"
            yield f"DTEND:{_utc(self.end)}"
        if self.rrule:
            yield f"RRULE:{self.rrule}"
        if self.grouped_exdates:
            for at in range(0, len(self.exdates), 8):
                group = ",".join(_local(ex) for ex in self.exdates[at : at + 8])
                yield f"EXDATE;TZID={self.tzid}:{group}"
        else:
            for ex in self.exdates:
                yield f"EXDATE;TZID={self.tzid}:{_local(ex)}"
        yield f"DTSTAMP:{DTSTAMP}"
        yield f"ORGANIZER;CN={self.organizer.name}:mailto:{self.organizer.email}"
        yield f"UID:{self.uid}"
        if self.recurrence_id is not None:
            yield f"RECURRENCE-ID;TZID={self.tzid}:{_local(self.recurrence_id)}"
        for who, partstat in self.attendees:
            yield (
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
                f"PARTSTAT={partstat};CN={who.name};X-NUM-GUESTS=0:mailto:{who.email}"
            )
        yield f"CREATED:{_utc(self.start - timedelta(days=9))}"
        if self.description:
            yield f"DESCRIPTION:{_escape(self.description)}"
        yield f"LAST-MODIFIED:{_utc(self.start - timedelta(days=2))}"
        if self.location:
            yield f"LOCATION:{_escape(self.location)}"
        yield f"SEQUENCE:{self.sequence}"
        yield f"STATUS:{self.status}"
        yield f"SUMMARY:{_escape(self.summary)}"
        yield f"TRANSP:{self.transp}"
        if self.alarm:
            yield from ALARM
        yield "END:VEVENT"


def _series_dates(
    freq: str, era: tuple[date, date], weekdays: Sequence[int], interval: int, nth: int
) -> list[date]:
    """The days a series generated here falls on (its own arithmetic, not RFC 5545's)."""
    first, last = era
    days: list[date] = []
    if freq == "DAILY":
        day = first
        while day <= last:
            if day.weekday() in weekdays:
                days.append(day)
            day += timedelta(days=1)
    elif freq == "MONTHLY":
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            in_month = [
                date(year, month, d)
                for d in range(1, 32)
                if _valid(year, month, d) and date(year, month, d).weekday() in weekdays
            ]
            if nth:
                matching = [d for d in in_month if d.weekday() == weekdays[0]]
                pick = matching[nth - 1] if nth > 0 else matching[nth]
            else:
                pick = in_month[-1]
            if first <= pick <= last:
                days.append(pick)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        week = first - timedelta(days=first.weekday())
        while week <= last:
            days += [
                week + timedelta(days=d)
                for d in sorted(weekdays)
                if first <= week + timedelta(days=d) <= last
            ]
            week += timedelta(weeks=interval)
    return days


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


class _CalendarBuilder:
    """Writes the heavy calendar's events; every choice comes from one seeded ``Random``."""

    def __init__(self, years: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.first, self.end = _span(years)
        self.off = holidays(self.first, self.end)
        self.events: list[_Event] = []
        self.recurring_instances = 0  # instances of the series, as generated here
        self.me = Person(*ME)
        self.colleagues = [
            Person(f"{f} {last}", f"{_slug(f)}.{_slug(last)}@example.com")
            for f in FIRST
            for last in LAST[:3]
        ]
        self.us = [Person(*p) for p in US_PEOPLE]
        self.serial = 0

    # helpers
    def uid(self, stem: str) -> str:
        self.serial += 1
        return f"{stem}-{self.serial:05d}-{self.rng.getrandbits(40):010x}@google.com"

    def people(self, low: int, high: int) -> list[Person]:
        return self.rng.sample(self.colleagues, self.rng.randint(low, high))

    def meet(self) -> str:
        rng = self.rng
        code = "-".join(
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n)) for n in (3, 4, 3)
        )
        return MEET_BLURB.format(
            code=code, pin4=rng.randint(1000, 9999), pin9=rng.randint(10**8, 10**9 - 1)
        )

    def description(self, lines: int, *, meet: bool = True) -> str:
        agenda = self.rng.sample(AGENDA_LINES, min(lines, len(AGENDA_LINES)))
        text = "Agenda:\n" + "\n".join(f"- {line}" for line in agenda)
        return text + self.meet() if meet else text

    def eras(
        self, low_months: int, high_months: int, start: date | None = None
    ) -> list[tuple[date, date]]:
        """Consecutive periods of ``low_months`` to ``high_months``, with short gaps."""
        out, day = [], start or self.first
        while day < self.end:
            length = timedelta(days=30 * self.rng.randint(low_months, high_months))
            until = min(day + length, self.end - timedelta(days=1))
            out.append((day, until))
            day = until + timedelta(days=self.rng.randint(3, 30))
        return out

    # recurring series
    def series(
        self,
        stem: str,
        summary: str,
        era: tuple[date, date],
        weekdays: Sequence[int],
        minute: int,
        length: int,
        *,
        interval: int = 1,
        freq: str = "WEEKLY",
        nth: int = 0,
        tz: ZoneInfo = BERLIN,
        windows: bool = False,
        organizer: Person | None = None,
        attendees: Sequence[Person] = (),
        location: str = "",
        description: str = "",
        use_count: bool = False,
        absent: float = 0.03,
        open_ended: bool = False,
    ) -> None:
        """A series over ``era`` plus its EXDATEs and RECURRENCE-ID overrides.

        ``freq``: ``WEEKLY`` on ``weekdays`` every ``interval`` weeks; ``DAILY`` on
        ``weekdays``; ``MONTHLY`` on the ``nth`` (1-4, -1) of ``weekdays[0]``, or with
        ``nth=0`` on the last of ``weekdays`` in the month (``BYSETPOS=-1``). Public holidays
        and a share ``absent`` of the other days (vacations, travel) become EXDATEs.
        ``windows``: written as Outlook does (a Windows zone name, grouped EXDATEs).
        ``open_ended``: no UNTIL or COUNT, as long-running series are written: the series
        goes on past the end of the history (into the weeks an import reads ahead).
        Instances of series organised by someone else are sometimes declined one at a
        time (an override with the lead's PARTSTAT=DECLINED), as a busy lead does.
        """
        rng = self.rng
        starts = _series_dates(freq, era, weekdays, interval, nth)
        if len(starts) < 2:
            return
        tzid = WINDOWS_ZONES[str(tz.key)] if windows else str(tz.key)
        codes = ",".join(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in sorted(weekdays))
        if freq == "MONTHLY":
            day_code = codes.split(",")[0]
            rule = f"FREQ=MONTHLY;BYDAY={nth}{day_code}" if nth else (
                f"FREQ=MONTHLY;BYDAY={codes};BYSETPOS=-1"
            )  # fmt: skip
        elif interval > 1:
            rule = f"FREQ={freq};INTERVAL={interval};BYDAY={codes}"
        else:
            rule = f"FREQ={freq};BYDAY={codes}"
        if open_ended:
            pass
        elif use_count:
            rule += f";COUNT={len(starts)}"
        else:
            rule += f";UNTIL={_utc(_at(starts[-1], minute + length, tz))}"
        organizer = organizer or self.me
        people = [(p, "ACCEPTED") for p in attendees]
        if people and organizer != self.me:
            people.insert(0, (self.me, "ACCEPTED"))
        uid = self.uid(stem)
        skipped = {d for d in starts[1:] if d in self.off or rng.random() < absent}
        exdates = [_at(d, minute, tz) for d in starts if d in skipped]
        master = _Event(
            uid, summary, _at(starts[0], minute, tz), _at(starts[0], minute + length, tz),
            organizer, people, description, location, tzid=tzid, rrule=rule, exdates=exdates,
            alarm=True, grouped_exdates=windows,
        )  # fmt: skip
        self.events.append(master)
        self.recurring_instances += len(starts) - len(exdates)
        for day in starts:
            if day in skipped:
                continue
            roll = rng.random() * (3 if freq == "DAILY" else 1)  # daily ones move less
            original = _at(day, minute, tz)
            if roll < 0.02:  # moved: later the same day, or to the next day
                if rng.random() < 0.5 or day.weekday() == 4:
                    new = original + timedelta(minutes=rng.choice((60, 90, 120, 180)))
                else:
                    new = original + timedelta(days=1)
                moved = _Event(
                    uid, summary, new, new + timedelta(minutes=length), organizer, people,
                    "Moved.", location, sequence=1, tzid=tzid, recurrence_id=original,
                    alarm=True,
                )  # fmt: skip
                self.events.append(moved)
            elif roll < 0.03:  # one instance cancelled
                cancelled = _Event(
                    uid, summary, original, original + timedelta(minutes=length), organizer,
                    people, "", location, status="CANCELLED", sequence=1, tzid=tzid,
                    recurrence_id=original,
                )  # fmt: skip
                self.events.append(cancelled)
            elif roll < 0.07 and organizer != self.me:  # the lead declines this one
                declined = [(p, "DECLINED" if p == self.me else how) for p, how in people]
                self.events.append(
                    _Event(
                        uid, summary, original, original + timedelta(minutes=length),
                        organizer, declined, description, location, sequence=1, tzid=tzid,
                        recurrence_id=original, alarm=True,
                    )
                )  # fmt: skip

    def recurring(self) -> None:
        rng = self.rng
        for era in self.eras(12, 30):
            team = self.people(3, 6)
            self.series(
                "standup", "Team standup", era, range(5), rng.choice((555, 570, 600)), 15,
                freq="DAILY", attendees=team, location="Team room", description=self.meet(),
                absent=0.06,
            )  # fmt: skip
            self.series(
                "triage", "Bug triage", era, (0, 2, 4), 16 * 60 + 30, 15, freq="DAILY",
                windows=True, organizer=team[-1], attendees=team[:2], absent=0.06,
            )  # fmt: skip
            self.series(
                "plan-day", "Plan the day", era, range(5), 8 * 60 + 15, 15, freq="DAILY",
                absent=0.08,
            )  # fmt: skip
            self.series(
                "lunch", "Lunch", era, range(5), 12 * 60 + 30, 45, freq="DAILY", absent=0.1,
            )  # fmt: skip
            self.series(
                "inbox", "Inbox and reviews", era, range(5), 8 * 60 + 30, 30, freq="DAILY",
                description="Review requests first.", absent=0.08,
            )  # fmt: skip
            self.series(
                "refinement", "Backlog refinement", era, (3,), 16 * 60, 45,
                organizer=team[0], attendees=team, location="Room Lovelace",
            )  # fmt: skip
            self.series(
                "focus-tue", "Focus: coding", era, (1,), 10 * 60, rng.choice((120, 150, 180)),
                description="Hands-on time. No meetings, please.",
            )  # fmt: skip
            self.series(
                "focus-thu", "Focus: coding", era, (3,), 13 * 60 + 30, rng.choice((120, 150)),
                description="Hands-on time. No meetings, please.", use_count=True,
            )  # fmt: skip
        for era in self.eras(12, 36):
            team = self.people(4, 7)
            self.series(
                "planning", "Sprint planning", era, (0,), 13 * 60, 90, interval=2,
                organizer=team[0], attendees=team, location="Room Lovelace",
                description=self.description(4),
            )  # fmt: skip
            self.series(
                "retro", "Sprint retro", (era[0] + timedelta(days=11), era[1]), (4,), 14 * 60,
                60, interval=2, organizer=team[0], attendees=team, location="Room Lovelace",
            )  # fmt: skip
        for era in self.eras(12, 36):
            manager = rng.choice(self.colleagues)
            self.series(
                "manager-1on1", f"1:1 Dana / {manager.name.split()[0]}", era, (4,), 15 * 60,
                45, interval=2, organizer=manager, attendees=[manager],
            )  # fmt: skip
        for slot, (weekday, minute) in enumerate(((0, 660), (1, 840), (2, 690), (3, 660))):
            for era in self.eras(4, 30, self.first + timedelta(days=7 * slot)):
                report = rng.choice(self.colleagues)
                self.series(
                    "1on1", f"1:1 {report.name.split()[0]} / Dana", era, (weekday,), minute, 30,
                    attendees=[report], location="Small room 2",
                    description="Running notes: https://docs.example.com/1on1",
                    use_count=rng.random() < 0.3,
                )  # fmt: skip
        for era in self.eras(12, 30, max(self.first, date(2018, 3, 1))):
            lead = rng.choice(self.us)
            self.series(
                "nyc-sync", "Cross-team sync (Berlin / NYC)", era, (2,), 11 * 60, 60,
                tz=NEW_YORK, organizer=lead, attendees=[lead, *rng.sample(self.us, 2)],
                description="Weekly alignment with the New York team." + self.meet(),
            )  # fmt: skip
        for era in self.eras(18, 40, max(self.first, date(2019, 1, 7))):
            self.series(
                "arch-review", "Architecture review", era, (2,), 16 * 60, 60,
                organizer=Person("Staff engineers", "staff-eng@example.com"),
                attendees=self.people(5, 9), location="Room Turing",
                description=self.description(3),
            )  # fmt: skip

        # Long-running series with no end, organised by others: the whole history and on.
        director = rng.choice(self.colleagues)
        everyone = self.people(12, 20)
        long_running = (self.first, self.end - timedelta(days=1))
        self.series(
            "staff", "Engineering managers' staff meeting", long_running, (0,), 16 * 60, 60,
            organizer=director, attendees=[director, *everyone[:8]], location="Room Hopper",
            description=self.description(3), open_ended=True,
        )  # fmt: skip
        self.series(
            "skip-level", f"Skip-level with {director.name.split()[0]}", long_running, (1,),
            9 * 60, 45, interval=4, organizer=director, attendees=[director],
            open_ended=True, windows=True,
        )  # fmt: skip
        self.series(
            "eng-sync", "Engineering sync", long_running, (3,), 14 * 60 + 30, 30,
            organizer=rng.choice(self.us), attendees=everyone, tz=NEW_YORK,
            description="Weekly sync of every engineering team." + self.meet(),
            open_ended=True,
        )  # fmt: skip
        for era in self.eras(18, 48):
            self.series(
                "all-hands", "Engineering all-hands", era, (3,), 17 * 60, 60, freq="MONTHLY",
                nth=1, windows=True, organizer=Person("Engineering", "eng@example.com"),
                location="Auditorium",
            )  # fmt: skip
            self.series(
                "mbr", "Monthly business review", era, range(5), 14 * 60, 60, freq="MONTHLY",
                nth=0, organizer=rng.choice(self.colleagues),
            )  # fmt: skip
            self.series(
                "ops-review", "Ops review", era, (2,), 10 * 60, 45, freq="MONTHLY", nth=-1,
                tz=NEW_YORK, windows=True, organizer=rng.choice(self.us),
            )  # fmt: skip

    # one-off events
    def one_offs(self, count: int) -> None:
        rng = self.rng
        days = working_days(self.first, self.end)
        titles = [p for p in title_pool() if p.kind != "other" or "all-hands" in p.title.lower()]
        titles += [PoolTitle(f"Platform guild: {t}", "unknown", "guild") for t in TOPICS]
        for _ in range(count):
            day = rng.choice(days)
            pick = rng.choice(titles)
            start = _at(day, rng.randrange(8 * 60 + 30, 17 * 60 + 30, 15))
            length = rng.choice((30, 45, 60, 60, 90, 120))
            roll = rng.random()
            organizer = self.me if rng.random() < 0.4 else rng.choice(self.colleagues)
            my_status = "ACCEPTED"
            if roll < 0.08:
                my_status = "DECLINED"
            elif roll < 0.13:
                my_status = "TENTATIVE"
            elif roll < 0.16:
                my_status = "NEEDS-ACTION"
            people = [(self.me, my_status)] + [
                (p, rng.choice(("ACCEPTED", "ACCEPTED", "TENTATIVE", "NEEDS-ACTION")))
                for p in self.people(1, 3)
            ]
            event = _Event(
                self.uid("meeting"), pick.title, start, start + timedelta(minutes=length),
                organizer, people,
                self.description(rng.randint(1, 2), meet=rng.random() < 0.1)
                if rng.random() < 0.2 else "",
                rng.choice(("", "Room Ada", "Room Turing", "Room Hopper", "Café corner")),
            )  # fmt: skip
            event.alarm = rng.random() < 0.8
            if roll > 0.97:
                event.status = "CANCELLED"
                event.sequence = 2
            elif roll > 0.93:
                event.transp = "TRANSPARENT"
                event.summary = "Hold: " + event.summary
            elif roll > 0.85:  # scheduled by a colleague in New York, in their time zone
                ny = start.astimezone(NEW_YORK)
                event.start, event.end = ny, ny + timedelta(minutes=length)
                event.tzid = "America/New_York"
            self.events.append(event)

    def all_day(self) -> int:
        rng = self.rng
        count = 0
        for year in range(self.first.year, self.end.year + 1):
            for summary, days in ALL_DAY_EVENTS:
                start = date(year, rng.randint(1, 12), rng.randint(1, 28))
                if not self.first <= start < self.end - timedelta(days=days):
                    continue
                self.events.append(
                    _Event(
                        self.uid("allday"),
                        summary,
                        datetime(start.year, start.month, start.day),
                        datetime(start.year, start.month, start.day) + timedelta(days=days),
                        self.me,
                        transp="TRANSPARENT" if summary == "Vacation" else "OPAQUE",
                        all_day=True,
                    )
                )
                count += 1
            for holiday in sorted(d for d in self.off if d.year == year and d.weekday() < 5):
                self.events.append(
                    _Event(
                        self.uid("holiday"),
                        "Public holiday",
                        datetime(holiday.year, holiday.month, holiday.day),
                        datetime(holiday.year, holiday.month, holiday.day) + timedelta(days=1),
                        self.me,
                        transp="TRANSPARENT",
                        all_day=True,
                    )
                )
                count += 1
        return count

    def text(self) -> str:
        head = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Dana (work)",
            "X-WR-TIMEZONE:Europe/Berlin",
            *VTIMEZONES,
        ]
        out = [_fold(line) for line in head]
        for event in self.events:
            out += [_fold(line) for line in event.lines()]
        out.append("END:VCALENDAR\r\n")
        return "".join(out)


def count_instances(path: Path, first: date, end: date) -> int:
    """Instances between ``first`` and ``end`` as recurring-ical-events expands them."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return len(recurring_ical_events.of(calendar).between(first, end))


def write_heavy_calendar(path: Path, *, years: int = 10, seed: int = 7) -> dict[str, int]:
    """Write the heavy calendar to ``path``; return its stats.

    Keys: ``instances`` (expanded between the first day and 2026-11-01), ``bytes``,
    ``vevents``, ``overrides`` (RECURRENCE-ID components) and ``series`` (with an RRULE).
    """
    builder = _CalendarBuilder(years, seed)
    builder.recurring()
    builder.all_day()
    builder.one_offs(ONE_OFFS_PER_YEAR * years)
    data = builder.text().encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {
        "instances": count_instances(path, builder.first, builder.end),
        "bytes": len(data),
        "vevents": len(builder.events),
        "series": sum(1 for e in builder.events if e.rrule),
        "overrides": sum(1 for e in builder.events if e.recurrence_id is not None),
    }


# -- the log history -----------------------------------------------------------------------

_LENGTHS = (15, 30, 45, 60, 90, 120, 180)
_LENGTH_WEIGHTS = (20, 25, 15, 20, 10, 6, 4)
_KIND_WEIGHTS = {"leadership": 60, "hands-on": 28, "other": 6, "unknown": 6}
_DAY_START, _DAY_END = 8 * 60, 19 * 60


def _zipf_weights(n: int) -> list[float]:
    return [1 / (rank + 1) ** 0.8 for rank in range(n)]


def _new_id(rng: random.Random, taken: set[str]) -> str:
    while True:
        candidate = "".join(rng.choice(ID_ALPHABET) for _ in range(8))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log_spans(
    rng: random.Random, days: list[date], entries: int
) -> Iterator[tuple[datetime, int]]:
    """(start, minutes) of ``entries`` spans over ``days``, inside working hours.

    Spans of a day follow each other with short gaps; one in twenty starts before the
    previous one ends. When a day holds more than its hours (as 100,000 entries in ten
    years do), the spans wrap around to the morning and run in parallel.
    """
    per_day, extra = divmod(entries, len(days))
    busier = set(rng.sample(range(len(days)), extra))
    for index, day in enumerate(days):
        cursor = _DAY_START + rng.randrange(0, 45, 5)
        for _ in range(per_day + (index in busier)):
            length = rng.choices(_LENGTHS, _LENGTH_WEIGHTS)[0]
            if cursor + length > _DAY_END:
                cursor = _DAY_START + rng.randrange(0, 120, 5)
            start = cursor
            if rng.random() < 0.05 and start - 15 >= _DAY_START:
                start -= 15
            yield _at(day, start), length
            cursor = start + length + rng.choice((0, 0, 5, 10, 15))


def write_log_history(
    path: Path, *, entries: int = 100_000, seed: int = 7, years: int = 10
) -> None:
    """Write ``entries`` logged and timed entries as a ``leadtime export`` JSONL file."""
    rng = random.Random(seed)
    first, end = _span(years)
    days = working_days(first, end)
    pool = title_pool()
    by_kind = {kind: [p for p in pool if p.kind == kind] for kind in _KIND_WEIGHTS}
    weights = {kind: _zipf_weights(len(titles)) for kind, titles in by_kind.items()}
    kinds, kind_weights = list(_KIND_WEIGHTS), list(_KIND_WEIGHTS.values())
    taken: set[str] = set()
    notes = ("", "", "", "", "follow-up needed", "see ticket", "took longer than planned")
    lines = [json.dumps({"format": "leadtime-export", "version": 1, "exported_at": EXPORTED_AT})]
    for start, minutes in _log_spans(rng, days, entries):
        kind = rng.choices(kinds, kind_weights)[0]
        pick = rng.choices(by_kind[kind], weights[kind])[0]
        origin = "timer" if rng.random() < 0.3 else "log"
        tags = list(pick.tags)
        if rng.random() < 0.15:
            tags.append(_slug(rng.choice(COMPONENTS)))
        record = {
            "id": _new_id(rng, taken),
            "start": _iso(start),
            "end": _iso(start + timedelta(minutes=minutes)),
            "minutes": float(minutes),
            "title": pick.title,
            "note": rng.choice(notes),
            "location": "",
            "tags": tags,
            "origin": origin,
            "calendar": None,
            "uid": None,
            "recurrence_id": None,
            "organizer": None,
            "attendees": 0,
            "excluded": None,
            "category": "unclassified",
            "activity": None,
            "decided_by": None,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- td-watson -----------------------------------------------------------------------------


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def write_watson_frames(path: Path, jsonl_path: Path) -> None:
    """Write the entries of ``jsonl_path`` as td-watson frames at ``path``.

    Each frame is ``[start, stop, project, id, tags, updated_at]`` (epoch seconds, a hex
    uuid4 id). ``state`` (no running frame) and ``config`` are written beside it, so the
    folder is a complete ``WATSON_DIR``.
    """
    projects = {p.title: p.project for p in title_pool()}
    frames = []
    with jsonl_path.open(encoding="utf-8") as lines:
        next(lines)  # the export header
        for line in lines:
            entry = json.loads(line)
            start, stop = _epoch(entry["start"]), _epoch(entry["end"])
            project = projects.get(entry["title"]) or _slug(entry["title"].split(":")[0])
            digest = hashlib.sha256(entry["id"].encode()).digest()[:16]
            frame_id = uuid.UUID(bytes=digest, version=4)
            frames.append([start, stop, project, frame_id.hex, entry["tags"], stop])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(frames, indent=1, ensure_ascii=False), encoding="utf-8")
    (path.parent / "state").write_text("{}", encoding="utf-8")
    (path.parent / "config").write_text("[options]\n", encoding="utf-8")


# -- command line --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Write heavy.ics, history.jsonl and watson/ into OUTDIR and print their stats."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)

    began = time.perf_counter()
    stats = write_heavy_calendar(out / "heavy.ics", years=args.years, seed=args.seed)
    took = time.perf_counter() - began
    print(
        f"heavy.ics: {stats['instances']} instances, {stats['vevents']} VEVENTs "
        f"({stats['series']} series, {stats['overrides']} overrides), "
        f"{stats['bytes'] / 1e6:.2f} MB in {took:.1f} s (including counting)"
    )
    began = time.perf_counter()
    write_log_history(out / "history.jsonl", entries=args.entries, seed=args.seed, years=args.years)
    took = time.perf_counter() - began
    size = (out / "history.jsonl").stat().st_size
    print(f"history.jsonl: {args.entries} entries, {size / 1e6:.1f} MB in {took:.1f} s")
    began = time.perf_counter()
    write_watson_frames(out / "watson" / "frames", out / "history.jsonl")
    took = time.perf_counter() - began
    print(f"watson/frames: {args.entries} frames in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
