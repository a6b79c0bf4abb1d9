"""The daily loop through the command line: ls by day, the pager, the day view, JSON listings.

"Now" is Friday 2026-11-20 18:00 in Europe/Berlin (see conftest); working hours are the
default, mon-fri 09:00-17:00.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import time
from pathlib import Path

from conftest import Home, Run


def log(cli: Run, title: str, duration: str, at: str, *extra: str) -> str:
    done = cli("log", title, duration, "--at", at, *extra)
    assert done.exit_code == 0, done.stderr
    return done.stdout.split()[1]  # "logged ID ..."


def week(cli: Run) -> None:
    """Thursday: a 1:1; Friday: a review overlapping a bugfix by 15 minutes, and planning
    that runs past now (17:30-18:30, so 30 minutes done and 30 planned)."""
    log(cli, "1:1 with Sam", "30m", "2026-11-19 10:00")
    log(cli, "Reviewed the auth RFC", "45m", "2026-11-20 14:00", "-t", "rfc", "-t", "auth")
    log(cli, "Fixed the login bug", "1h30", "2026-11-20 14:30")
    log(cli, "Sprint planning", "1h", "2026-11-20 17:30")


# --------------------------------------------------------------------------- ls


def test_ls_groups_by_day_with_the_folded_total(cli: Run) -> None:
    week(cli)
    out = cli("ls").stdout
    # Thursday before Friday, each with its count and its total; Friday's 14:30-14:45
    # overlap counts once: 14:00-16:00 (2h) + 17:30-18:30 (1h, half of it after now)
    assert out.index("Thu 2026-11-19  1 entry, 30m") < out.index(
        "Fri 2026-11-20  3 entries, 3h (30m planned)"
    )
    assert "4 entries, 3h30m (30m planned)" in out
    assert "#rfc #auth" in out
    assert "14:30-16:00" in out
    planning = next(line for line in out.splitlines() if "Sprint planning" in line)
    review = next(line for line in out.splitlines() if "Reviewed the auth RFC" in line)
    assert "(planned)" in planning and "(planned)" not in review


def test_ls_daily_totals_agree_with_the_report(cli: Run) -> None:
    week(cli)
    # the report counts time before now: 30m Thursday + 2h30m Friday = 180 minutes done
    report = cli("report", "--week", "2026-W47", "--format", "json").stdout
    (record,) = json.loads(report)["weeks"]
    assert sum(record["minutes"].values()) == 180.0
    assert sum(record["planned_minutes"].values()) == 30.0
    assert "4 entries, 3h30m (30m planned)" in cli("ls").stdout  # 180 done + 30 planned


def test_an_entry_across_midnight_is_listed_and_counted_on_each_day(cli: Run) -> None:
    log(cli, "Late spike", "2h", "2026-11-18 23:00")
    out = cli("ls").stdout
    wednesday, thursday = out.split("\n\n")[:2]
    assert wednesday.startswith("Wed 2026-11-18  1 entry, 1h\n")  # 23:00-24:00
    assert "23:00-Thu 01:00" in wednesday
    assert thursday.startswith("Thu 2026-11-19  1 entry, 1h\n")  # 00:00-01:00
    assert "Wed 23:00-01:00" in thursday
    assert out.rstrip().splitlines()[-1] == "1 entry, 2h"


def test_ls_tag_filter_and_the_json_and_csv_records(cli: Run) -> None:
    week(cli)
    out = cli("ls", "--tag", "rfc").stdout
    assert "Fri 2026-11-20  1 entry, 45m" in out and "Fixed the login bug" not in out
    records = json.loads(cli("ls", "--format", "json").stdout)
    assert [r["title"] for r in records][:2] == ["1:1 with Sam", "Reviewed the auth RFC"]
    assert records[1]["tags"] == ["rfc", "auth"]
    csv_lines = cli("ls", "--format", "csv").stdout.splitlines()
    assert len(csv_lines) == 5 and "rfc,auth" in csv_lines[2]


def test_ls_on_a_pipe_never_pages(cli: Run, tmp_path: Path) -> None:
    week(cli)
    paged = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c \"open(r'{paged}', 'w').write('paged')\""
    done = cli("ls", env={"PAGER": pager})
    assert done.exit_code == 0 and "Sprint planning" in done.stdout
    assert not paged.exists()


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run leadtime in a real process whose output is a pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become leadtime
        os.execve(sys.executable, [sys.executable, "-m", "leadtime", *args], env)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_ls_on_a_terminal_goes_through_the_pager_with_less_frx(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    week(cli)
    paged = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        "import os, sys\n"
        "text = os.environ.get('LESS', '(unset)') + '\\n' + sys.stdin.read()\n"
        "open(sys.argv[1], 'w', encoding='utf-8').write(text)\n",
        encoding="utf-8",
    )
    env = home.env(PAGER=f"{sys.executable} {script} {paged}")
    env.pop("LESS", None)
    code, shown = _run_on_a_terminal(["ls"], env)
    assert code == 0
    less, _, listing = paged.read_text(encoding="utf-8").partition("\n")
    assert less == "FRX"
    assert "Fri 2026-11-20  3 entries, 3h (30m planned)" in listing
    assert "Sprint planning" not in shown  # the pager showed it, not leadtime


# --------------------------------------------------------------------------- day


def test_day_shows_the_timeline_gaps_double_booking_and_split(cli: Run) -> None:
    week(cli)
    review = cli("ls", "--format", "json").stdout
    ids = {r["title"]: r["id"] for r in json.loads(review)}
    out = cli("day").stdout
    lines = out.splitlines()
    assert lines[0] == "Fri 2026-11-20 (Europe/Berlin)"
    order = [
        "09:00-14:00",
        "Reviewed the auth RFC",
        "Fixed the login bug",
        "16:00-17:00",
        "Sprint planning",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert f"14:30-14:45  15m  {ids['Reviewed the auth RFC']} 'Reviewed the auth RFC', " in out
    # done before 18:00: leadership 45 - 7.5 + 30 = 67.5 min, hands-on 90 - 7.5 = 82.5 min
    assert "split: leadership 1h08m  hands-on 1h23m  other 0m  unclassified 0m" in out
    assert "leadership share: 45.0%" in out
    assert "counted 2h30m, planned 30m; working hours 8h, 6h of them without an entry" in out


def test_day_json(cli: Run) -> None:
    week(cli)
    data = json.loads(cli("day", "2026-11-20", "--format", "json").stdout)
    assert data["date"] == "2026-11-20" and data["timezone"] == "Europe/Berlin"
    assert [e["title"] for e in data["entries"]] == [
        "Reviewed the auth RFC",
        "Fixed the login bug",
        "Sprint planning",
    ]
    # Instants in UTC with Z, as in every JSON; the local time with its offset beside them.
    assert data["entries"][0]["start"] == "2026-11-20T13:00:00Z"
    assert data["entries"][0]["local_start"] == "2026-11-20T14:00:00+01:00"
    assert data["entries"][0]["tags"] == ["rfc", "auth"]
    assert [e["planned"] for e in data["entries"]] == [False, False, True]
    assert [
        (g["local_start"][11:16], g["local_end"][11:16], g["minutes"]) for g in data["gaps"]
    ] == [
        ("09:00", "14:00", 300.0),
        ("16:00", "17:00", 60.0),
    ]
    (double,) = data["double_booked"]
    assert (double["local_start"][11:16], double["local_end"][11:16], double["minutes"]) == (
        "14:30",
        "14:45",
        15.0,
    )
    assert len(double["entries"]) == 2
    assert data["minutes"] == {
        "leadership": 67.5,
        "hands-on": 82.5,
        "other": 0.0,
        "unclassified": 0.0,
    }
    assert data["planned_minutes"]["leadership"] == 30.0
    assert data["leadership_share"] == 0.45
    assert data["counted_minutes"] == 150.0
    assert data["double_booked_minutes"] == 15.0
    assert data["working_minutes"] == 480.0
    assert data["gap_minutes"] == 360.0


def test_day_of_another_date_and_an_empty_day(cli: Run) -> None:
    week(cli)
    data = json.loads(cli("day", "thu", "--format", "json").stdout)
    assert [e["title"] for e in data["entries"]] == ["1:1 with Sam"]
    assert data["minutes"]["leadership"] == 30.0 and data["planned_minutes"]["leadership"] == 0
    sunday = cli("day", "2026-11-15")
    assert sunday.exit_code == 0 and "no entries on this day" in sunday.stdout
    assert cli("day", "someday").exit_code == 2


def test_day_and_ls_print_titles_as_data(cli: Run) -> None:
    log(cli, "Review \x1b]0;owned\x07\x1b[2Jdone", "30m", "2026-11-20 10:00")
    for args in (("day",), ("ls",)):
        out = cli(*args).stdout
        assert "\x1b" not in out and "\x07" not in out
        assert "Review done" in out


# --------------------------------------------------------------------------- JSON listings


def test_status_json_is_null_or_the_running_timer(cli: Run) -> None:
    assert json.loads(cli("status", "--format", "json").stdout) is None
    assert cli("start", "Spike: parser", "--at", "17:15", "-t", "parser").exit_code == 0
    running = json.loads(cli("status", "--format", "json").stdout)
    assert running == {
        "title": "Spike: parser",
        "start": "2026-11-20T16:15:00Z",
        "minutes": 45.0,
        "tags": ["parser"],
    }


def test_rules_show_json_lists_the_rules_in_order(cli: Run, home: Home) -> None:
    home.rules.write_text(
        '[[rule]]\nname = "incidents"\ncategory = "hands-on"\nactivity = "incident"\n'
        'title = ["incident", "outage"]\nnot_title = ["review"]\n',
        encoding="utf-8",
    )
    rules = json.loads(cli("rules", "show", "--format", "json").stdout)
    first = rules[0]
    assert first["position"] == 1 and first["name"] == "incidents"
    assert first["category"] == "hands-on" and first["activity"] == "incident"
    assert first["origin"] == str(home.rules)
    assert first["conditions"] == [
        'title has any of "incident", "outage"',
        'title has none of "review"',
    ]
    assert len(rules) > 2 and all(r["origin"] == "default" for r in rules[1:-1])
    learned = rules[-1]  # the learned tier is tried last
    assert learned["name"] == "learned" and learned["origin"] == "learned"
    assert learned["category"] is None and learned["on"] is True
    assert [r["position"] for r in rules] == list(range(1, len(rules) + 1))
