# ruff: noqa: E501  (the golden table is 120 columns wide)
"""Rendering: the table people read, and the formats scripts and CI parse."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest

from leadtime.errors import ExitCode
from leadtime.render import (
    check_github,
    check_json,
    check_junit,
    check_text,
    escape_data,
    escape_property,
    render_text,
    report_csv,
    report_json,
    report_markdown,
    report_svg_text,
    report_table,
    split_bar,
    trend_line,
)
from leadtime.reports import Report, build_report
from leadtime.reports.check import judge
from table_cases import TWO_WEEKS

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
W46, W47 = date(2026, 11, 9), date(2026, 11, 16)


# W46: review 7 h + rfc 7 h = leadership 14 h; bugfix 6 h; lunch 1 h (other).
#      Share 14 / 20 = 70.0%: on target. Bar: 14 of 20 cells, then the mark, then 6.
# W47: a 1:1 meeting 09:30-10:30 sits inside a logged bugfix 09:00-11:00, so the log takes
#      it: hands-on 2 h, leadership 0 h from there, 1 h double-booked. Review 6 h, spike 4 h
#      (timer), 2 h unclassified meeting. L 6, H 6, U 2: 50.0%, too hands-on, in progress;
#      unclassified 2 / 14 = 14.3% > 10%: flagged.
# Total: L 20, H 12, O 1, U 2; 20 / 32 = 62.5% (13 of 20 cells); unclassified 2 / 35 = 5.7%.
SPANS = TWO_WEEKS  # tests/table_cases.py


@pytest.fixture
def report() -> Report:
    return build_report(SPANS, [W46, W47], tz=BERLIN, now=NOW)


def plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


GOLDEN = """\
                             leadtime report 2026-W46..2026-W47 (Europe/Berlin), hours
