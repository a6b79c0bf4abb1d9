"""Reports of every shape the terminal table prints, for the layout tests.

Each case is a function of nothing that returns a :class:`~leadtime.reports.Report`: a
couple of weeks, a breakdown by activity, tag or source (untrusted, wide and long labels),
a compact quarter with a trend line, planned time with working hours, a year, and a period
without any data. ``tests/data/report-tables/`` holds how these printed with the Rich table
that the report used before it was rendered without Rich (see ``make.py`` there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from leadtime.reports import Report, Span, WorkHours, build_report

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W46, W47, W48 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)
WIDTHS = (160, 140, 120, 110, 100, 96, 90, 86, 80, 72, 64, 60)


def span(
    start: str,
    end: str,
    category: str,
    origin: str = "log",
    activity: str | None = None,
    tags: str = "",
) -> Span:
    return Span(
        int(datetime.fromisoformat(start).timestamp()),
        int(datetime.fromisoformat(end).timestamp()),
        origin,
        category,
        activity,
        tags,
    )


# Two weeks: W46 on target with an hour of lunch; W47 in progress, too hands-on, a 1:1
# inside a logged bugfix (folded), 2 h unclassified (flagged).
TWO_WEEKS = [
    span("2026-11-09T08:00+01:00", "2026-11-09T15:00+01:00", "leadership", "log", "review"),
    span("2026-11-10T08:00+01:00", "2026-11-10T15:00+01:00", "leadership", "log", "rfc"),
    span("2026-11-11T09:00+01:00", "2026-11-11T15:00+01:00", "hands-on", "log", "bugfix"),
    span("2026-11-12T12:00+01:00", "2026-11-12T13:00+01:00", "other", "ics", "lunch"),
    span("2026-11-16T09:00+01:00", "2026-11-16T11:00+01:00", "hands-on", "log", "bugfix"),
    span("2026-11-16T09:30+01:00", "2026-11-16T10:30+01:00", "leadership", "ics", "1:1"),
    span("2026-11-17T09:00+01:00", "2026-11-17T15:00+01:00", "leadership", "log", "review"),
    span("2026-11-18T09:00+01:00", "2026-11-18T13:00+01:00", "hands-on", "timer", "spike"),
    span("2026-11-19T10:00+01:00", "2026-11-19T12:00+01:00", "unclassified", "ics", None),
]

# Labels a breakdown prints: a wide (CJK) tag, a tag longer than the week column, one with
# an escape sequence in it (data, never terminal control), several tags on one entry.
TAGGED = [
    span("2026-11-09T08:00+01:00", "2026-11-09T12:00+01:00", "leadership", "log", "review",
         "people,設計レビュー"),
    span("2026-11-10T08:00+01:00", "2026-11-10T11:30+01:00", "leadership", "ics", "rfc",
         "architecture-decision-records-2026"),
    span("2026-11-11T09:00+01:00", "2026-11-11T13:00+01:00", "hands-on", "git", "coding",
         "\x1b[31mred\x1b[0m"),
    span("2026-11-12T12:00+01:00", "2026-11-12T13:00+01:00", "other", "ics", "lunch"),
    span("2026-11-13T12:00+01:00", "2026-11-13T14:30+01:00", "unclassified", "watson", None,
         "misc"),
    span("2026-11-16T09:00+01:00", "2026-11-16T11:00+01:00", "hands-on", "timer", "bugfix",
         "oncall"),
    span("2026-11-17T09:00+01:00", "2026-11-17T15:00+01:00", "leadership", "log", "1:1",
         "people"),
]  # fmt: skip


def _quarter() -> Iterator[Span]:
    """Twelve weeks up to W47: on target, too hands-on, too hands-off, a week without data,
    a thin week, a week mostly unclassified, and the current week in progress."""
    for week in range(12):
        if week == 3:
            continue
        monday = datetime(2026, 8, 31, 8, tzinfo=ZoneInfo(BERLIN)) + timedelta(weeks=week)
        lead, hands = [(30, 13), (20, 25), (40, 2), (0, 0), (5, 1)][week % 5]
        for day in range(5):
            start = int((monday + timedelta(days=day)).timestamp())
            lead_s, hands_s = lead * 720, hands * 720
            yield Span(start, start + lead_s, "log", "leadership", "review")
            yield Span(start + lead_s, start + lead_s + hands_s, "ics", "hands-on", None)
            if week == 5:
                yield Span(start + 40000, start + 50000, "ics", "unclassified", None)
            yield Span(start + 20000, start + 23600, "ics", "other", "lunch")


# Planned time after now (Friday 18:00), working hours: a coverage sentence and a planned one.
PLANNED = [
    span("2026-11-10T09:00+01:00", "2026-11-10T15:00+01:00", "leadership"),
    span("2026-11-16T09:00+01:00", "2026-11-16T13:00+01:00", "hands-on"),
    span("2026-11-20T16:00+01:00", "2026-11-20T20:00+01:00", "leadership"),
    span("2026-11-21T10:00+01:00", "2026-11-21T12:00+01:00", "hands-on", "ics"),
    span("2026-11-23T09:00+01:00", "2026-11-23T10:00+01:00", "leadership", "ics"),
]


def _mondays(last: date, count: int) -> list[date]:
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]


def two_weeks() -> Report:
    return build_report(TWO_WEEKS, [W46, W47], tz=BERLIN, now=NOW)


def by_activity() -> Report:
    return build_report(TWO_WEEKS, [W46, W47], tz=BERLIN, now=NOW, by="activity")


def by_tag() -> Report:
    return build_report(TAGGED, [W46, W47], tz=BERLIN, now=NOW, by="tag")


def by_source() -> Report:
    return build_report(TAGGED, [W46, W47], tz=BERLIN, now=NOW, by="source")


def quarter() -> Report:
    return build_report(list(_quarter()), _mondays(W47, 12), tz=BERLIN, now=NOW)


def three_weeks_target_60() -> Report:
    return build_report(list(_quarter()), _mondays(W47, 3), tz=BERLIN, now=NOW, target=0.6)


def planned() -> Report:
    hours = WorkHours.parse("mon-fri 09:00-17:00")
    return build_report(PLANNED, _mondays(W48, 4), tz=BERLIN, now=NOW, work_hours=hours)


def year() -> Report:
    return build_report(TWO_WEEKS, _mondays(W47, 52), tz=BERLIN, now=NOW)


def nothing() -> Report:
    return build_report([], _mondays(W47, 5), tz=BERLIN, now=NOW)


CASES: dict[str, Callable[[], Report]] = {
    "two-weeks": two_weeks,
    "by-activity": by_activity,
    "by-tag": by_tag,
    "by-source": by_source,
    "quarter": quarter,
    "three-weeks-target-60": three_weeks_target_60,
    "planned": planned,
    "year": year,
    "nothing": nothing,
}
