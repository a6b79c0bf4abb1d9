"""Watson histories: frames written by the real ``watson`` command, and broken files.

The per-week totals that leadtime must reproduce come from ``watson report --json`` run by
Watson itself in the same zone; leadtime's side is summed here by plain arithmetic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import seconds_per_week
from leadtime.entry import Entry, Origin
from leadtime.errors import InputError
from leadtime.sources.watson import RunningTimer, default_watson_dir, read_watson

pytest.importorskip("watson", reason="td-watson (the test extra) is not installed")

# The clocks go back in New York on Sunday 2026-11-01 at 02:00, inside the first week.
ZONE = "America/New_York"
TZ = ZoneInfo(ZONE)
FRAMES = [
    ("2026-10-26 09:00", "2026-10-26 10:30", ["review", "+pr"]),
    ("2026-10-28 14:00", "2026-10-28 17:15", ["coding", "+bugfix", "+a,b"]),
    ("2026-10-29 22:00", "2026-10-30 01:30", ["incident", "+oncall"]),  # across midnight
    ("2026-11-01 00:30", "2026-11-01 03:00", ["migration", "db"]),  # 3.5 h: 01:00-02:00 twice
    ("2026-11-01 22:00", "2026-11-02 02:00", ["deploy", "+release"]),  # across weeks
    ("2026-11-04 10:00", "2026-11-04 11:00", ["1:1", "+mentoring"]),
    ("2026-11-10 09:00", "2026-11-10 12:00", ["rfc", "+design", "+design"]),
    ("2026-11-12 13:00", "2026-11-12 13:45", ["hiring", "+interview"]),
]
MONDAYS = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]


@dataclass(frozen=True)
class History:
    directory: Path
    reports: dict[date, dict[str, Any]]  # Monday -> `watson report --json` of that week
    log: list[dict[str, object]]  # `watson log --all --json`


def _watson(directory: Path, *args: str) -> str:
    env = {**os.environ, "WATSON_DIR": str(directory), "TZ": ZONE}
    done = subprocess.run(
        [sys.executable, "-m", "watson", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    directory = tmp_path_factory.mktemp("watson")
    for start, stop, args in FRAMES:
        _watson(directory, "add", "-f", start, "-t", stop, *args)
    _watson(directory, "start", "hiring", "+interview", "+a,b", "--at", "2026-11-13 16:00")
    reports = {
        monday: json.loads(
            _watson(
                directory,
                "report",
                "--json",
                "--no-current",
                "-f",
                monday.isoformat(),
                "-t",
                (monday + timedelta(days=6)).isoformat(),
            )
        )
        for monday in MONDAYS
    }
    log = json.loads(_watson(directory, "log", "--all", "--json"))
    return History(directory, reports, log)


def _seconds_per_week(entries: Iterable[Entry]) -> dict[date, int]:
    return seconds_per_week(entries, TZ)


@pytest.mark.slow  # the history is written by a dozen `watson` processes
def test_week_totals_equal_watsons_own_report(history: History) -> None:
    imported = read_watson(history.directory)

    ours = _seconds_per_week(imported.entries)
    # Watson's week ends at Sunday 23:59:59.999999, hence the rounding to whole seconds.
    theirs = {monday: round(float(r["time"])) for monday, r in history.reports.items()}
    assert ours == theirs
    # ... and both agree with the clock on the wall: 13.75 h, 3 h and 3.75 h.
    assert theirs == {MONDAYS[0]: 49_500, MONDAYS[1]: 10_800, MONDAYS[2]: 13_500}


@pytest.mark.slow  # the history is written by a dozen `watson` processes
def test_every_frame_becomes_an_entry_keyed_on_its_id(history: History) -> None:
    imported = read_watson(history.directory, name="old watson")

    assert imported.items_read == len(FRAMES)
    assert imported.problems == ()
    by_uid = {e.uid: e for e in imported.entries}
    assert set(by_uid) == {str(frame["id"]) for frame in history.log}
    for frame in history.log:
        entry = by_uid[str(frame["id"])]
        assert entry.title == frame["project"]
        assert entry.start == datetime.fromisoformat(str(frame["start"]))
        assert entry.end == datetime.fromisoformat(str(frame["stop"]))
        assert entry.origin is Origin.WATSON
        assert entry.calendar == "old watson"
        assert entry.recurrence_id is None
    titles = {e.title: e.tags for e in imported.entries}
    assert titles["migration db"] == ()
    assert titles["coding"] == ("bugfix", "a b")  # a comma never reaches a leadtime tag
    assert titles["rfc"] == ("design",)
    assert imported.window == (
        datetime(2026, 10, 26, 13, 0, tzinfo=UTC),  # 09:00 EDT
        datetime(2026, 11, 12, 18, 45, tzinfo=UTC),  # 13:45 EST
    )


@pytest.mark.slow  # the history is written by a dozen `watson` processes
def test_reading_twice_gives_the_same_entries(history: History) -> None:
    assert read_watson(history.directory) == read_watson(history.directory)


@pytest.mark.slow  # the history is written by a dozen `watson` processes
def test_the_running_frame_is_returned_as_the_running_timer(history: History) -> None:
    running = read_watson(history.directory).running

    assert running == RunningTimer(
        title="hiring",
        start=datetime(2026, 11, 13, 21, 0, tzinfo=UTC),  # 16:00 EST
        tags=("interview", "a b"),
    )


# --------------------------------------------------------------------------- broken files

ID = "0123456789abcdef0123456789abcdef"
T0 = 1_794_000_000  # 2026-11-06T21:20:00Z


def _write(directory: Path, frames: object, state: object | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "frames").write_text(json.dumps(frames), encoding="utf-8")
    if state is not None:
        (directory / "state").write_text(json.dumps(state), encoding="utf-8")
    return directory


def test_frames_that_cannot_be_entries_are_reported_and_the_rest_imported(
    tmp_path: Path,
) -> None:
    frames = [
        [T0, T0 + 3600, "good", ID, ["x"], T0],
        [T0, T0 - 60, "backwards", "b" * 32, [], T0],
        [T0, T0, "empty", "c" * 32, [], T0],
        [T0, T0 + 25 * 3600, "forgotten", "d" * 32, [], T0],
        [T0, T0 + 24 * 3600, "a long day", "e" * 32],  # old Watson: no tags, no updated_at
        ["yesterday", T0, "bad start", "f" * 32, [], T0],
        [T0, T0 + 60, "", "1" * 32, [], T0],
        [T0, T0 + 60, "bad tags", "2" * 32, "x,y", T0],
        [T0 + 60, T0 + 120, "again", ID, [], T0],
        {"start": T0},
        [T0, T0 + 60, "no id", None],
    ]
    imported = read_watson(_write(tmp_path / "w", frames))

    assert [(e.title, e.uid, e.minutes) for e in imported.entries] == [
        ("good", ID, 60),
        ("a long day", "e" * 32, 24 * 60),
    ]
    assert imported.items_read == 11
    frames_file = str(tmp_path / "w" / "frames")
    assert all(p.file == frames_file for p in imported.problems)
    reasons = {p.uid: p.reason for p in imported.problems}
    assert "ends before it starts" in reasons["b" * 32]
    assert "zero minutes" in reasons["c" * 32]
    assert "lasts 25.0 h" in reasons["d" * 32]
    assert "start is not a time" in reasons["f" * 32]
    assert "no project" in reasons["1" * 32]
    assert "tags" in reasons["2" * 32]
    assert "appears again" in reasons[ID]
    unnamed = [p.reason for p in imported.problems if p.uid is None]
    assert len(unnamed) == 2
    assert "frame 10 " in unnamed[0]
    assert "frame 11 " in unnamed[1]
    assert imported.running is None


def test_problem_lines_never_carry_control_characters(tmp_path: Path) -> None:
    evil = "\x1b[2J\x1b]0;pwned\x07" + "x" * 100 + "\n"
    imported = read_watson(_write(tmp_path / "w", [[T0, T0 - 1, "p\x1bq", evil, []]]))

    (problem,) = imported.problems
    assert all(ch.isprintable() for ch in str(problem))
    assert problem.uid is not None
    assert problem.uid.startswith("\\x1b[2J")
    assert problem.uid.endswith("…")


def test_untrusted_text_is_kept_as_data(tmp_path: Path) -> None:
    frames = [
        [T0, T0 + 60, "  <b>'; DROP TABLE entries; --  ", ID, ["  spaced   out ", ",", "a,b"]]
    ]
    (entry,) = read_watson(_write(tmp_path / "w", frames)).entries

    assert entry.title == "<b>'; DROP TABLE entries; --"
    assert entry.tags == ("spaced out", "a b")


def test_a_stopped_watson_has_no_running_timer(tmp_path: Path) -> None:
    assert read_watson(_write(tmp_path / "w", [], state={})).running is None


def test_a_broken_state_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    directory = _write(tmp_path / "w", [[T0, T0 + 60, "p", ID, []]])
    (directory / "state").write_text('{"project": "p", "start": ', encoding="utf-8")

    imported = read_watson(directory)

    assert len(imported.entries) == 1
    assert imported.running is None
    (problem,) = imported.problems
    assert problem.file == str(directory / "state")
    assert "running frame" in problem.reason


def test_an_empty_frames_file_is_an_empty_history(tmp_path: Path) -> None:
    directory = tmp_path / "w"
    directory.mkdir()
    (directory / "frames").write_text("", encoding="utf-8")

    imported = read_watson(directory)

    assert (imported.entries, imported.items_read, imported.window) == ((), 0, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[[1, 2, "p", "id"', "not valid JSON (line 1, column 18)"),
        (b'{"frames": []}', "not a list of frames"),
        (b"\xff\xfe[]", "not UTF-8"),
    ],
)
def test_a_frames_file_that_is_not_watsons_is_an_input_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    directory = tmp_path / "w"
    directory.mkdir()
    (directory / "frames").write_bytes(content)

    with pytest.raises(InputError) as caught:
        read_watson(directory)

    assert message in caught.value.message
    assert caught.value.exit_code == 4


def test_a_directory_without_frames_is_an_input_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_watson(tmp_path)
    assert "no Watson 'frames' file" in caught.value.message
    assert caught.value.hint is not None and "WATSON_DIR" in caught.value.hint

    with pytest.raises(InputError, match="no such directory"):
        read_watson(tmp_path / "missing")


def test_the_default_directory_follows_watson(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATSON_DIR", str(tmp_path / "mine"))
    assert default_watson_dir() == tmp_path / "mine"

    monkeypatch.delenv("WATSON_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if sys.platform.startswith("linux"):
        assert default_watson_dir() == tmp_path / "config" / "watson"
    _write(tmp_path / "config" / "watson", [[T0, T0 + 60, "p", ID, []]])
    if sys.platform.startswith("linux"):
        assert len(read_watson(None).entries) == 1
