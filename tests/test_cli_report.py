# ruff: noqa: E501  (the golden table is wider than the code)
"""``leadtime report`` and ``leadtime check`` end to end, with hand-computed weeks."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import Home, Run

# 2026-W46 runs Mon 2026-11-09 .. Sun 2026-11-15 (Berlin, UTC+1). now = Fri 2026-11-20 18:00.
MEETING = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
BEGIN:VEVENT
UID:arch@example.com
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261111T100000
DTEND;TZID=Europe/Berlin:20261111T110000
SUMMARY:Architecture sync
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def week46(cli: Run, tmp_path: Path) -> None:
    """Leadership 210 min, hands-on 120, other 60, 30 min double-booked (worked out below)."""
    logs = [
        ("Code review of the billing PR", "3h", "2026-11-09 09:00"),  # leadership 180
        ("Bug fix in the parser", "1h30", "2026-11-10 13:00"),  # hands-on 90
        ("Prototype spike", "30m", "2026-11-11 10:30"),  # hands-on 30, inside the meeting
        ("Lunch with the team", "1h", "2026-11-12 12:00"),  # other 60
    ]
    for title, duration, at in logs:
        assert cli("log", title, duration, "--at", at).exit_code == 0
    calendar = tmp_path / "work.ics"
    calendar.write_text(MEETING.replace("\n", "\r\n"))
    assert cli("import", str(calendar)).exit_code == 0  # 10:00-11:00; the log takes 10:30-11:00


def week_record(cli: Run, *args: str) -> dict:
    result = cli("report", "--week", "2026-W46", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    (week,) = json.loads(result.stdout)["weeks"]
    return week


def test_report_json_matches_the_hand_computed_week(cli: Run, week46: None) -> None:
    result = json.loads(cli("report", "--week", "2026-W46", "--format", "json").stdout)
    assert (result["timezone"], result["target"], result["tolerance"]) == (
        "Europe/Berlin",
        0.7,
        0.05,
    )
    (week,) = result["weeks"]
    assert week["week"] == "2026-W46"
    assert (week["start"], week["end"], week["complete"]) == ("2026-11-09", "2026-11-15", True)
    assert week["minutes"] == {
        "leadership": 210.0,
        "hands-on": 120.0,
        "other": 60.0,
        "unclassified": 0.0,
    }
    assert week["leadership_share"] == 0.6364  # 210 / 330
    assert week["double_booked_minutes"] == 30.0
    assert week["verdict"] == "too-hands-on"
    assert week["activities"]["hands-on"] == {"bugfix": 90.0, "spike": 30.0}


def test_report_filters_by_source_and_calendar(cli: Run, week46: None) -> None:
    only_ics = week_record(cli, "--source", "ics")
    assert only_ics["minutes"]["leadership"] == 60.0  # alone, the meeting keeps its hour
    assert week_record(cli, "--calendar", "work")["minutes"]["hands-on"] == 0.0


def test_report_in_another_zone_moves_the_week_boundary(cli: Run) -> None:
    # Sunday 23:30 Berlin is Sunday 17:30 in New York: the same week either way, but the
    # Monday 00:30 Berlin entry belongs to the previous week in New York.
    cli("log", "Code review", "1h", "--at", "2026-11-16 00:30")
    berlin = week_record(cli)
    assert berlin["minutes"]["leadership"] == 0.0
    ny = week_record(cli, "--tz", "America/New_York")
    assert ny["minutes"]["leadership"] == 60.0


def test_report_default_period_and_formats(cli: Run, week46: None) -> None:
    weeks = json.loads(cli("report", "--format", "json").stdout)["weeks"]
    assert [w["week"] for w in weeks] == [
        "2026-W43",
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
    ]
    assert [w["complete"] for w in weeks] == [True, True, True, True, False]
    csv_lines = cli("report", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("week,start,end,complete,leadership_minutes,hands_on_minutes")
    assert len(csv_lines) == 6
    markdown = cli("report", "--format", "markdown").stdout
    assert "| 2026-W46 |" in markdown
    assert "\x1b[" not in cli("report").stdout  # not a terminal: no colour codes


def test_report_svg(cli: Run, week46: None, tmp_path: Path) -> None:
    target = tmp_path / "week.svg"
    assert cli("report", "--svg", str(target)).exit_code == 0
    root = ET.fromstring(target.read_text())
    assert root.tag.endswith("svg")
    assert "2026-W46" in target.read_text()


# Checked by hand: 210/120/60 minutes, share 210/330 = 63.6%, 13 of 20 cells leadership,
# the target mark after cell 14 (70%), the meeting's unshared half-hour under rfc; the union
# of the week's entries, 6.5 h, all lies inside the default working hours (Mon-Fri 9-17).
GOLDEN = """\
                     leadtime report 2026-W46 (Europe/Berlin), hours, by activity
