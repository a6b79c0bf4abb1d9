"""Text from calendars and trackers never reaches a terminal as control, in any format.

The output is captured as a terminal would receive it. Titles, tags, locations, notes and
UIDs carry escape sequences (a window title, a cleared screen, an OSC 8 link), 8-bit C1
controls and bidirectional overrides; no command may print any of them, and JSON keeps the
text exact by escaping them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Home, Run

HOSTILE = (
    "Rev\x1b]0;pwned\x07iew\x1b[2J \x9b31m\x9d8;;x\x9c \u202eevil\u202c \u2066i\u2069 \x7f\x85end"
)
# Everything a terminal acts on: C0 but tab and newline, DEL, C1, bidirectional controls.
ACTS_ON_A_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n"
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20261117T090000Z\r\nDTEND:20261117T100000Z\r\n"
    "SUMMARY:{text}\r\nLOCATION:{text}\r\nDESCRIPTION:{text}\r\nCATEGORIES:{tag}\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:declined-{uid}\r\nDTSTART:20261118T090000Z\r\nDTEND:20261118T100000Z\r\n"
    "SUMMARY:{text}\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:ahead-{uid}\r\nDTSTART:20261124T090000Z\r\nDTEND:20261124T100000Z\r\n"
    "SUMMARY:{text}\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)

COMMANDS = [
    ("ls", "--week", "2026-W47"),
    ("ls", "--week", "2026-W47", "--format", "json"),
    ("ls", "--week", "2026-W47", "--format", "csv"),
    ("ls", "--week", "2026-W47", "--excluded"),
    ("ls", "--week", "2026-W47", "--excluded", "--format", "csv"),
    ("day", "2026-11-17"),
    ("day", "2026-11-17", "--format", "json"),
    ("export",),
    ("export", "--format", "csv"),
    ("report", "--week", "2026-W47", "--by", "tag"),
    ("report", "--week", "2026-W47", "--by", "tag", "--format", "json"),
    ("report", "--week", "2026-W47", "--by", "tag", "--format", "csv"),
    ("report", "--week", "2026-W47", "--by", "tag", "--format", "markdown"),
    ("plan", "--week", "2026-W48"),
    ("plan", "--week", "2026-W48", "--format", "json"),
    ("rules", "coverage"),
    ("calendars",),
    ("calendars", "--format", "json"),
    ("status",),
    ("status", "--format", "json"),
]


@pytest.fixture
def hostile_home(cli: Run, home: Home, tmp_path: Path) -> Home:
    calendar = tmp_path / "hostile.ics"
    text = HOSTILE.replace(",", " ")
    calendar.write_text(
        CALENDAR.format(uid="u\x1b[2J\u202e1@x", text=text, tag="t\x1b]0;x\x07g"),
        encoding="utf-8",
    )
    imported = cli("import", str(calendar), "--calendar", "work")
    assert imported.exit_code == 0, imported.stderr
    logged = cli("log", HOSTILE, "30m", "--at", "2026-11-16 10:00", "--tag", "x\u202ey")
    assert logged.exit_code == 0, logged.stderr
    started = cli("start", HOSTILE, "--at", "17:00")
    assert started.exit_code == 0, started.stderr
    return home


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_format_passes_control_to_the_terminal(
    hostile_home: Home, cli: Run, proc: Run, args: tuple[str, ...]
) -> None:
    # The daily commands run without Typer in a real process: that path is the one shown.
    result = (proc if args[0] == "status" else cli)(*args)
    assert result.exit_code == 0, (args, result.stderr)
    for stream in (result.stdout, result.stderr):
        found = ACTS_ON_A_TERMINAL.findall(stream)
        assert not found, (args, found)


def test_json_keeps_the_text_exact(hostile_home: Home, cli: Run) -> None:
    listed = json.loads(cli("ls", "--week", "2026-W47", "--format", "json").stdout)
    assert HOSTILE in [entry["title"] for entry in listed]
    exported = cli("export").stdout
    assert HOSTILE in [json.loads(line).get("title") for line in exported.splitlines()[1:]]
    assert "\\u202e" in exported  # escaped, not dropped
