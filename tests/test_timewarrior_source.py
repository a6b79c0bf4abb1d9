"""Timewarrior histories: data files and exports written by Timewarrior itself.

The checked-in fixtures (tests/fixtures/timewarrior, see its README) run everywhere; the
tests marked ``timew`` drive the real program when it is installed. Per-week totals are
summed here by plain arithmetic and compared with what ``timew summary`` printed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import seconds_per_week
from leadtime.entry import Entry, Origin
from leadtime.errors import InputError
from leadtime.sources.timewarrior import default_timewarrior_dir, read_timewarrior
from leadtime.sources.watson import RunningTimer, TrackerImport

FIXTURES = Path(__file__).parent / "fixtures" / "timewarrior"
ZONE = "America/New_York"  # the zone the fixtures were written in
TZ = ZoneInfo(ZONE)
MONDAYS = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]
# `timew summary` of each week, as printed by Timewarrior 1.4.3 (fixtures/README.md).
SUMMARY = {MONDAYS[0]: "13:45:00", MONDAYS[1]: "3:00:00", MONDAYS[2]: "3:45:00"}
TIMEW = shutil.which("timew")
needs_timew = pytest.mark.skipif(TIMEW is None, reason="Timewarrior (timew) is not installed")


def _seconds(hms: str) -> int:
    hours, minutes, seconds = (int(part) for part in hms.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _seconds_per_week(entries: Iterable[Entry]) -> dict[date, int]:
    return seconds_per_week(entries, TZ)


def _at(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


# --------------------------------------------------------------------------- the fixtures


def test_week_totals_of_the_data_files_equal_timews_summary() -> None:
    imported = read_timewarrior(FIXTURES / "history")

    assert _seconds_per_week(imported.entries) == {
        monday: _seconds(total) for monday, total in SUMMARY.items()
    }
    assert imported.problems == ()
    assert imported.items_read == 9  # eight intervals and the open one


def test_the_export_and_the_data_files_give_the_same_history() -> None:
    from_files = read_timewarrior(FIXTURES / "history" / "data")
    from_export = read_timewarrior(FIXTURES / "history.export.json")

    assert from_export == from_files
    assert len(from_export.entries) == 8


def test_intervals_become_entries_titled_by_their_tags() -> None:
    imported = read_timewarrior(FIXTURES / "history.export.json", name="timew")
    by_uid = {e.uid: e for e in imported.entries}

    coding = by_uid["20261028T180000Z"]
    assert (coding.start, coding.end) == (_at("20261028T180000Z"), _at("20261028T211500Z"))
    assert coding.title == "a b, bugfix, coding, tag two"
    assert coding.tags == ("a b", "bugfix", "coding", "tag two")
    assert coding.origin is Origin.TIMEWARRIOR
    assert coding.calendar == "timew"
    assert coding.recurrence_id is None

    one_on_one = by_uid["20261104T150000Z"]  # no tags: the annotation is the title
    assert one_on_one.title == 'Sam: career "growth" # plan'
    assert one_on_one.note == 'Sam: career "growth" # plan'
    assert one_on_one.tags == ()

    rfc = by_uid["20261110T140000Z"]
    assert (rfc.title, rfc.note, rfc.tags) == ('rfc, say "hi"', "auth RFC", ("rfc", 'say "hi"'))
    assert imported.window == (_at("20261026T130000Z"), _at("20261112T184500Z"))


def test_the_open_interval_is_the_running_timer() -> None:
    running = read_timewarrior(FIXTURES / "history").running

    assert running == RunningTimer(
        title="hiring, interview",
        start=datetime(2026, 11, 16, 14, 0, tzinfo=UTC),  # 09:00 EST
        tags=("hiring", "interview"),
    )


def test_data_lines_are_unquoted_the_way_timewarrior_reads_them() -> None:
    ours = read_timewarrior(FIXTURES / "quoting.data")
    timewarriors = read_timewarrior(FIXTURES / "quoting.export.json")

    assert ours == replace(timewarriors, items_read=ours.items_read)
    by_uid = {e.uid: e for e in ours.entries}
    first = by_uid["20251001T090000Z"]
    assert first.tags == ("a bc", "n l", "plain\\n", 'q"z', "single q", "x\\y")
    assert first.note == "ann \\ \n \t é end"
    assert by_uid["20251002T090000Z"].note == "old style annotation unquoted"
    assert by_uid["20251003T090000Z"].title == "(no tags)"
    assert by_uid["20251005T090000Z"].tags == ("last", "t1", "x")  # the empty tag is dropped
    assert by_uid["20251008T090000Z"].tags == ("café", "☺")


def test_standard_input_takes_either_form() -> None:
    export = (FIXTURES / "history.export.json").read_bytes()
    lines = b"".join(
        (FIXTURES / "history" / "data" / f"2026-{m}.data").read_bytes() for m in (10, 11)
    )

    from_export = read_timewarrior("-", data=export)
    from_lines = read_timewarrior("-", data=lines)

    assert from_export == from_lines
    assert from_export.entries == read_timewarrior(FIXTURES / "history").entries


def test_reading_twice_gives_the_same_entries() -> None:
    assert read_timewarrior(FIXTURES / "history") == read_timewarrior(FIXTURES / "history")


# --------------------------------------------------------------------------- bad input


def _problems(imported: TrackerImport) -> dict[str | None, str]:
    return {p.uid: p.reason for p in imported.problems}


def test_intervals_that_cannot_be_entries_are_reported_by_their_start() -> None:
    lines = "\n".join(
        [
            "inc 20261102T090000Z - 20261102T100000Z # good",
            "inc 20261103T090000Z - 20261103T080000Z # backwards",
            "inc 20261104T090000Z - 20261104T090000Z # empty",
            "inc 20261105T090000Z - 20261106T100000Z # forgotten",
            "inc 20261102T090000Z - 20261102T093000Z # same start",
            "inc 2026-11-07 - 20261107T100000Z # bad start",
            "inc 20261108T090000Z - tomorrow # bad end",
            "exc monday 09:00-10:00",
            "inc 20261109T090000Z - 20261109T100000Z stray words",
            "inc 20261110T090000Z # opened and forgotten",
            'inc 20261111T090000Z # "still running"',
            "",
        ]
    )
    imported = read_timewarrior("-", data=lines.encode())

    assert [(e.uid, e.title) for e in imported.entries] == [
        ("20261102T090000Z", "good"),
        ("20261109T090000Z", "(no tags)"),  # Timewarrior ignores the stray words too
    ]
    assert imported.items_read == 11
    assert imported.running == RunningTimer(
        "still running", _at("20261111T090000Z"), ("still running",)
    )
    reasons = _problems(imported)
    assert "ends before it starts" in reasons["20261103T090000Z"]
    assert "zero minutes" in reasons["20261104T090000Z"]
    assert "lasts 25.0 h" in reasons["20261105T090000Z"]
    assert "same time" in reasons["20261102T090000Z"]
    assert "start is missing or not a time" in reasons["2026-11-07"]
    assert "end is not a time" in reasons["20261108T090000Z"]
    assert "line 8: not an interval" in reasons["monday"]
    assert "line 9: text after the times" in reasons["20261109T090000Z"]
    assert "not the latest" in reasons["20261110T090000Z"]
    assert all(p.file == "<stdin>" for p in imported.problems)


def test_bad_export_rows_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    rows = [
        {"id": 5, "start": "20261102T090000Z", "end": "20261102T100000Z", "tags": ["ok"]},
        {"id": 4, "start": "20261103T090000Z", "end": "20261103T100000Z", "tags": "ok"},
        {"id": 3, "start": "20261104T090000Z", "end": 5},
        {"id": 2, "end": "20261105T100000Z"},
        ["not", "an", "object"],
        {"id": 1, "start": "20261106T090000Z", "end": "20261106T100000Z", "annotation": 7},
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(rows), encoding="utf-8")

    imported = read_timewarrior(path)

    assert [e.uid for e in imported.entries] == ["20261102T090000Z"]
    reasons = _problems(imported)
    assert "tags" in reasons["20261103T090000Z"]
    assert "end is not a time" in reasons["20261104T090000Z"]
    assert "annotation" in reasons["20261106T090000Z"]
    unnamed = [p.reason for p in imported.problems if p.uid is None]
    assert unnamed == [
        "interval 4: the start is missing or not a time; skipped",
        "interval 5: not an object; skipped",
    ]


def test_problem_lines_never_carry_control_characters() -> None:
    line = 'inc \x1b]0;pwned\x07 - 20261102T100000Z # x\ninc 20261103T090000Z # "\x1b[31m"'
    imported = read_timewarrior("-", data=line.encode())

    assert imported.problems
    assert all(ch.isprintable() for p in imported.problems for ch in str(p))
    assert imported.running is not None
    assert imported.running.title == "\x1b[31m"  # kept as data; escaping is for display


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"[{", "not valid JSON"),
        (b'{"start": "20261102T090000Z"}', "neither"),
        (b"hello world", "neither"),
    ],
)
def test_input_that_is_not_timewarriors_is_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_timewarrior("-", data=data)
    assert message in caught.value.message
    assert caught.value.exit_code == 4


def test_a_bad_byte_costs_one_character_not_the_history() -> None:
    # Timewarrior 1.4 writes "\ud83d" typed in a tag as the bytes of a lone surrogate.
    data = b"inc 20261102T090000Z - 20261102T100000Z # caf\xed\xa0\xbd x\n"

    imported = read_timewarrior("-", data=data)

    assert imported.entries[0].tags == ("caf\ufffd\ufffd\ufffd", "x")
    (problem,) = imported.problems
    assert problem.reason == "not valid UTF-8 (byte 45); unreadable bytes were replaced"


def test_missing_sources_are_input_errors_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_timewarrior(tmp_path / "nope.json")
    assert "no such file or directory" in caught.value.message
    assert caught.value.hint is not None and "timew export" in caught.value.hint

    with pytest.raises(InputError, match="no Timewarrior data files"):
        read_timewarrior(tmp_path)
    with pytest.raises(InputError, match="nothing on standard input"):
        read_timewarrior("-")


def test_an_empty_database_is_an_empty_history(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tags.data").write_text("{}\n", encoding="utf-8")

    imported = read_timewarrior(tmp_path)

    assert (imported.entries, imported.running, imported.window) == ((), None, None)


def test_the_default_directory_is_timewarriordb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "history", tmp_path / "db")
    monkeypatch.setenv("TIMEWARRIORDB", str(tmp_path / "db"))

    assert default_timewarrior_dir() == tmp_path / "db"
    assert len(read_timewarrior().entries) == 8


# --------------------------------------------------------------------------- the real timew


def _timew(db: Path, *args: str) -> str:
    assert TIMEW is not None
    env = {**os.environ, "TIMEWARRIORDB": str(db), "TZ": ZONE}
    done = subprocess.run(
        [TIMEW, *args, ":yes"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@needs_timew
def test_a_history_written_by_timew_now(tmp_path: Path) -> None:
    db = tmp_path / "timewarrior"
    db.mkdir()
    (db / "timewarrior.cfg").write_text("", encoding="utf-8")
    _timew(db, "track", "2026-10-29T22:00", "-", "2026-10-30T01:30", "incident", "on,call")
    _timew(db, "track", "2026-11-01T00:30", "-", "2026-11-01T03:00", "migration")
    _timew(db, "track", "2026-11-01T22:00", "-", "2026-11-02T02:00", "deploy", "tag two")
    _timew(db, "annotate", "@1", 'shipped "v2" # finally')
    _timew(db, "track", "2026-11-10T09:00", "-", "2026-11-10T12:00", "rfc")
    _timew(db, "start", "2026-11-16T09:00", "hiring")
    summary = {
        monday: _timew(
            db, "summary", monday.isoformat(), "-", (monday + timedelta(days=7)).isoformat()
        )
        .strip()
        .splitlines()[-1]
        .strip()
        for monday in MONDAYS
    }
    export = _timew(db, "export").encode()

    imported = read_timewarrior(db)

    assert _seconds_per_week(imported.entries) == {
        monday: _seconds(total) for monday, total in summary.items()
    }
    assert summary == {MONDAYS[0]: "9:00:00", MONDAYS[1]: "2:00:00", MONDAYS[2]: "3:00:00"}
    assert read_timewarrior("-", data=export) == imported
    deploy = next(e for e in imported.entries if e.title == "deploy, tag two")
    assert deploy.note == 'shipped "v2" # finally'
    assert imported.entries[0].tags == ("incident", "on call")
    assert imported.running == RunningTimer("hiring", _at("20261116T140000Z"), ("hiring",))