╭──────────┬────────────┬──────────┬───────┬──────────┬───────┬───────────────────────┬────────────────────────────╮
│ Week     │ Leadership │ Hands-on │ Other │ Unclass. │ Share │ Split │ 70.0%         │ Verdict                    │
├──────────┼────────────┼──────────┼───────┼──────────┼───────┼───────────────────────┼────────────────────────────┤
│ 2026-W46 │       14.0 │      6.0 │   1.0 │      0.0 │ 70.0% │ ██████████████│▒▒▒▒▒▒ │ on target                  │
│ 2026-W47 │        6.0 │      6.0 │   0.0 │      2.0 │ 50.0% │ ██████████▒▒▒▒│▒▒▒▒▒▒ │ too hands-on (in progress) │
├──────────┼────────────┼──────────┼───────┼──────────┼───────┼───────────────────────┼────────────────────────────┤
│ Total    │       20.0 │     12.0 │   1.0 │      2.0 │ 62.5% │ █████████████▒│▒▒▒▒▒▒ │ too hands-on               │
╰──────────┴────────────┴──────────┴───────┴──────────┴───────┴───────────────────────┴────────────────────────────╯
Target 70% ± 5 leadership; share = leadership / (leadership + hands-on).
Double-booked time folded: 1.0 h.
Bar: █ leadership  ▒ hands-on  │ target 70.0%  · no data
Warning: more than 10% unclassified in 2026-W47 (2 h of 14 h); run 'leadtime rules coverage'"""


def test_report_table_golden_at_120_columns(report: Report) -> None:
    text = render_text(report_table(report), width=120)
    assert "\x1b[" not in text
    assert plain(text) == GOLDEN


def test_by_activity_lists_activities_under_each_week() -> None:
    report = build_report(SPANS, [W46, W47], tz=BERLIN, now=NOW, by="activity")
    lines = plain(render_text(report_table(report), width=120)).splitlines()
    rows = [line.split("│")[1:3] for line in lines if line.startswith("│   ")]
    assert [(name.strip(), hours.strip()) for name, hours in rows] == [
        ("review", "7.0"),
        ("rfc", "7.0"),
        ("bugfix", ""),  # hands-on column, not leadership
        ("lunch", ""),
        ("review", "6.0"),
        ("spike", ""),
        ("bugfix", ""),
        ("(none)", ""),
    ]


def test_at_80_columns_every_number_stays_and_so_does_the_bar() -> None:
    report = build_report(SPANS, [W46, W47], tz=BERLIN, now=NOW)
    assert "██████████████│▒▒▒▒▒▒" in render_text(report_table(report), width=120)
    assert "███████│▒▒▒ " in render_text(report_table(report), width=110)
    narrow = render_text(report_table(report), width=80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    lines = narrow.splitlines()
    assert lines[1].split() == ["Week", "Lead.", "Hands", "Oth.", "Uncl.", "Share", "Split", "│",
                                "70.0%", "Verdict"]  # fmt: skip
    rows = [line.split() for line in lines if line.startswith(("2026-W", "Total"))]
    # W47: 50% is 5 of 10 cells, the target mark after the 7th; other and unclassified kept
    assert rows == [
        ["2026-W46", "14.0", "6.0", "1.0", "0.0", "70.0%", "███████│▒▒▒", "on", "target"],
        ["2026-W47", "6.0", "6.0", "0.0", "2.0", "50.0%", "█████▒▒│▒▒▒", "too", "hands-on",
         "(so", "far)"],
        ["Total", "20.0", "12.0", "1.0", "2.0", "62.5%", "██████▒│▒▒▒", "too", "hands-on"],
    ]  # fmt: skip
    assert "Bar: █ leadership  ▒ hands-on  │ target 70.0%  · no data" in narrow
    assert "(2 h of 14 h)" in narrow  # the warning says how much it means


def test_at_60_columns_the_bar_goes_and_the_verdict_wraps_after_its_label() -> None:
    report = build_report(SPANS, [W46, W47], tz=BERLIN, now=NOW)
    lines = render_text(report_table(report), width=60).splitlines()
    assert max(len(line) for line in lines) <= 60
    heading = next(line for line in lines if line.startswith("Week"))
    assert heading.split() == ["Week", "Lead.", "Hands", "Oth.", "Uncl.", "Share", "Verdict"]
    w47 = next(i for i, line in enumerate(lines) if line.startswith("2026-W47"))
    assert lines[w47].split() == ["2026-W47", "6.0", "6.0", "0.0", "2.0", "50.0%", "too",
                                  "hands-on"]  # fmt: skip
    assert lines[w47 + 1].strip() == "(so far)"
    assert lines[w47 + 1].index("(so far)") == lines[w47].index("too hands-on")
    assert not any(line.startswith("Bar:") for line in lines)  # no bar, no legend


@pytest.mark.parametrize("width", [50, 40])
def test_below_the_narrowest_table_other_and_unclassified_go_to_the_footer(width: int) -> None:
    report = build_report(SPANS, [W46, W47], tz=BERLIN, now=NOW)
    text = render_text(report_table(report), width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    table = lines[: lines.index(next(line for line in lines if line.startswith("Target")))]
    rows = [line.split()[:4] for line in table if line.startswith(("2026-W", "Total"))]
    assert rows == [
        ["2026-W46", "14.0", "6.0", "70.0%"],
        ["2026-W47", "6.0", "6.0", "50.0%"],
        ["Total", "20.0", "12.0", "62.5%"],
    ]
    assert "1 h other, 2 h unclassified in total" in " ".join(text.split())


def test_a_long_report_has_one_aligned_line_per_week() -> None:
    mondays = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(52)]
    report = build_report(SPANS, mondays, tz=BERLIN, now=NOW)
    lines = render_text(report_table(report), width=120).splitlines()
    weeks = [line for line in lines if line.startswith("  2026-W")]
    assert len(weeks) == 52
    assert len({len(line.rstrip()) for line in weeks[:-8]}) == 1  # the empty weeks line up
    assert weeks[44].split() == [
        "2026-W46",
        "14.0",
        "6.0",
        "1.0",
        "0.0",
        "70.0%",
        "███████│▒▒▒",
        "on",
        "target",
    ]
    assert weeks[0].split()[1:6] == ["0.0", "0.0", "0.0", "0.0", "-"]


def test_eight_weeks_or_more_get_a_trend_line() -> None:
    mondays = [date(2026, 9, 28) + timedelta(weeks=i) for i in range(8)]
    # Only W46 and W47 have data: six weeks of "no data" dots, then 70% (level 6 of 8: 62.5-75%)
    # and 50% (level 5: 50-62.5%).
    report = build_report(SPANS, mondays, tz=BERLIN, now=NOW)
    assert [r.week for r in report.weeks][-2:] == ["2026-W46", "2026-W47"]
    assert trend_line(report) == "······▆▅"
    text = render_text(report_table(report), width=120)
    assert "Trend ······▆▅  share per week, oldest first; target 70.0% is ▆" in text


def test_split_bar_cells() -> None:
    assert split_bar(0.7, 0.7).plain == "█" * 14 + "│" + "▒" * 6
    assert split_bar(0.9, 0.7).plain == "█" * 14 + "│" + "█" * 4 + "▒" * 2
    assert split_bar(0.0, 0.7, 10).plain == "▒" * 7 + "│" + "▒" * 3
    assert split_bar(1.0, 1.0, 10).plain == "█" * 10 + "│"
    assert split_bar(None, 0.7, 10).plain == "·" * 7 + "│" + "·" * 3


def test_json_output_parses_to_the_spec_shape(report: Report) -> None:
    data = json.loads(report_json(report))
    assert list(data) == ["timezone", "target", "tolerance", "by", "weeks"]
    week = data["weeks"][1]
    assert week["week"] == "2026-W47"
    assert week["minutes"] == {
        "leadership": 360.0,
        "hands-on": 360.0,
        "other": 0.0,
        "unclassified": 120.0,
    }
    assert week["leadership_share"] == 0.5
    assert week["double_booked_minutes"] == 60.0
    assert week["verdict"] == "too-hands-on"
    assert week["complete"] is False
    assert week["activities"] == {
        "leadership": {"review": 360.0},
        "hands-on": {"spike": 240.0, "bugfix": 120.0},
        "unclassified": {"(none)": 120.0},
    }


def test_csv_has_one_row_per_week(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows[0] == [
        "week", "start", "end", "complete", "leadership_minutes", "hands_on_minutes",
        "other_minutes", "unclassified_minutes", "leadership_share", "double_booked_minutes",
        "verdict", "planned_leadership_minutes", "planned_hands_on_minutes",
        "planned_other_minutes", "planned_unclassified_minutes", "working_minutes",
        "accounted_minutes", "unaccounted_minutes",
    ]  # fmt: skip
    assert rows[1] == [
        "2026-W46", "2026-11-09", "2026-11-15", "true", "840.0", "360.0", "60.0", "0.0",
        "0.7", "0.0", "on-target", "0.0", "0.0", "0.0", "0.0", "", "", "",
    ]  # fmt: skip
    assert rows[2][3] == "false"
    assert rows[2][8:11] == ["0.5", "60.0", "too-hands-on"]
    empty = build_report([], [W46], tz=BERLIN, now=NOW)
    assert list(csv.reader(io.StringIO(report_csv(empty))))[1][8] == ""


def test_markdown_table(report: Report) -> None:
    text = report_markdown(report)
    assert "| 2026-W46 | 14.0 | 6.0 | 1.0 | 0.0 | 70.0% | on target |" in text
    assert "| 2026-W47 | 6.0 | 6.0 | 0.0 | 2.0 | 50.0% | too hands-on (in progress) |" in text
    assert "| **Total** | 20.0 | 12.0 | 1.0 | 2.0 | 62.5% | too hands-on |" in text
    assert "Double-booked time folded: 1.0 h." in text
    assert "run 'leadtime rules coverage'" in text


def test_svg_is_a_picture_of_the_table(report: Report) -> None:
    text = report_svg_text(report)
    assert text.startswith("<svg")
    assert "2026-W47" in text


# --------------------------------------------------------------------------- check


def test_check_text_one_line_per_week_and_a_summary(report: Report) -> None:
    lines = check_text(judge(report)).splitlines()
    assert lines == [
        "pass  2026-W46  leadership 70.0% is within 65.0%\N{EN DASH}75.0%  [20.0 h classified]",
        "FAIL  2026-W47  leadership 50.0% is below 65.0% (too hands-on)  [12.0 h classified]",
        "off target: 1 of 2 weeks \N{EM DASH} 2026-W47 leadership 50.0% is below 65.0% "
        "(too hands-on) (target 70% ± 5)",
    ]


def test_check_json_adds_passed(report: Report) -> None:
    data = json.loads(check_json(judge(report)))
    assert data["passed"] is False
    assert data["exit_code"] == 1
    assert [w["passed"] for w in data["weeks"]] == [True, False]
    assert data["weeks"][0]["verdict"] == "on-target"
    assert data["weeks"][0]["leadership_share"] == 0.7
    assert {"week", "minutes", "activities", "reason"} <= set(data["weeks"][1])


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_check_github_lines_and_summary(report: Report) -> None:
    lines, summary = check_github(judge(report))
    assert lines.splitlines() == [
        "::notice title=leadtime check 2026-W46::leadership 70.0%25 is within 65.0%25"
        "\N{EN DASH}75.0%25",
        "::error title=leadtime check 2026-W47::leadership 50.0%25 is below 65.0%25 (too hands-on)",
        "::error title=leadtime check::off target: 1 of 2 weeks \N{EM DASH} 2026-W47 leadership "
        "50.0%25 is below 65.0%25 (too hands-on) (target 70%25 ± 5)",
    ]
    assert summary.startswith("### leadtime check: off target\n")
    assert "| 2026-W47 | 50.0% | too hands-on | 12.0 | FAIL: " in summary


def test_junit_parses_back(report: Report) -> None:
    thin = build_report(SPANS[:1], [date(2026, 11, 2)], tz=BERLIN, now=NOW).weeks
    combined = Report(BERLIN, 0.7, 0.05, 4, (*thin, *report.weeks))
    result = judge(combined)
    assert result.exit_code is ExitCode.BREACH
    root = ET.fromstring(check_junit(result))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["2026-W45", "2026-W46", "2026-W47"]
    skipped = cases["2026-W45"].find("skipped")
    assert skipped is not None and skipped.get("message") == "no leadership or hands-on time"
    assert cases["2026-W46"].find("failure") is None
    failure = cases["2026-W47"].find("failure")
    assert failure is not None
    assert failure.get("message") == "leadership 50.0% is below 65.0% (too hands-on)"
    assert failure.get("type") == "too-hands-on"
