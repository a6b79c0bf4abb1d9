"""``leadtime import`` end to end: idempotence, updates, exclusions, sources, transactions."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import CORPUS, Home, Result, Run

# Berlin is UTC+1 in November. Three weekly 1:1s (the second moved), a review, a declined
# meeting and an all-day offsite. Times below are written out by hand from this text.
TEAM_ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
X-WR-CALNAME:Team
BEGIN:VEVENT
UID:one-on-one@example.com
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261102T100000
DTEND;TZID=Europe/Berlin:20261102T103000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:1:1 Ana / Dana
END:VEVENT
BEGIN:VEVENT
UID:one-on-one@example.com
RECURRENCE-ID;TZID=Europe/Berlin:20261109T100000
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Berlin:20261109T150000
DTEND;TZID=Europe/Berlin:20261109T153000
SUMMARY:1:1 Ana / Dana (moved)
END:VEVENT
BEGIN:VEVENT
UID:review@example.com
DTSTAMP:20261101T000000Z
DTSTART:20261104T130000Z
DTEND:20261104T140000Z
SUMMARY:Design review: event bus RFC
END:VEVENT
BEGIN:VEVENT
UID:declined@example.com
DTSTAMP:20261101T000000Z
DTSTART:20261105T090000Z
DTEND:20261105T100000Z
SUMMARY:Marketing sync
ATTENDEE;PARTSTAT=DECLINED:mailto:dana@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com
END:VEVENT
BEGIN:VEVENT
UID:offsite@example.com
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261106
DTEND;VALUE=DATE:20261107
SUMMARY:Offsite
END:VEVENT
END:VCALENDAR
"""


def write_ics(path: Path, text: str) -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode())
    return path


def listing(cli: Run, *args: str) -> list[dict]:
    result = cli("ls", "--format", "json", "--from", "2026-11-01", "--to", "2026-11-30", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def team(home: Home, tmp_path: Path) -> Path:
    home.config.write_text('timezone = "Europe/Berlin"\nme = ["dana@example.com"]\n')
    return write_ics(tmp_path / "team.ics", TEAM_ICS)


def test_import_counts_instances_and_keeps_exclusions_visible(cli: Run, team: Path) -> None:
    result = cli("import", str(team))
    assert result.exit_code == 0, result.stderr
    assert "5 events, 4 instances counted, excluded: 1 all-day, 1 declined" in result.stdout
    counted = {(e["title"], e["start"], e["end"]) for e in listing(cli)}
    assert counted == {
        ("1:1 Ana / Dana", "2026-11-02T09:00:00Z", "2026-11-02T09:30:00Z"),
        ("1:1 Ana / Dana (moved)", "2026-11-09T14:00:00Z", "2026-11-09T14:30:00Z"),
        ("1:1 Ana / Dana", "2026-11-16T09:00:00Z", "2026-11-16T09:30:00Z"),
        ("Design review: event bus RFC", "2026-11-04T13:00:00Z", "2026-11-04T14:00:00Z"),
    }
    excluded = {(e["title"], e["excluded"]) for e in listing(cli, "--excluded")}
    assert excluded == {("Marketing sync", "declined"), ("Offsite", "all-day")}
    assert {e["category"] for e in listing(cli)} == {"leadership"}


def test_reimport_is_idempotent(cli: Run, team: Path) -> None:
    cli("import", str(team))
    first = listing(cli)
    again = cli("import", str(team))
    assert again.stdout.rstrip().endswith(": unchanged")  # the same bytes: not parsed again
    assert listing(cli) == first
    # Read again with other parameters (another address of yours): parsed, and nothing moves.
    reread = cli("import", str(team), "--me", "someone@example.com")
    assert "0 added, 0 updated, 0 removed, 6 unchanged" in reread.stdout
    assert listing(cli) == first


def test_a_changed_file_is_read_again(cli: Run, team: Path) -> None:
    cli("import", str(team))
    team.write_bytes(team.read_bytes().replace(b"Marketing sync", b"Marketing review"))
    again = cli("import", str(team))
    assert "1 updated" in again.stdout


def test_changed_source_updates_adds_removes_and_keeps_manual_choices(cli: Run, team: Path) -> None:
    cli("import", str(team))
    review = next(e for e in listing(cli) if e["title"].startswith("Design review"))
    assert cli("classify", review["id"], "hands-on:spike").exit_code == 0
    changed = (
        TEAM_ICS.replace(
            "SUMMARY:Design review: event bus RFC", "SUMMARY:Design review: bus RFC v2"
        )
        .replace("RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=WEEKLY;COUNT=2")
        .replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\nUID:new@example.com\nDTSTAMP:20261101T000000Z\n"
            "DTSTART:20261112T100000Z\nDTEND:20261112T110000Z\nSUMMARY:Hiring interview\n"
            "END:VEVENT\nEND:VCALENDAR",
        )
    )
    write_ics(team, changed)
    result = cli("import", str(team))
    assert "1 added, 1 updated, 1 removed, 4 unchanged" in result.stdout
    after = {e["id"]: e for e in listing(cli)}
    assert after[review["id"]]["title"] == "Design review: bus RFC v2"
    assert after[review["id"]]["decided_by"] == "manual"
    assert after[review["id"]]["category"] == "hands-on"
    assert "2026-11-16T09:00:00Z" not in {e["start"] for e in after.values()}


