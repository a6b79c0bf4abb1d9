"""``leadtime plan`` and ``check --ahead`` through the command line, on a calendar written
here. Now is Friday 2026-11-20 18:00 Berlin (conftest); next week is 2026-W48.

Next week's calendar, working hours Mon-Fri 09-17 (40 h):
  Mon 10-12 "Roadmap sync" (leadership: alignment), weekly (W48, W49)
  Tue 09-13 "Interview loop" (leadership: hiring), one-off
  Tue 12-14 "Bug fix: checkout" (hands-on), overlapping the interview 12-13
  Wed       an all-day "Company offsite" (excluded: all-day)
  Thu 09-17 "Design review" declined by me (excluded)
Folded: L = 2 + 3 + 0.5 = 5.5 h, H = 1 + 0.5 = 1.5 h; busy 2 + 5 = 7 h, F = 33 h.
N = (5.5 + 33) - 0.7 * 40 = 10.5 h, 0.75 F = 24.75 h: on track.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run

EVENTS = [
    ("roadmap@x", "20261123T100000", "20261123T120000", "Roadmap sync",
     "RRULE:FREQ=WEEKLY;COUNT=2"),
    ("interview@x", "20261124T090000", "20261124T130000", "Interview loop", ""),
    ("bugfix@x", "20261124T120000", "20261124T140000", "Bug fix: checkout", ""),
    ("review@x", "20261126T090000", "20261126T170000", "Design review",
     "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com"),
]  # fmt: skip


def _calendar(path: Path, extra: list[tuple[str, str, str, str, str]] = ()) -> Path:  # type: ignore[assignment]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//plan//EN"]
    for uid, start, end, title, more in [*EVENTS, *extra]:
        lines += [
            "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{start}", f"DTEND;TZID=Europe/Berlin:{end}",
            f"SUMMARY:{title}", *([more] if more else []), "END:VEVENT",
        ]  # fmt: skip
    lines += [
        "BEGIN:VEVENT", "UID:offsite@x", "DTSTAMP:20261101T000000Z",
        "DTSTART;VALUE=DATE:20261125", "DTEND;VALUE=DATE:20261126",
        "SUMMARY:Company offsite", "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _imported(cli: Run, tmp_path: Path, extra: list[tuple[str, str, str, str, str]] = ()) -> None:  # type: ignore[assignment]
    assert cli("config", "set", "me", "me@example.com").exit_code == 0
    done = cli("import", str(_calendar(tmp_path / "work.ics", extra)))
    assert done.exit_code == 0, done.stderr


def test_plan_json_of_next_week(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    done = cli("plan", "--format", "json")
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    assert [week["week"] for week in data["weeks"]] == ["2026-W47", "2026-W48"]
    w48 = data["weeks"][1]
    assert w48["in_progress"] is False
    assert w48["planned_minutes"] == {
        "leadership": 330.0, "hands-on": 90.0, "other": 0.0, "unclassified": 0.0,
    }  # fmt: skip
    assert (w48["working_minutes"], w48["free_minutes"]) == (2400.0, 1980.0)
    assert w48["needed_hands_on_minutes"] == 630.0
    assert w48["planned_share"] == round(330 / 420, 4)
    assert w48["verdict"] == "on-track"
    assert w48["sentence"] == "next week lands on 70% if 10.5 h of your 33 h free time is hands-on"
    assert [(t["uid"], t["instances"], t["minutes"]) for t in data["tips"]] == [
        ("interview@x", 1, 240.0), ("bugfix@x", 1, 120.0), ("roadmap@x", 1, 120.0),
    ]  # fmt: skip


def test_plan_table_says_it_in_words(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    done = cli("plan")
    assert done.exit_code == 0
    assert "Next week lands on 70% if 10.5 h of your 33 h free time is hands-on." in done.stdout
    assert "Interview loop" in done.stdout and "Company offsite" not in done.stdout


def test_plan_without_a_meeting_recomputes_and_names_it(cli: Run, tmp_path: Path) -> None:
    # Without the interview: L = 2 h, H = 2 h, busy 4 h, F = 36 h, N = 38 - 28 = 10 h.
    _imported(cli, tmp_path)
    done = cli("plan", "--without", "INTERVIEW", "--without", "nope", "--format", "markdown")
    assert done.exit_code == 0
    assert "| 2026-W48 | 2.0 | 2.0 | 0.0 | 0.0 | 36.0 | 50.0% | 10.0 | on track |" in done.stdout
    # Markdown escapes the parentheses
    assert r"left out: Interview loop \(1 instance, uid interview@x, work\)" in done.stdout
    assert "'nope' matched no event ahead" in done.stdout


def test_plan_weeks_past_the_import_horizon_say_so(cli: Run, tmp_path: Path) -> None:
    # Imported on Friday 2026-11-20 with 8 weeks of horizon: up to Sunday 2027-01-17.
    _imported(cli, tmp_path)
    done = cli("plan", "--weeks", "9", "--format", "json")
    data = json.loads(done.stdout)
    assert data["imported_until"] == "2027-01-17" and data["beyond_import"] is True
    assert "run 'leadtime import --until 2027-01-24'" in done.stderr
    assert (
        json.loads(cli("plan", "--weeks", "8", "--format", "json").stdout)["beyond_import"] is False
    )


def test_plan_of_a_week_that_is_over_is_a_usage_error(cli: Run, tmp_path: Path) -> None:
    done = cli("plan", "--week", "2026-W46")
    assert done.exit_code == 2
    assert "error: 2026-W46 is over; a plan looks ahead" in done.stderr


def test_check_ahead_passes_on_track(cli: Run, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    junit = tmp_path / "ahead.xml"
    done = cli("check", "--ahead", "--junit", str(junit))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("pass  2026-W48  next week lands on 70% if 10.5 h")
    assert 'failures="0"' in junit.read_text(encoding="utf-8")


def test_check_ahead_fails_off_track_in_every_format(cli: Run, tmp_path: Path) -> None:
    # Add Wed 09:00-17:00 and Fri 09:00-17:00 hands-on work: H = 17.5 h, L = 5.5 h,
    # busy 23 h, F = 17 h; at best (5.5 + 17) / 40 = 56.3% < 65%: off track.
    extra = [
        ("w@x", "20261125T090000", "20261125T170000", "Bug fix: search", ""),
        ("f@x", "20261127T090000", "20261127T170000", "Bug fix: export", ""),
    ]
    _imported(cli, tmp_path, extra)
    done = cli("check", "--ahead", "--format", "json")
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    assert data["exit_code"] == 1 and data["passed"] is False
    (week,) = data["weeks"]
    assert (week["verdict"], week["off_track_side"], week["highest_share"]) == (
        "off-track", "too-hands-on", 0.5625,
    )  # fmt: skip
    github = cli("check", "--ahead", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith("::error title=leadtime check --ahead 2026-W48::off track")
    assert cli("check", "--ahead").stdout.startswith("FAIL  2026-W48")


def test_check_ahead_warns_when_at_risk(cli: Run, tmp_path: Path) -> None:
    # Add Wed-Fri 09:00-15:00 leadership meetings (18 h): L = 23.5 h, H = 1.5 h,
    # busy 25 h, F = 15 h; N = 38.5 - 28 = 10.5 h > 0.75 * 15 = 11.25 h? No: 10.5 < 11.25.
    # So also Mon 13-17 (4 h more): L = 27.5, busy 29, F = 11, N = 38.5 - 28 = 10.5 > 8.25.
    extra = [
        (f"m{d}@x", f"202611{d}T090000", f"202611{d}T150000", "Planning", "") for d in (25, 26, 27)
    ] + [("mon@x", "20261123T130000", "20261123T170000", "Planning", "")]
    _imported(cli, tmp_path, extra)
    done = cli("check", "--ahead")
    assert done.exit_code == 0
    assert "warning: 2026-W48 is at risk: next week lands on 70% only if 10.5 h of your 11 h" in (
        done.stdout
    )


def test_check_ahead_without_working_time_or_calendar_exits_5(cli: Run, tmp_path: Path) -> None:
    assert cli("check", "--ahead").exit_code == 5  # no calendar
    _imported(cli, tmp_path)
    assert cli("config", "set", "work_hours", "none").exit_code == 0
    done = cli("check", "--ahead")
    assert done.exit_code == 5
    assert "next week has no working time to plan" in done.stdout


def test_check_ahead_refuses_the_period_options(cli: Run) -> None:
    done = cli("check", "--ahead", "--weeks", "2")
    assert done.exit_code == 2 and "cannot be combined with --weeks" in done.stderr


OTHER_AND_UNCLASSIFIED = [
    ("lunch@x", "20261127T120000", "20261127T130000", "Lunch", ""),
    ("zz@x", "20261127T140000", "20261127T153000", "Zzyzx qwv", ""),
    ("done@x", "20261120T160000", "20261120T170000", "Code review", ""),
]


def test_the_week_in_progress_says_what_it_holds_and_from_when(cli: Run, tmp_path: Path) -> None:
    # The current week's row counts what is done with what is planned: not "the rest".
    _imported(cli, tmp_path, OTHER_AND_UNCLASSIFIED)
    table = cli("plan").stdout
    assert "(rest)" not in table
    assert any(line.split()[:2] == ["2026-W47", "*"] for line in table.splitlines())
    note = "* 2026-W47 is in progress: done up to Fri 20 Nov 18:00, planned and free from then."
    assert note in " ".join(table.split())
    markdown = cli("plan", "--format", "markdown").stdout
    assert r"| 2026-W47 \* |" in markdown
    assert r"\* 2026-W47 is in progress: done up to Fri 20 Nov 18:00" in markdown


def test_other_and_unclassified_time_are_apart(cli: Run, tmp_path: Path) -> None:
    # Next week gains an hour of lunch (other) and 1.5 h nothing classifies: they are two
    # columns, and the free time is 33 - 2.5 = 30.5 h.
    _imported(cli, tmp_path, OTHER_AND_UNCLASSIFIED)
    week = json.loads(cli("plan", "--format", "json").stdout)["weeks"][1]
    assert week["planned_minutes"]["other"] == 60.0
    assert week["planned_minutes"]["unclassified"] == 90.0
    lines = cli("plan").stdout.splitlines()
    heading = next(line for line in lines if line.split()[:1] == ["Week"])
    assert heading.split()[:9] == ["Week", "Lead", "h", "Hands", "h", "Other", "h", "Uncl.", "h"]
    row = next(line for line in lines if line.startswith(" 2026-W48"))
    assert row.split()[:6] == ["2026-W48", "5.5", "1.5", "1.0", "1.5", "30.5"]
    markdown = cli("plan", "--format", "markdown").stdout
    assert "| Other h | Unclassified h |" in markdown
    assert "| 2026-W48 | 5.5 | 1.5 | 1.0 | 1.5 | 30.5 |" in markdown
