"""Backups that always restore: every door lets in only what the store keeps, and
``export`` then ``restore`` into an empty home gives back the same entries and sources.

The doors are log, the timer, edit, each import and restore; they share one validation
(``leadtime.entry.entry_problem``). Imports cut what is too long and leave out what is out
of range, each with a warning, instead of storing what a restore would then refuse.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.entry import Entry, Origin

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//backups//EN\r\n"


def event(uid: str, start: str, end: str, title: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{end}\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\n"
    )


def calendar(path: Path, *events: str) -> Path:
    path.write_text(HEAD + "".join(events) + "END:VCALENDAR\r\n", encoding="utf-8")
    return path


def records(cli: Run, env: dict[str, str] | None = None) -> list[dict]:
    """Every entry as export writes it, by id."""
    done = cli("export", env=env)
    assert done.exit_code == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    return sorted(lines[1:], key=lambda record: record["id"])


def restored_elsewhere(cli: Run, tmp_path: Path, backup: Path) -> tuple[dict[str, str], str]:
    """Restore ``backup`` into a new, empty home; that home's environment and the output."""
    other = tmp_path / "new-machine"
    other.mkdir()
    (other / "config.toml").write_text('timezone = "Europe/Berlin"\n')
    env = {"LEADTIME_HOME": str(other)}
    done = cli("restore", str(backup), env=env)
    assert done.exit_code == 0, done.stderr
    return env, done.stdout + done.stderr


# --------------------------------------------------------------------------- imports


def test_an_invite_lasting_four_years_is_cut_and_the_whole_backup_restores(
    cli: Run, tmp_path: Path
) -> None:
    work = calendar(
        tmp_path / "work.ics",
        event("forever@x", "20251117T090000Z", "20291117T090000Z", "Company offsite"),
        event("standup@x", "20261117T090000Z", "20261117T091500Z", "Standup"),
    )
    imported = cli("import", str(work))
    assert imported.exit_code == 0, imported.stderr
    assert (
        f"warning: {work}: forever@x: it lasted 1461 days: cut to end at 2026-11-18 09:00 UTC"
        in imported.stderr
    )
    assert cli("log", "Reviewed the auth RFC", "45m", "--at", "2026-11-18 10:00").exit_code == 0
    before = records(cli)
    offsite = next(r for r in before if r["title"] == "Company offsite")
    assert (offsite["start"], offsite["end"]) == ("2025-11-17T09:00:00Z", "2026-11-18T09:00:00Z")
    backup = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(backup)).exit_code == 0
    env, said = restored_elsewhere(cli, tmp_path, backup)
    assert "restored 3 entries, 1 sources" in said and "warning" not in said
    assert records(cli, env) == before
    calendar(  # read again, the same event is cut the same way: unchanged
        work,
        event("forever@x", "20251117T090000Z", "20291117T090000Z", "Company offsite"),
        event("standup@x", "20261117T090000Z", "20261117T091500Z", "Standup"),
        event("new@x", "20261119T090000Z", "20261119T091500Z", "Retro"),
    )
    again = cli("import", str(work))
    assert "1 added, 0 updated, 0 removed, 2 unchanged" in again.stdout


def watson_home(folder: Path, frames: list[list[object]], state: dict | None = None) -> Path:
    folder.mkdir()
    (folder / "frames").write_text(json.dumps(frames))
    (folder / "state").write_text(json.dumps(state or {}))
    return folder