def test_dry_run_writes_nothing(cli: Run, team: Path) -> None:
    result = cli("import", "--dry-run", str(team))
    assert result.exit_code == 0 and "would import 'team'" in result.stdout
    assert listing(cli) == []
    assert "no calendars imported yet" in cli("calendars").stdout


def test_remembered_sources_reimport_and_calendars_list(cli: Run, team: Path) -> None:
    cli("import", str(team), "--calendar", "work")
    result = cli("import")
    assert result.exit_code == 0 and f"'work' from {team}: unchanged" in result.stdout
    table = cli("calendars").stdout
    assert table.splitlines()[1].startswith("work ")
    assert "2026-11-20 18:00" in table


def test_import_with_no_source_and_nothing_remembered(cli: Run) -> None:
    result = cli("import")
    assert result.exit_code == 2 and "hint:" in result.stderr


def test_missing_file_is_exit_4(cli: Run, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.ics"))
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ") and "nope.ics" in result.stderr


def test_strict_turns_problems_into_exit_4_with_nothing_written(
    cli: Run, home: Home, team: Path, tmp_path: Path
) -> None:
    broken = TEAM_ICS.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\nUID:bad@example.com\nDTSTART:not-a-date\nSUMMARY:Broken\nEND:VEVENT\n"
        "END:VCALENDAR",
    )
    path = write_ics(tmp_path / "broken.ics", broken)
    strict = cli("import", "--strict", str(path))
    assert strict.exit_code == 4
    assert "bad@example.com" in strict.stderr
    assert listing(cli) == []
    lenient = cli("import", str(path))
    assert lenient.exit_code == 0
    assert "warning: " in lenient.stderr and "bad@example.com" in lenient.stderr
    assert len(listing(cli)) == 4


def test_standard_input_and_me_option(cli: Run) -> None:
    args = ("import", "-", "--calendar", "piped", "--me", "Dana@Example.com")
    result = cli(*args, input=TEAM_ICS)
    assert result.exit_code == 0, result.stderr
    assert len(listing(cli)) == 4


# --------------------------------------------------------------------------- URLs


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        status, kind, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.routes = {
        "/secret/basic.ics": (200, "text/calendar", TEAM_ICS.encode()),
        "/login": (200, "text/html", b"<html><body>Please sign in</body></html>"),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_import_from_url_and_reimport_by_name(cli: Run, team: Path, server: str) -> None:
    result = cli("import", f"http://{server}/secret/basic.ics", "--calendar", "google")
    assert result.exit_code == 0, result.stderr
    assert len(listing(cli)) == 4
    assert "unchanged" in cli("import", "--calendar", "google").stdout


@pytest.mark.parametrize("path", ["/missing.ics", "/login"])
def test_bad_url_responses_are_exit_4(cli: Run, server: str, path: str) -> None:
    result = cli("import", f"http://{server}{path}")
    assert result.exit_code == 4
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) <= 2


def test_unreachable_url_is_exit_4(cli: Run) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens
    result = cli("import", f"http://127.0.0.1:{port}/cal.ics")
    assert result.exit_code == 4 and result.stderr.startswith("error: ")


# --------------------------------------------------------------------------- transactions


