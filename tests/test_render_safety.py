"""Text from users and calendars is data: no terminal control, no formulas, no markup."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from leadtime.render import (
    console,
    csv_cell,
    csv_writer,
    md,
    render_text,
    report_csv,
    report_markdown,
    report_svg_text,
    report_table,
    safe,
)
from leadtime.reports import Report, Span, build_report

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")
W47 = date(2026, 11, 16)


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"),  # OSC 8 link
        ("\x1b]0;window title\x07x", "x"),  # OSC ended by BEL
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("\x9b31mc1 csi", "c1 csi"),
        ("bell\x07 del\x7f nel\x85 nul\x00", "bell del nel nul"),
        ("abc\u202edcba\u202c", "abcdcba"),  # right-to-left override
        ("\u2066isolated\u2069", "isolated"),
        ("tab\there\nnext line", "tab\there\nnext line"),
        ("Grüße, 会議 ✓", "Grüße, 会議 ✓"),
    ],
)
def test_safe_strips_what_a_terminal_would_act_on(text: str, cleaned: str) -> None:
    assert safe(text) == cleaned


def test_the_console_reads_no_markup() -> None:
    out = console()
    assert out.stderr is False
    assert console(stderr=True).stderr is True
    assert out.soft_wrap is True
    with out.capture() as captured:
        out.print("[/x] [bold]b[/bold]")
    assert captured.get() == "[/x] [bold]b[/bold]\n"


def report_with(activity: str, tags: str = "", by: str = "activity") -> Report:
    start = int(datetime.fromisoformat("2026-11-16T09:00+01:00").timestamp())
    spans = [Span(start, start + 3600, "ics", "leadership", activity, tags)]
    return build_report(spans, [W47], tz=BERLIN, now=NOW, by=by)


def test_a_calendar_title_cannot_reach_the_terminal_as_control() -> None:
    report = report_with("\x1b]8;;https://evil.example\x1b\\review\x1b]8;;\x1b\\\x1b[2J")
    text = render_text(report_table(report), width=120)
    assert "\x1b" not in text
    assert "  review" in text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "x"),  # a carriage return is a control character: removed
        ("\x1b]0;title\x07=1+1", "'=1+1"),  # cleaned first, then judged
        ("review", "review"),
        ("-1.5", "-1.5"),  # a number written as text is still a number
        (-90.0, -90.0),
        (0, 0),
    ],
)
def test_csv_cells_that_start_like_a_formula_are_neutralised(
    value: object, written: object
) -> None:
    assert csv_cell(value) == written


def test_the_csv_writer_neutralises_every_cell() -> None:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["=1+1", -3, "ok"])
    writer.writerows([["@x", "-"]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["'=1+1", "-3", "ok"],
        ["'@x", "'-"],
    ]


def test_report_csv_neutralises_tags_and_activities() -> None:
    report = report_with("review", tags="=cmd|' /C calc'!A0", by="tag")
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows[1][5] == "'=cmd|' /C calc'!A0"
    activity = list(csv.reader(io.StringIO(report_csv(report_with("+SUM(1)")))))
    assert activity[1][5] == "'+SUM(1)"


def test_markdown_escapes_what_markdown_and_html_would_act_on() -> None:
    assert md("a|b") == "a\\|b"
    assert md("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert\\(1\\)\\>"
    assert md("**bold** [link](http://x)") == "\\*\\*bold\\*\\* \\[link\\]\\(http://x\\)"
    assert md("two\nlines\x1b[31m") == "two lines"
    text = report_markdown(report_with("1:1 | <b>boss</b>"))
    assert "| &nbsp;&nbsp;1:1 \\| \\<b\\>boss\\</b\\> | 1.0 |" in text


def test_the_svg_carries_the_legend_and_no_control() -> None:
    text = report_svg_text(report_with("review\x1b[31m"))
    assert "\x1b" not in text
    assert "leadership" in text and "hands-on" in text and "target&#160;70.0%" in text