def stamp(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def test_watson_frames_a_year_ahead_or_before_1970_are_left_out_with_a_warning(
    cli: Run, tmp_path: Path
) -> None:
    frames = [
        [stamp("2026-11-18T09:00:00Z"), stamp("2026-11-18T10:00:00Z"), "api", "f1", [], 0],
        [stamp("2030-01-07T09:00:00Z"), stamp("2030-01-07T10:00:00Z"), "api", "f2", [], 0],
        [-86_400 * 30, -86_400 * 30 + 3600, "api", "f3", [], 0],
    ]
    folder = watson_home(tmp_path / "watson", frames)
    done = cli("import", "watson", str(folder))
    assert done.exit_code == 0, done.stderr
    assert "f2: the entry would start on 2030-01-07, more than a year from now; left out" in (
        done.stderr
    )
    assert "f3: the entry would start at 1969-12-02 00:00 UTC; the earliest" in done.stderr
    assert [r["uid"] for r in records(cli)] == ["f1"]


def test_a_timewarrior_interval_running_since_9999_is_not_started(cli: Run, tmp_path: Path) -> None:
    export = tmp_path / "timew.json"
    export.write_text(
        json.dumps(
            [
                {"id": 2, "start": "20261118T090000Z", "end": "20261118T100000Z", "tags": ["a"]},
                {"id": 1, "start": "99991231T000000Z", "tags": ["far"]},
            ]
        )
    )
    done = cli("import", "timewarrior", str(export))
    assert done.exit_code == 0, done.stderr
    assert "the running timer 'far' starts at 9999-12-31 00:00 UTC" in done.stderr
    assert "not started" in done.stderr
    status = cli("status")
    assert status.stdout == "no timer running\n"


def test_status_never_shows_a_negative_duration(cli: Run) -> None:
    assert cli("start", "Spike: new parser").exit_code == 0
    earlier = cli("status", "--format", "json", env={"LEADTIME_NOW": "2026-11-20T17:00:00+01:00"})
    assert json.loads(earlier.stdout)["minutes"] == 0
    shown = cli("status", env={"LEADTIME_NOW": "2026-11-20T17:00:00+01:00"})
    assert shown.stdout.endswith("(0m)\n"), shown.stdout


def entry(origin: Origin, start: datetime, length: timedelta, **fields: object) -> Entry:
    values: dict = {"start": start, "end": start + length, "title": "x", "origin": origin}
    values.update(fields)
    return Entry(**values)


MONDAY = datetime(2026, 11, 16, 9, tzinfo=UTC)
A_YEAR = timedelta(days=366)  # the longest a calendar event or a git session is kept
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)  # the earliest start kept
LATEST = datetime(9998, 12, 31, tzinfo=UTC)  # the latest end kept


@pytest.mark.parametrize(
    ("given", "kept_end", "said"),
    [
        (entry(Origin.GIT, MONDAY, timedelta(days=694)), MONDAY + A_YEAR, "694 days: cut"),
        (entry(Origin.ICS, MONDAY, timedelta(0)), MONDAY, None),  # a calendar event may be 0
        (entry(Origin.WATSON, MONDAY, timedelta(hours=30)), None, "30.0 h; at most 24 h"),
        (entry(Origin.WATSON, MONDAY, timedelta(0)), None, "zero minutes; left out"),
        (entry(Origin.ICS, LATEST - timedelta(hours=1), timedelta(hours=2)), None, "the latest"),
        (entry(Origin.ICS, EARLIEST - timedelta(hours=1), timedelta(hours=2)), None, "earliest"),
        (entry(Origin.ICS, MONDAY, timedelta(hours=1), attendees=-1), MONDAY + timedelta(hours=1),
         "-1 attendees: counted as 0"),
        (entry(Origin.ICS, MONDAY, timedelta(hours=1), title=" "), None, "title is empty"),
        (entry(Origin.LOG, MONDAY, timedelta(hours=1), calendar="work", uid="u"),
         MONDAY + timedelta(hours=1), "belongs to no calendar"),
    ],
)  # fmt: skip
def test_admit_cuts_what_is_too_long_and_leaves_out_what_is_out_of_range(
    given: Entry, kept_end: datetime | None, said: str | None
) -> None:
    from leadtime.app.entries import admit
    from leadtime.entry import entry_problem

    done = admit([given], now=datetime(2026, 11, 20, tzinfo=UTC))
    if kept_end is None:
        assert done.entries == ()
    else:
        (kept,) = done.entries
        assert kept.end == kept_end and entry_problem(kept) is None
    if said is None:
        assert done.changed == ()
    else:
        ((original, what),) = done.changed
        assert original is given and said in what


# --------------------------------------------------------------------------- sources