def _big_calendar(path: Path, events: int) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Test//EN"]
    for n in range(events):
        day = 1 + n % 28
        lines += [
            "BEGIN:VEVENT", f"UID:event-{n}@example.com", "DTSTAMP:20260101T000000Z",
            f"DTSTART:202601{day:02d}T{8 + n % 9:02d}0000Z",
            f"DTEND:202601{day:02d}T{8 + n % 9:02d}3000Z",
            "RRULE:FREQ=WEEKLY;COUNT=20", f"SUMMARY:Code review {n}", "END:VEVENT",
        ]  # fmt: skip
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def _rows(home: Home) -> int:
    with sqlite3.connect(home.db) as conn:
        return conn.execute("SELECT count(*) FROM entries").fetchone()[0]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_import_leaves_the_database_as_it_was(
    home: Home, proc: Run, tmp_path: Path, sig: signal.Signals
) -> None:
    assert proc("log", "Before the import", "30m").exit_code == 0
    calendar = _big_calendar(tmp_path / "big.ics", 1500)  # 30,000 instances
    wal = home.path / "leadtime.db-wal"
    start_size = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen(
        [sys.executable, "-m", "leadtime", "import", str(calendar)],
        env=home.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 256 * 1024:  # writing, mid-way
            break
        time.sleep(0.002)
    assert child.poll() is None, "the import finished before it could be interrupted"
    child.send_signal(sig)
    code = child.wait(timeout=60)
    assert code != 0
    if sig == signal.SIGINT:
        assert code == 130 and "nothing was written" in (
            child.stderr.read() if child.stderr else ""
        )
    assert _rows(home) == 1
    assert proc("import", str(calendar)).exit_code == 0
    assert _rows(home) == 1 + 30_000


# --------------------------------------------------------------------------- the corpus


def _corpus(kind: str) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(CORPUS.rglob("*.ics"))
    malformed = CORPUS / "malformed"
    return [f for f in files if (malformed in f.parents) == (kind == "malformed")]


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/ics-corpus is not beside the repo")
@pytest.mark.parametrize("path", _corpus("good"), ids=_id)
def test_corpus_calendar_imports_cleanly(cli: Run, path: Path) -> None:
    result = cli("import", str(path), "--calendar", "corpus", "--since", "2000-01-01")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/ics-corpus is not beside the repo")
@pytest.mark.parametrize("path", _corpus("malformed"), ids=_id)
def test_malformed_corpus_file_warns_or_fails_cleanly(cli: Run, home: Home, path: Path) -> None:
    result = cli("import", str(path), "--calendar", "corpus")
    assert result.exit_code in (0, 4), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 4:
        assert result.stderr.startswith("error: ")
    strict = cli("import", "--strict", str(path), "--calendar", "strict")
    if strict.exit_code == 4:
        with sqlite3.connect(home.db) as conn:
            query = "SELECT count(*) FROM entries WHERE calendar = 'strict'"
            assert conn.execute(query).fetchone() == (0,)
    else:
        assert strict.exit_code == 0 and "warning:" not in strict.stderr


# --------------------------------------------------------------------------- no clock

ALL_EXAMPLES = CORPUS / "apple_ccs-calendarserver" / "2445AllExamples.ics"

# Installed as sitecustomize in the child: every look at a clock is 100 s after the last,
# as on a machine so loaded that each step of the import takes minutes.
SLOWED_CLOCK = """\
import time

_late = [0.0]


def _slowed(read):
    def slowed(*args):
        _late[0] += 100.0
        return read(*args) + _late[0]

    return slowed


for _name in ("monotonic", "perf_counter", "time", "process_time"):
    setattr(time, _name, _slowed(getattr(time, _name)))
"""


def _imported(proc: Run, home: Path, env: dict[str, str]) -> tuple[Result, list[str]]:
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    env = {"LEADTIME_HOME": str(home), **env}
    result = proc("import", str(ALL_EXAMPLES), "--calendar", "rfc", env=env)
    assert result.exit_code == 0, result.stderr
    exported = proc("export", env=env)
    assert exported.exit_code == 0, exported.stderr
    return result, exported.stdout.splitlines()[1:]  # without the header line


@pytest.mark.slow
@pytest.mark.skipif(not ALL_EXAMPLES.is_file(), reason="../shared/ics-corpus is not there")
def test_the_calendar_that_hit_the_time_limit_imports_the_same_on_a_slowed_clock(
    proc: Run, tmp_path: Path
) -> None:
    # It printed "reading took more than 5.05 s; recurring events not expanded (3)": what
    # was imported depended on the machine's speed and load.
    fast, entries = _imported(proc, tmp_path / "fast", {})
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOWED_CLOCK, encoding="utf-8")
    slowed, slowed_entries = _imported(proc, tmp_path / "slowed", {"PYTHONPATH": str(site)})
    assert slowed_entries == entries
    assert slowed.stderr == fast.stderr
    per_uid = Counter(json.loads(line)["uid"] for line in entries)
    # Three series the clock used to leave out. Every 20 minutes from 9:00 to 16:40 since
    # 1997-09-02: 100,000 candidates, a period counting 3, are 33,333 periods of 20 minutes,
    # 462 days and 23 hours: 463 days of 24 instances.
    assert per_uid["RExample36b"] == 463 * 24
    assert (
        "RExample36b: the recurrence rule examines more than 100000 candidate times before "
        "the end of the window; only its instances up to 1998-12-09T" in fast.stderr
    )
    # every other week on Tuesday and Sunday, COUNT=4
    assert per_uid["RExample37a"] == per_uid["RExample37b"] == 4
    assert "took more than" not in fast.stderr
    assert "not expanded" not in fast.stderr
