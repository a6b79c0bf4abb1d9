"""The pictures: HTML report, plan and day, ``report --chart``, and the offline ``--svg``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, Home, Run
from leadtime.render.words import headline
from leadtime.reports.numbers import Verdict
from leadtime.reports.records import Report, WeekRecord

EXAMPLE = REPO / "examples" / "tech-lead.ics"
HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def example(cli: Run) -> None:
    """The bundled example as examples/demo.sh sets it up (the clock is the same)."""
    assert cli("config", "set", "me", "dana@example.com").exit_code == 0
    assert cli("import", str(EXAMPLE)).exit_code == 0
    assert cli("log", "Reviewed the auth RFC", "45m", "--at", "fri 16:30").exit_code == 0


def hostile_calendar(tmp_path: Path) -> Path:
    """A calendar whose events are named like markup: one last Wednesday, one next Tuesday."""
    events = []
    for uid, start in (("past", "20261118T100000"), ("ahead", "20261124T100000")):
        events += [
            "BEGIN:VEVENT", f"UID:{uid}@example.com", "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{start}", f"DTEND;TZID=Europe/Berlin:{start[:9]}120000",
            f"SUMMARY:{HOSTILE} 1:1", "END:VEVENT",
        ]  # fmt: skip
    path = tmp_path / "hostile.ics"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *events, "END:VCALENDAR"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


class Page(HTMLParser):
    """The elements of a page, with their attributes, and its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def write(cli: Run, tmp_path: Path, *args: str) -> str:
    target = tmp_path / f"{args[0]}.html"
    result = cli(*args, "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return target.read_text(encoding="utf-8")


def assert_self_contained(text: str) -> None:
    """No script, no external style, font or image; every chart labelled; a print style."""
    page = Page(text)
    assert not page.tags("script") and not page.tags("link") and not page.tags("img")
    assert not page.tags("iframe") and not page.tags("object")
    for _, attrs in page.elements:
        assert "src" not in attrs and "href" not in attrs, attrs
        assert not any(name.startswith("on") for name in attrs), attrs
    assert "@font-face" not in text and "@import" not in text
    assert re.findall(r"url\((?!#)", text) == []  # only references inside an SVG
    assert set(re.findall(r"https?://[^\s\"'<>)]+", text)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    policy = [m for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy and "default-src 'none'" in (policy[0]["content"] or "")
    assert "script-src" not in (policy[0]["content"] or "")
    assert "@media print" in text
    charts = page.tags("svg")
    assert charts
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("aria-label")
    assert text.count("<title>") == len(charts) + 1  # one per chart, and the page's
    assert page.tags("table")


# --------------------------------------------------------------------------- report


def test_the_html_report_of_the_example_is_one_self_contained_page(
    cli: Run, example: None, tmp_path: Path
) -> None:
    text = write(cli, tmp_path, "report", "--weeks", "8")
    assert_self_contained(text)
    page = Page(text)
    ids = {attrs.get("id") for _, attrs in page.elements}
    assert {"share-chart", "hours-chart", "breakdown-chart", "coverage", "heaviest"} <= ids
    # Worked out from the demo's report: W41 68.9, W42 68.8, W43 36.5 (too hands-on),
    # W44 71.7, W45 96.1 (too hands-off), W46 67.8; W47 is in progress.
    assert "4 of 6 weeks on target; 2026-W47 so far 68.6%." in text
    assert "Interview loop: backend candidates" not in text  # a series ahead, not done
    assert "Code review block" in text and "Team standup" in text


def test_the_html_report_shares_equal_the_json(cli: Run, example: None, tmp_path: Path) -> None:
    text = write(cli, tmp_path, "report", "--weeks", "8")
    rows = [a for a in Page(text).tags("tr") if a.get("data-week")]
    result = cli("report", "--weeks", "8", "--format", "json")
    weeks = json.loads(result.stdout)["weeks"]
    assert [(r["data-week"], r["data-share"], r["data-verdict"]) for r in rows] == [
        (w["week"], "" if w["leadership_share"] is None else repr(w["leadership_share"]),
         w["verdict"])
        for w in weeks
    ]  # fmt: skip
    assert len(rows) == 9


def test_private_leaves_titles_out(cli: Run, example: None, tmp_path: Path) -> None:
    text = write(cli, tmp_path, "report", "--weeks", "8", "--private")
    assert_self_contained(text)
    for title in ("Code review block", "Team standup", "Reviewed the auth RFC", "Focus: coding"):
        assert title not in text
    assert "review" in text and "standup" in text  # activities stay
    assert "private: no titles" in text


def test_private_refuses_a_breakdown_by_tag_and_other_formats(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = cli("report", "--format", "html", "--private", "--by", "tag", "-o", str(target))
    assert result.exit_code == 2 and "--private" in result.stderr
    assert cli("report", "--private").exit_code == 2
    assert not target.exists()


def test_the_html_report_goes_to_stdout_without_o(cli: Run, example: None) -> None:
    result = cli("report", "--week", "2026-W46", "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_an_existing_file_is_replaced_only_with_force(
    cli: Run, example: None, tmp_path: Path
) -> None:
    target = tmp_path / "r.html"
    target.write_text("mine")
    result = cli("report", "--format", "html", "-o", str(target))
    assert result.exit_code == 4 and "--force" in result.stderr
    assert target.read_text() == "mine"
    assert cli("report", "--format", "html", "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("<!DOCTYPE html>")


def test_o_writes_the_other_formats_too(cli: Run, example: None, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert cli("report", "--format", "json", "-o", str(target)).exit_code == 0
    printed = cli("report", "--format", "json").stdout
    assert json.loads(target.read_text()) == json.loads(printed)
    assert cli("report", "-o", str(tmp_path / "t.txt")).exit_code == 2


def test_a_missing_plotting_library_is_a_clear_error(
    cli: Run, example: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # as if not installed
    target = tmp_path / "r.html"
    result = cli("report", "--format", "html", "-o", str(target))
    assert result.exit_code == 3
    assert "vl-convert-python" in result.stderr and "leadtime[pictures]" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("command", [("report", "--weeks", "2"), ("plan",), ("day", "wed")])
def test_hostile_titles_are_text_in_every_page(
    cli: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    assert cli("import", str(hostile_calendar(tmp_path))).exit_code == 0
    assert cli("log", f"{HOSTILE} spike", "30m", "--at", "wed 14:00").exit_code == 0
    text = write(cli, tmp_path, *command)
    assert_self_contained(text)
    assert HOSTILE not in text and "<img" not in text
    assert ESCAPED in text
    assert HOSTILE in "".join(Page(text).text)


def test_headline_names_the_streak_and_what_weighed_most() -> None:
    def week(number: int, verdict: Verdict, share: float, hiring: float) -> WeekRecord:
        monday = date(2026, 9, 28) + timedelta(weeks=number - 40)
        return WeekRecord(
            week=f"2026-W{number}", start=monday, end=monday + timedelta(days=6),
            complete=True, minutes={"leadership": 1200.0, "hands-on": 500.0, "other": 0.0,
                                    "unclassified": 0.0},
            leadership_share=share, double_booked_minutes=0.0, verdict=verdict,
            activities={"leadership": {"hiring": hiring, "review": 240.0}},
        )  # fmt: skip

    on = [week(40 + i, Verdict.ON_TARGET, 0.7, 60.0) for i in range(6)]
    off = [week(46, Verdict.TOO_HANDS_OFF, 0.8, 300.0), week(47, Verdict.TOO_HANDS_OFF, 0.82, 240)]
    report = Report("Europe/Berlin", 0.7, 0.05, 4.0, (*on, *off))
    assert headline(report) == "6 of 8 weeks on target; the last two too hands-off: 9 h of hiring"
    hands_on = Report("Europe/Berlin", 0.7, 0.05, 4.0, (week(40, Verdict.TOO_HANDS_ON, 0.5, 0),))
    assert headline(hands_on) == "0 of 1 week on target; it was too hands-on"


# --------------------------------------------------------------------------- plan and day


def test_the_html_plan_shows_the_weeks_ahead_and_what_tips_them(
    cli: Run, example: None, tmp_path: Path
) -> None:
    text = write(cli, tmp_path, "plan")
    assert_self_contained(text)
    assert 'id="plan-chart"' in text and 'id="tips"' in text
    # As `leadtime plan` prints it for the example (README tour).
    assert "next week lands on 70% only if 10 h of your 13 h free time is hands-on" in text
    assert "Interview loop: backend candidates" in text
    rows = [a for a in Page(text).tags("tr") if a.get("data-week")]
    plan = json.loads(cli("plan", "--format", "json").stdout)
    assert [(r["data-week"], r["data-share"]) for r in rows] == [
        (w["week"], repr(w["planned_share"])) for w in plan["weeks"]
    ]


def test_the_html_day_is_a_timeline_with_gaps(cli: Run, example: None, tmp_path: Path) -> None:
    text = write(cli, tmp_path, "day")
    assert_self_contained(text)
    assert 'id="day-chart"' in text
    # The example's Friday (as `leadtime day` prints it): 3h45m counted, 4h30m gaps.
    assert "counted 3h45m, 100.0% leadership, 4h30m of 8h working hours without an entry" in text
    assert "12:00-15:00" in text and "Reviewed the auth RFC" in text


# --------------------------------------------------------------------------- terminal chart


def chart_lines(proc: Run, *args: str, **env: str) -> list[str]:
    result = proc("report", "--chart", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_the_chart_fits_the_width_and_is_plain_when_piped(
    proc: Run, home: Home, columns: str
) -> None:
    assert proc("import", str(EXAMPLE)).exit_code == 0
    lines = chart_lines(proc, "--weeks", "30", COLUMNS=columns)
    assert all(len(line) <= int(columns) for line in lines), lines
    assert not any("\x1b" in line for line in lines)
    assert "░" in "".join(lines) and "█" in "".join(lines)


def test_the_chart_columns_rise_to_each_weeks_share(cli: Run, example: None) -> None:
    result = cli("report", "--weeks", "8", "--chart", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line[5:6] in ("┤", "│") and line[:5].strip("% 0123456789")
            == ""]  # fmt: skip
    assert len(rows) == 10  # 100% at the top, 10 points a row
    # Columns from the 7th cell: W39, W40 (no data), W41 68.9%, ..., W45 96.1%, W47 68.6%.
    w43, w45 = 6 + 2 * 4, 6 + 2 * 6
    heights = {col: sum(row[col] not in " ░" for row in rows) for col in (w43, w45)}
    assert heights == {w43: 4, w45: 10}  # 36.5%: four rows (the 4th 5/8 full); 96.1%: all
    assert rows[0][w45] == "▅"  # 6.1 points of the top row: 4.9 eighths, drawn as 5/8
    assert "the last" not in result.stdout  # nine weeks fit in 80 columns


@pytest.mark.slow
def test_the_chart_falls_back_to_ascii(proc: Run, home: Home) -> None:
    assert proc("import", str(EXAMPLE)).exit_code == 0
    lines = chart_lines(proc, "--weeks", "8", COLUMNS="60", PYTHONIOENCODING="ascii")
    assert all(line.isascii() for line in lines)
    assert "#" in "".join(lines) and ":" in "".join(lines)


def test_the_chart_keeps_the_latest_weeks_when_they_do_not_fit(cli: Run, example: None) -> None:
    result = cli("report", "--weeks", "60", "--chart", env={"COLUMNS": "40"})
    assert "the last 34 of 61 weeks" in result.stdout
    lines = result.stdout.splitlines()
    base = next(i for i, line in enumerate(lines) if line.startswith("   0%└"))
    assert len(lines[base]) == 6 + 34 and lines[base + 1].rstrip().endswith("2026-W47")


def test_the_chart_refuses_other_formats(cli: Run) -> None:
    assert cli("report", "--chart", "--format", "json").exit_code == 2


# --------------------------------------------------------------------------- SVG, size, imports


def test_the_svg_loads_no_font_from_the_network(cli: Run, example: None, tmp_path: Path) -> None:
    target = tmp_path / "r.svg"
    assert cli("report", "--svg", str(target)).exit_code == 0
    text = target.read_text()
    assert "@font-face" not in text and "cdnjs" not in text
    assert re.findall(r"url\((?!#)", text) == []
    assert "2026-W47" in text


def ten_years(tmp_path: Path) -> Path:
    """Two weekly series over 520 weeks up to the example's week: 6 h leadership and 3 h
    hands-on each Monday and Tuesday."""
    first = date(2016, 12, 5)  # 520 weeks before 2026-11-16
    events = []
    for uid, day, title in (("lead", 0, "Architecture review"), ("code", 1, "Focus: coding")):
        start = (first + timedelta(days=day)).strftime("%Y%m%d")
        hours = ("090000", "150000") if uid == "lead" else ("090000", "120000")
        events += [
            "BEGIN:VEVENT", f"UID:{uid}@example.com", "DTSTAMP:20161101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{start}T{hours[0]}",
            f"DTEND;TZID=Europe/Berlin:{start}T{hours[1]}", "RRULE:FREQ=WEEKLY;COUNT=520",
            f"SUMMARY:{title}", "END:VEVENT",
        ]  # fmt: skip
    path = tmp_path / "ten-years.ics"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", *events, "END:VCALENDAR"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_520_weeks_stay_under_one_megabyte(cli: Run, tmp_path: Path) -> None:
    assert cli("import", str(ten_years(tmp_path)), "--since", "2016-12-01").exit_code == 0
    text = write(cli, tmp_path, "report", "--weeks", "520")
    size = len(text.encode("utf-8"))
    assert size < 1_000_000, size
    assert_self_contained(text)
    rows = [a for a in Page(text).tags("tr") if a.get("data-week")]
    assert len(rows) == 521
    assert rows[-2]["data-share"] == repr(round(6 / 9, 4))  # W46: 6 h of 9 classified


def imported(home: Home, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(), timeout=60,
    )  # fmt: skip
    assert done.returncode in (0, 1, 5), done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [("report",), ("status",), ("log", "Standup", "15m"), ("check",), ("report", "--chart")]
)
def test_the_daily_commands_never_load_the_plotting_library(home: Home, args) -> None:
    names = imported(home, *args)
    assert "leadtime.render" in names or args[0] in ("status", "log")  # it did run
    assert not {n for n in names if n.split(".")[0] == "vl_convert"}
    assert not {n for n in names if n.startswith("leadtime.render.pictures")}


@pytest.mark.slow
def test_the_html_report_loads_it(home: Home, tmp_path: Path) -> None:
    names = imported(home, "report", "--format", "html", "-o", str(tmp_path / "r.html"))
    assert "vl_convert" in names