╭──────────┬────────────┬──────────┬───────┬──────────┬───────┬───────────────────────┬───────────────╮
│ Week     │ Leadership │ Hands-on │ Other │ Unclass. │ Share │ Split │ 70.0%         │ Verdict       │
├──────────┼────────────┼──────────┼───────┼──────────┼───────┼───────────────────────┼───────────────┤
│ 2026-W46 │        3.5 │      2.0 │   1.0 │      0.0 │ 63.6% │ █████████████▒│▒▒▒▒▒▒ │ too hands-on  │
│   review │        3.0 │          │       │          │       │                       │               │
│   rfc    │        0.5 │          │       │          │       │                       │               │
│   bugfix │            │      1.5 │       │          │       │                       │               │
│   spike  │            │      0.5 │       │          │       │                       │               │
│   break  │            │          │   1.0 │          │       │                       │               │
├──────────┼────────────┼──────────┼───────┼──────────┼───────┼───────────────────────┼───────────────┤
│ Total    │        3.5 │      2.0 │   1.0 │      0.0 │ 63.6% │ █████████████▒│▒▒▒▒▒▒ │ too hands-on  │
╰──────────┴────────────┴──────────┴───────┴──────────┴───────┴───────────────────────┴───────────────╯
Target 70% ± 5 leadership; share = leadership / (leadership + hands-on).
Double-booked time folded: 0.5 h.
Bar: █ leadership  ▒ hands-on  │ target 70.0%  · no data
The numbers explain 6.5 h of your 40 h working week.
"""


def test_report_table_golden(cli: Run, week46: None) -> None:
    out = cli("report", "--week", "2026-W46", "--by", "activity").stdout
    assert [line.rstrip() for line in out.splitlines()] == GOLDEN.splitlines()


def test_empty_period_renders_without_errors(cli: Run) -> None:
    result = cli("report")
    assert result.exit_code == 0
    assert "not enough data" in result.stdout
    weeks = json.loads(cli("report", "--format", "json").stdout)["weeks"]
    assert all(w["leadership_share"] is None for w in weeks)


def test_large_unclassified_share_is_flagged(cli: Run) -> None:
    cli("log", "Zxqv plorbu", "3h", "--at", "mon 9:00")
    cli("log", "Code review", "2h", "--at", "tue 9:00")
    assert "rules coverage" in cli("report").stdout


# --------------------------------------------------------------------------- check


def log_split(cli: Run, leadership: int, hands_on: int) -> None:
    """Leadership and hands-on minutes in 2026-W46, as 10-hour days (Mon, Tue, Wed ...)."""
    day = 9
    for title, minutes in (("Code review", leadership), ("Bug fix", hands_on)):
        while minutes > 0:
            chunk = min(minutes, 600)
            at = f"2026-11-{day:02d} 08:00"
            assert cli("log", title, f"{chunk}m", "--at", at, "--yes").exit_code == 0
            minutes -= chunk
            day += 1


@pytest.mark.parametrize(
    ("leadership", "hands_on", "shown", "code"),
    [
        (1299, 701, "65.0%", 0),  # 64.95% is shown as 65.0%: it passes
        (1298, 702, "64.9%", 1),  # just outside, too hands-on
        (1500, 500, "75.0%", 0),  # the upper edge passes
        (1502, 498, "75.1%", 1),  # just outside, too hands-off
    ],
)
def test_check_compares_at_the_displayed_precision(
    cli: Run, leadership: int, hands_on: int, shown: str, code: int
) -> None:
    log_split(cli, leadership, hands_on)
    result = cli("check", "--week", "2026-W46")
    assert result.exit_code == code, result.stdout
    assert shown in result.stdout


def test_check_defaults_to_the_last_complete_week(cli: Run, week46: None) -> None:
    result = cli("check")
    assert result.exit_code == 1
    assert "2026-W46" in result.stdout and "63.6%" in result.stdout
    assert cli("check", "--target", "65").exit_code == 0
    assert cli("check", "--tolerance", "7").exit_code == 0
    assert cli("check", "--min-hours", "6").exit_code == 5


def test_check_several_weeks_and_average(cli: Run) -> None:
    log_split(cli, 300, 100)  # W46: 75.0%
    cli("log", "Code review", "5h", "--at", "2026-11-02 08:00")  # W45: 100% leadership
    assert cli("check", "--weeks", "2").exit_code == 1
    average = cli("check", "--weeks", "2", "--average", "--format", "json")
    assert average.exit_code == 0 or average.exit_code == 1
    payload = json.loads(average.stdout)
    assert payload["passed"] is (average.exit_code == 0)
    assert cli("check", "--average").exit_code == 2


def test_check_max_unclassified(cli: Run) -> None:
    log_split(cli, 280, 120)  # 70%
    cli("log", "Vendor thing", "2h", "--at", "2026-11-14 10:00")
    assert cli("check").exit_code == 0
    result = cli("check", "--max-unclassified", "10")
    assert result.exit_code == 1 and "unclassified" in result.stdout


def test_check_json_has_week_records_and_passed(cli: Run, week46: None) -> None:
    result = cli("check", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["passed"] is False
    (week,) = payload["weeks"]
    assert week["week"] == "2026-W46" and week["passed"] is False
    assert week["minutes"]["leadership"] == 210.0 and week["verdict"] == "too-hands-on"


def test_check_github_lines_and_step_summary(cli: Run, week46: None, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    result = cli("check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error title=leadtime check 2026-W46::")
    assert "63.6%25" in first  # '%' is escaped in workflow commands
    text = summary.read_text()
    assert text.startswith("# earlier step\n") and "| 2026-W46 |" in text


def test_check_junit_xml(cli: Run, week46: None, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    assert cli("check", "--weeks", "2", "--junit", str(report)).exit_code == 1
    root = ET.parse(report).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "1", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["2026-W46"].find("failure") is not None
    assert "63.6%" in cases["2026-W46"].find("failure").get("message")
    assert cases["2026-W45"].find("skipped") is not None


# --------------------------------------------------------------------------- real exit codes


def run(home: Home, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(**env), timeout=60,
    )  # fmt: skip


def test_check_exit_codes_in_a_real_process(home: Home, cli: Run) -> None:
    assert run(home, "check").returncode == 5  # an empty week: not enough data
    log_split(cli, 280, 120)
    assert run(home, "check").returncode == 0
    assert run(home, "check", "--target", "50").returncode == 1
    assert run(home, "check", "--target", "500").returncode == 2
    home.rules.write_text("[[rule]]\nname = 1\n")
    assert run(home, "check").returncode == 3
    home.rules.unlink()
    assert run(home, "--db", f"sqlite:///{home.path}", "check").returncode == 4  # a directory
    crash = subprocess.run(
        [sys.executable, "-c",
         "import leadtime.reports.check as c\n"
         "def boom(*a, **k): raise ZeroDivisionError('float division by zero')\n"
         "c.judge = boom\nimport leadtime.reports as r\nr.judge = boom\n"
         "from leadtime.cli import main\nraise SystemExit(main())", "check"],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    assert crash.returncode == 70 and crash.stderr.startswith("error: internal error")


def test_check_github_in_a_real_process_appends_summary(
    home: Home, cli: Run, tmp_path: Path
) -> None:
    log_split(cli, 280, 120)
    summary = tmp_path / "summary.md"
    done = run(home, "check", "--format", "github", GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 0
    assert done.stdout.startswith("::notice title=leadtime check 2026-W46::")
    assert "| 2026-W46 |" in summary.read_text()


@pytest.mark.parametrize("width", ["60", "70", "80"])
def test_narrow_terminals_keep_the_share_and_the_verdict(
    cli: Run, week46: None, width: str
) -> None:
    out = cli("report", "--week", "2026-W46", env={"COLUMNS": width}).stdout
    row = next(line for line in out.splitlines() if "2026-W46" in line and "%" in line)
    assert "63.6%" in row and "too hands-on" in row
    assert max(len(line) for line in out.splitlines()) <= int(width)


def test_the_total_is_judged_the_same_however_many_empty_weeks_the_period_spans(
    cli: Run, week46: None
) -> None:
    # Only 2026-W46 holds classified time (3.5 h leadership, 2 h hands-on: 63.6%). Now is
    # Friday of W47, so --weeks 1 adds the current week, still empty, and --from/--to two
    # empty weeks more: none of them raises the 4 h the total needs.
    for period in (
        ("--week", "2026-W46"),
        ("--weeks", "1"),
        ("--from", "2026-11-02", "--to", "2026-11-22"),
    ):
        table = cli("report", *period).stdout
        total = next(line for line in table.splitlines() if "Total" in line)
        assert total.rstrip(" │").endswith("too hands-on"), (period, total)
        markdown = cli("report", *period, "--format", "markdown").stdout
        assert "| **Total** |" in markdown and "| too hands-on |" in markdown.split("**Total**")[1]


def test_timer_entries_tagged_in_any_case_are_one_tag_of_the_report(cli: Run) -> None:
    # Three timers on Wednesday of W47, the tag typed three ways, and a timer with two tags.
    # The rules read tags in any case; so does the report: one "Review" row, 2.5 h.
    def at(clock: str) -> dict[str, str]:
        return {"LEADTIME_NOW": f"2026-11-18T{clock}:00+01:00"}

    timers = [("09:00", "10:00", "Review"), ("10:00", "11:00", "review"),
              ("11:00", "11:30", "REVIEW")]  # fmt: skip
    for start, stop, tag in timers:
        assert cli("start", "Code review", "-t", tag, env=at(start)).exit_code == 0
        assert cli("stop", env=at(stop)).exit_code == 0
    data = json.loads(cli("report", "--week", "2026-W47", "--by", "tag", "--format", "json").stdout)
    (week,) = data["weeks"]
    assert week["tags"] == {"leadership": {"Review": 150.0}}
    table = cli("report", "--week", "2026-W47", "--by", "tag").stdout
    rows = [line for line in table.splitlines() if "review" in line.casefold()]
    assert len(rows) == 1 and rows[0].replace("│", " ").split()[:2] == ["Review", "2.5"]
    assert "several tags" not in table  # no entry carries two
    # one timer, two tags, the same tag twice in another case: stored once
    assert cli("start", "Sprint planning", "-t", "team", "-t", "Q4", "-t", "q4",
               env=at("13:00")).exit_code == 0  # fmt: skip
    assert cli("stop", env=at("14:00")).exit_code == 0
    listed = json.loads(cli("ls", "--week", "2026-W47", "--format", "json").stdout)
    assert [entry["tags"] for entry in listed][-1] == ["team", "Q4"]
    table = cli("report", "--week", "2026-W47", "--by", "tag").stdout
    assert "An entry with several tags counts in full under each of them" in " ".join(table.split())
    markdown = cli("report", "--week", "2026-W47", "--by", "tag", "--format", "markdown").stdout
    assert "An entry with several tags counts in full under each of them" in markdown
