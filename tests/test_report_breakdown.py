"""Breaking the categories down by activity, tag or source, in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from leadtime.render import render_text, report_csv, report_json, report_markdown, report_table
from leadtime.reports import Span, build_report

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W47 = date(2026, 11, 16)


def span(
    start: str, end: str, category: str, origin: str = "log", activity: str | None = None,
    tags: str = "",
) -> Span:  # fmt: skip
    return Span(
        int(datetime.fromisoformat(f"2026-11-{start}+01:00").timestamp()),
        int(datetime.fromisoformat(f"2026-11-{end}+01:00").timestamp()),
        origin,
        category,
        activity,
        tags,
    )


# Tags: hands-on 2 h tagged infra and oncall, hands-on 1 h untagged, leadership 1 h infra.
TAGGED = [
    span("16T09:00", "16T11:00", "hands-on", tags="infra, oncall"),
    span("16T13:00", "16T14:00", "hands-on"),
    span("17T09:00", "17T10:00", "leadership", tags="infra"),
]


def test_an_entry_with_several_tags_counts_under_each_tag() -> None:
    (week,) = build_report(TAGGED, [W47], tz=BERLIN, now=NOW, by="tag").weeks
    assert week.minutes["hands-on"] == 180.0
    assert week.breakdown == {
        "leadership": {"infra": 60.0},
        "hands-on": {"infra": 120.0, "oncall": 120.0, "(none)": 60.0},
    }
    assert week.activities == {"leadership": {"(none)": 60.0}, "hands-on": {"(none)": 180.0}}


def test_tags_that_differ_only_in_case_are_one_tag_spelled_as_first_written() -> None:
    # W46: "OnCall" 1 h (the first entry); W47: "oncall" 2 h and "ONCALL" with "oncall" on
    # one entry (counted once under it) 1 h. Every week heads the tag "OnCall".
    spans = [
        span("09T09:00", "09T10:00", "hands-on", tags="OnCall"),
        span("16T09:00", "16T11:00", "hands-on", tags="oncall"),
        span("17T09:00", "17T10:00", "hands-on", tags="ONCALL,oncall"),
    ]
    report = build_report(spans, [date(2026, 11, 9), W47], tz=BERLIN, now=NOW, by="tag")
    assert [week.breakdown for week in report.weeks] == [
        {"hands-on": {"OnCall": 60.0}},
        {"hands-on": {"OnCall": 180.0}},
    ]
    assert not report.several_tags  # one tag, written twice
    assert build_report(TAGGED, [W47], tz=BERLIN, now=NOW, by="tag").several_tags


# Sources, Tuesday 10-11: an ics meeting (leadership) and a git session (hands-on) share
# 10:00-10:30 (15 min each: neither is direct); a Watson frame 10:30-11:00 (hands-on) is
# direct and takes the second half from both.
SOURCED = [
    span("17T10:00", "17T11:00", "leadership", "ics"),
    span("17T10:00", "17T11:00", "hands-on", "git"),
    span("17T10:30", "17T11:00", "hands-on", "watson"),
]


def test_by_source_with_watson_taking_calendar_and_git_time() -> None:
    (week,) = build_report(SOURCED, [W47], tz=BERLIN, now=NOW, by="source").weeks
    assert week.breakdown == {
        "leadership": {"ics": 15.0},
        "hands-on": {"watson": 30.0, "git": 15.0},
    }
    assert week.double_booked_minutes == 90.0  # 150 min of entries over a 60 min union


def test_the_store_s_plain_five_field_rows_are_read_too() -> None:
    rows = [tuple(item)[:5] for item in SOURCED]
    (week,) = build_report(rows, [W47], tz=BERLIN, now=NOW, by="tag").weeks
    assert week.breakdown == {"leadership": {"(none)": 15.0}, "hands-on": {"(none)": 45.0}}


def test_an_unknown_breakdown_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot break a report down by 'calendar'"):
        build_report(TAGGED, [W47], tz=BERLIN, now=NOW, by="calendar")


def test_every_format_honours_the_breakdown() -> None:
    report = build_report(TAGGED, [W47], tz=BERLIN, now=NOW, by="tag")
    data = json.loads(report_json(report))
    assert data["by"] == "tag"
    assert data["weeks"][0]["tags"]["hands-on"] == {"infra": 120.0, "oncall": 120.0, "(none)": 60.0}
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows == [
        ["week", "start", "end", "complete", "category", "tag", "minutes"],
        ["2026-W47", "2026-11-16", "2026-11-22", "false", "leadership", "infra", "60.0"],
        ["2026-W47", "2026-11-16", "2026-11-22", "false", "hands-on", "infra", "120.0"],
        ["2026-W47", "2026-11-16", "2026-11-22", "false", "hands-on", "oncall", "120.0"],
        ["2026-W47", "2026-11-16", "2026-11-22", "false", "hands-on", "(none)", "60.0"],
    ]
    markdown = report_markdown(report)
    assert "| &nbsp;&nbsp;oncall |  | 2.0 |  |  | | |" in markdown
    table = render_text(report_table(report), width=120)
    assert "hours, by tag" in table
    labels = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│   ")]
    assert labels == ["infra", "infra", "oncall", "(none)"]


def test_activity_labels_are_text_not_console_markup() -> None:
    # "leadtime log x 1h --as 'hands-on:[/x]'" then "report --by activity" crashed here.
    spans = [
        span("16T09:00", "16T10:00", "hands-on", activity="[/x]"),
        span("16T10:00", "16T11:00", "hands-on", activity="[bold red]loud[/]"),
    ]
    report = build_report(spans, [W47], tz=BERLIN, now=NOW, by="activity")
    text = render_text(report_table(report), width=120)  # a console with markup on
    assert "  [/x]" in text
    assert "  [bold red]loud[/]" in text