def test_restore_brings_back_the_sources_so_the_next_refresh_reads_them(
    cli: Run, tmp_path: Path
) -> None:
    work = calendar(
        tmp_path / "work.ics", event("a@x", "20261117T090000Z", "20261117T100000Z", "Planning")
    )
    assert cli("import", str(work)).exit_code == 0
    folder = watson_home(
        tmp_path / "watson",
        [[stamp("2026-11-18T09:00:00Z"), stamp("2026-11-18T10:00:00Z"), "api", "f1", [], 0]],
    )
    assert cli("import", "watson", str(folder)).exit_code == 0
    listed = json.loads(cli("calendars", "--format", "json").stdout)
    backup = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(backup)).exit_code == 0
    env, said = restored_elsewhere(cli, tmp_path, backup)
    assert "restored 2 entries, 2 sources" in said
    assert json.loads(cli("calendars", "--format", "json", env=env).stdout) == listed
    # The calendar changed since the backup: the refresh of everything reads it again.
    calendar(work, event("a@x", "20261117T090000Z", "20261117T110000Z", "Planning, longer"))
    refreshed = cli("import", env=env)
    assert refreshed.exit_code == 0, refreshed.stderr
    assert "'work' from" in refreshed.stdout and "1 updated" in refreshed.stdout
    assert "'watson' from" in refreshed.stdout and "1 unchanged" in refreshed.stdout


class _Feed(BaseHTTPRequestHandler):
    body = HEAD + event("f@x", "20261117T090000Z", "20261117T100000Z", "Feed") + "END:VCALENDAR"

    def do_GET(self) -> None:
        data = self.body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


TOKEN = "3f9a1c0b2d4e6f8a9b7c5d3e1f0a2b4c"


def test_a_feed_with_a_secret_address_is_named_for_import_again_never_written(
    cli: Run, tmp_path: Path, feed: str
) -> None:
    secret = f"{feed}/calendar/ical/jane%40example.com/private-{TOKEN}/basic.ics"
    assert cli("import", secret, "--calendar", "team").exit_code == 0
    backup = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(backup)).exit_code == 0
    assert TOKEN not in backup.read_text()
    env, said = restored_elsewhere(cli, tmp_path, backup)
    assert "restored 1 entries\n" in said
    assert (
        "note: 'team' (http://127.0.0.1:" in said
        and "/private-…/basic.ics) was not re-created: exports leave its secret address out; "
        "import it again: leadtime import ADDRESS --calendar team"
        in said
    )
    assert json.loads(cli("calendars", "--format", "json", env=env).stdout) == []
    # Imported again by its address, the calendar takes over the restored entry.
    again = cli("import", secret, "--calendar", "team", env=env)
    assert again.exit_code == 0, again.stderr
    assert "0 added, 0 updated, 0 removed, 1 unchanged" in again.stdout


def test_a_restored_log_entry_naming_a_calendar_is_not_taken_over_by_its_import(
    cli: Run, home: Home, tmp_path: Path
) -> None:
    """A hand-edited (or older) backup gives a logged entry a calendar and a UID; a later
    import of that calendar must neither rewrite nor remove it."""
    record = {
        "id": "ab12cd34", "start": "2026-11-17T09:00:00Z", "end": "2026-11-17T10:00:00Z",
        "title": "What I really did", "origin": "log", "calendar": "work", "uid": "a@x",
    }  # fmt: skip
    backup = tmp_path / "edited.jsonl"
    header = json.dumps({"format": "leadtime-export", "version": 1})
    backup.write_text(header + "\n" + json.dumps(record) + "\n")
    restored = cli("restore", str(backup))
    assert restored.exit_code == 0 and "belongs to no calendar" in restored.stderr
    work = calendar(
        tmp_path / "work.ics", event("a@x", "20261117T090000Z", "20261117T100000Z", "Meeting")
    )
    assert cli("import", str(work), "--calendar", "work").exit_code == 0
    found = {r["id"]: r for r in records(cli)}
    logged = found["ab12cd34"]
    assert (logged["title"], logged["origin"], logged["calendar"]) == (
        "What I really did", "log", None,
    )  # fmt: skip
    assert sorted(r["origin"] for r in found.values()) == ["ics", "log"]


def test_an_export_header_with_a_huge_number_is_an_input_error(cli: Run, tmp_path: Path) -> None:
    backup = tmp_path / "huge.jsonl"
    backup.write_text('{"format": "leadtime-export", "version": ' + "1" * 5000 + "}\n")
    done = cli("restore", str(backup))
    assert done.exit_code == 4
    assert done.stderr.startswith(f"error: {backup} is not a leadtime export")
    line = '{"id": "ab12cd34", "attendees": ' + "9" * 5000 + "}"
    backup.write_text('{"format": "leadtime-export", "version": 1}\n' + line + "\n")
    done = cli("restore", str(backup))
    assert done.exit_code == 4
    assert done.stderr == (
        f"error: {backup}:2: bad entry: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits; nothing was restored\n"
    )
