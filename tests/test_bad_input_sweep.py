"""A sweep of bad input — arguments, settings, rules files, exports, calendars — through the
command line: every case is a clear error or a clean run, never a traceback, never exit 70."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Home, Run

CALENDAR_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sweep//EN\r\n"

BAD_ARGUMENTS = [
    ("log", "x", "7x"),
    ("log", "x", "0m"),
    ("log", "x", "25h"),
    ("log", "", "10m"),
    ("log", "x", "10m", "--at", "not a time"),
    ("log", "x", "10m", "--at", "25:99"),
    ("log", "x", "--from", "10:00"),
    ("log", "x", "10m", "--as", "nonsense"),
    ("log", "x", "10m", "--tag", "a,b"),
    ("log", "x", "-5m"),
    ("start", "x", "--at", "tomorrow 9:00"),
    ("stop", "--at", "yesterday"),
    ("cancel",),
    ("edit", "zzzz", "--title", "y"),
    ("rm", "____", "--yes"),
    ("rm", "%%%%", "--yes"),
    ("classify", "zzzz", "leadership"),
    ("ls", "--week", "2026-W60"),
    ("ls", "--from", "2026-13-01"),
    ("ls", "--tz", "Mars/Olympus"),
    ("report", "--weeks", "999999"),
    ("report", "--from", "2026-11-20", "--to", "2026-11-01"),
    ("report", "--week", "2026-W47", "--weeks", "3"),
    ("report", "--tz", "Nowhere"),
    ("check", "--target", "150"),
    ("check", "--average"),
    ("plan", "--weeks", "-1"),
    ("plan", "--week", "2020-W01"),
    ("day", "not-a-day"),
    ("import", "/nonexistent/calendar.ics"),
    ("import", "http://127.0.0.1:9/none.ics"),
    ("import", "caldav+http://127.0.0.1:9/x/"),
    ("import", "caldav+http://user:secret@127.0.0.1:9/x/"),
    ("import", "git", "/nonexistent"),
    ("import", "timewarrior", "/nonexistent"),
    ("calendars", "rm", "nothing", "--yes"),
    ("calendars", "rename", "nothing", "something"),
    ("restore", "/nonexistent.jsonl"),
    ("rules", "check", "/nonexistent.toml"),
    ("config", "set", "target", "seventy"),
    ("config", "set", "work_hours", "every day, all day"),
    ("config", "set", "me", "not-an-address"),
    ("config", "set", "git_max_gap", "forever"),
    ("config", "set", "git_max_session", "25h"),
    ("config", "set", "network_timeout", "0"),
    ("config", "set", "network_timeout", "1e400"),
    ("config", "unset", "colour"),
    ("--now", "yesterday-ish", "log", "x", "10m"),
    ("--db", "nosuchdriver://x/y", "ls"),
]


def assert_clean(result, args) -> None:
    assert result.exit_code != 70, (args, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, args
    if result.exit_code:
        assert result.stderr.startswith("error:"), (args, result.stderr)


@pytest.mark.parametrize("args", BAD_ARGUMENTS, ids=" ".join)
def test_bad_arguments(cli: Run, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code in (2, 3, 4, 5), (args, result.exit_code, result.stderr)
    assert_clean(result, args)


BAD_CONFIGS = [
    "timezone = 5\n",
    "target = 1e30\n",
    "target = nan\n",
    "horizon_weeks = 99999999999999999999999999\n",
    "me = [1, 2]\n",
    "work_hours = 'mon-fri 25:00-26:00'\n",
    "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "not toml at all = = =\n",
    "target = " + "7" * 5000 + "\n",  # more digits than Python reads as an integer
    "horizon_weeks = -" + "9" * 5000 + "\n",
]


@pytest.mark.parametrize("text", BAD_CONFIGS)
def test_bad_config_files(cli: Run, home: Home, text: str) -> None:
    home.config.write_text(text)
    result = cli("report")
    assert result.exit_code == 3, result.stderr
    assert str(home.config) in result.stderr
    assert_clean(result, text)


@pytest.mark.parametrize("args", [("status",), ("log", "x", "5m"), ("ls",)], ids=" ".join)
def test_a_config_number_of_thousands_of_digits_on_both_command_paths(
    proc: Run, home: Home, args: tuple[str, ...]
) -> None:
    home.config.write_text("target = " + "7" * 5000 + "\n")
    result = proc(*args)
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith(f"error: {home.config}: not valid TOML: Exceeds the limit")
    assert_clean(result, args)


BAD_RULES = [
    '[[rule]]\nname = "x"\ncategory = "leadership"\ntitle_regex = "(a+)+$(?=b)"\n',
    '[[rule]]\nname = "x"\ncategory = "leadership"\ntitle_regex = "'
    + "(" * 500
    + "a"
    + ")" * 500
    + '"\n',
    '[[rule]]\nname = "x"\ncategory = "leadership"\nattendees = ">= 1e30"\n',
    '[[rule]]\nname = "x"\ncategory = "leadership"\nduration = "< 99999999999h"\n',
    "rule = " + "[" * 3000 + "]" * 3000 + "\n",
    '[[rule]]\nname = "x"\ncategory = "bossing"\ntitle = ["a"]\n',
    b"\xff\xfe not utf-8".decode("latin-1"),
]


@pytest.mark.parametrize("text", BAD_RULES)
def test_bad_rules_files(cli: Run, home: Home, text: str) -> None:
    home.rules.write_text(text, encoding="utf-8")
    for args in (("rules", "check"), ("log", "x", "10m"), ("ls",)):
        result = cli(*args)
        assert result.exit_code == 3, (args, result.stderr)
        assert_clean(result, args)


def export_with(*records: object) -> str:
    header = json.dumps({"format": "leadtime-export", "version": 1})
    return "\n".join([header, *(json.dumps(r) for r in records)]) + "\n"


GOOD = {
    "id": "ab12cd34", "start": "2026-11-20T09:00:00Z", "end": "2026-11-20T10:00:00Z",
    "title": "Work", "origin": "log",
}  # fmt: skip
BAD_EXPORTS = [
    "",
    "not json\n",
    json.dumps({"format": "leadtime-export", "version": 99}) + "\n",
    export_with({**GOOD, "start": "yesterday"}),
    export_with({**GOOD, "origin": "fax"}),
    export_with({**GOOD, "attendees": 1e30}),
    export_with({**GOOD, "tags": "not a list"}),
    export_with({**GOOD, "id": None}),
    export_with(GOOD, GOOD),
    export_with([[[[[]]]]]),
    json.dumps({"format": "leadtime-export", "version": 1})
    + "\n"
    + "[" * 100000
    + "]" * 100000
    + "\n",
    '{"format": "leadtime-export", "version": ' + "1" * 5000 + "}\n",
    '{"format": "leadtime-export", "version": 1, "sources": ' + "9" * 5000 + "}\n",
    export_with({**GOOD, "attendees": int("9" * 4000)}).replace("9" * 4000, "9" * 5000),
    json.dumps({"format": "leadtime-export", "version": 1, "sources": "x"}) + "\n",
    json.dumps({"format": "leadtime-export", "version": 1, "sources": [{"name": "a"}]}) + "\n",
    export_with().replace(
        '"version": 1}', '"version": 1, "sources": [{"name": "a", "kind": "fax"}]}'
    ),
]


@pytest.mark.parametrize("text", BAD_EXPORTS)
def test_bad_exports(cli: Run, tmp_path: Path, text: str) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(text)
    result = cli("restore", str(path))
    assert result.exit_code == 4, result.stderr
    assert_clean(result, text[:40])


BAD_CALENDARS = [
    b"",
    b"\x00\x00\x00",
    b"<html><body>Sign in</body></html>",
    CALENDAR_HEAD.encode() + b"BEGIN:VEVENT\r\nDTSTART:20261332T250000Z\r\nEND:VEVENT\r\n",
    CALENDAR_HEAD.encode()
    + b"BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20261116T090000Z\r\nDTEND:20261116T100000Z\r\n"
    b"RRULE:FREQ=SECONDLY\r\nSUMMARY:\x1b]0;evil\x07\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    CALENDAR_HEAD.encode() + b"BEGIN:VEVENT\r\n" * 2000,
]


@pytest.mark.parametrize("data", BAD_CALENDARS)
def test_bad_calendars(cli: Run, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.ics"
    path.write_bytes(data)
    result = cli("import", str(path))
    assert result.exit_code in (0, 4), result.stderr
    assert_clean(result, data[:40])
    assert "\x1b" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- real processes

OUTPUT_COMMANDS = [
    ("log", "x", "5m"), ("status", "--format", "json"), ("report",), ("report", "--format", "csv"),
    ("ls", "--format", "json"), ("export",), ("check",), ("calendars",), ("day",), ("plan",),
    ("config", "show"), ("rules", "coverage"), ("--help",), ("--version",),
]  # fmt: skip


def _closed_stdout() -> None:
    import os

    os.close(1)


@pytest.mark.parametrize("stdout", ["full", "closed"])
@pytest.mark.parametrize("args", OUTPUT_COMMANDS, ids=" ".join)
def test_output_that_cannot_be_written(home: Home, args: tuple[str, ...], stdout: str) -> None:
    import subprocess
    import sys

    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "leadtime", *args],
            stdout=full if stdout == "full" else None,
            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=home.env(), text=True,
            preexec_fn=_closed_stdout if stdout == "closed" else None, timeout=120,
        )  # fmt: skip
    result = type("R", (), {"exit_code": done.returncode, "stdout": "", "stderr": done.stderr})
    assert done.returncode == 4, (args, done.stderr)
    assert done.stderr.count("\n") == 1 and "cannot write the output" in done.stderr
    assert_clean(result, args)


EDITOR_OUTPUTS = {
    "removes the file": "os.remove(p)",
    "leaves a directory": "os.remove(p); os.mkdir(p)",
    "leaves a link to a device": "os.remove(p); os.symlink('/dev/zero', p)",
    "writes Latin-1": "open(p, 'wb').write('title = \"caf\\xe9\"'.encode('latin-1'))",
    "writes nothing": "open(p, 'w').close()",
    "writes NUL bytes": "open(p, 'wb').write(b'\\x00' * 100)",
    "nests 100,000 arrays": "open(p, 'w').write('title = ' + '[' * 100000 + ']' * 100000)",
    "ends in year 10000 UTC": "s = open(p).read(); open(p, 'w').write("
    "s.replace('end = \"2026-11-20 14:45\"', 'end = 9999-12-31T23:59:59-14:00'))",
    "starts before 1970": "s = open(p).read(); open(p, 'w').write("
    "s.replace('start = \"2026-11-20 14:00\"', 'start = 1969-12-31T23:00:00Z'))",
    "writes a huge integer": "open(p, 'w').write('title = ' + '9' * 5000)",
    "exits 1": "sys.exit(1)",
    "is killed": "os.kill(os.getpid(), 9)",
}


@pytest.mark.parametrize("action", EDITOR_OUTPUTS, ids=list(EDITOR_OUTPUTS))
def test_editors_that_misbehave(cli: Run, proc: Run, tmp_path: Path, action: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text(f"import os, sys\np = sys.argv[-1]\n{EDITOR_OUTPUTS[action]}\n")
    logged = cli("log", "Reviewed the auth RFC", "45m", "--at", "2026-11-20 14:00")
    entry_id = logged.stdout.split()[1]
    before = cli("export").stdout.splitlines()[1:]
    import sys

    result = proc("edit", entry_id, env={"EDITOR": f"{sys.executable} {script}", "VISUAL": ""})
    assert result.exit_code in (2, 4), (action, result.stderr)
    result.stderr = result.stderr.removeprefix("Killed\n")  # the shell's word on the signal
    assert_clean(result, action)
    assert cli("export").stdout.splitlines()[1:] == before
