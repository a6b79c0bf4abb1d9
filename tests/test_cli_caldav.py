"""``leadtime import caldav+http://...`` against a real Radicale server started by the tests:
the synced entries and the report equal a file import of the same calendar, later syncs
carry exactly the server's changes, and the password never leaves the environment."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import urlsplit

import pytest

from conftest import Home, Run
from test_caldav import (  # the Radicale server and its helpers
    CORPUS,
    EVENT,
    PASSWORD,
    USER,
    _make_calendar,
    _put_all,
    needs_corpus,
    radicale,  # noqa: F401  (a fixture)
    split_by_uid,
)

CALENDAR = "pimutils_khal/mult_uids_and_recuid_no_order.ics"


def address(base: str, cal_id: str) -> str:
    return base.replace("http://", f"caldav+http://{USER}@") + f"/{USER}/{cal_id}/"


def entries(cli: Run, *args: str) -> list[dict]:
    result = cli("ls", "--format", "json", "--from", "2010-01-01", "--to", "2027-12-31", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def comparable(found: list[dict]) -> list[tuple]:
    keys = ("start", "end", "title", "uid", "recurrence_id", "category", "excluded")
    return sorted(tuple(e[k] for k in keys) for e in found)


@needs_corpus
def test_a_synced_calendar_equals_a_file_import(
    radicale: str,  # noqa: F811
    cli: Run,
    home: Home,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = (CORPUS / CALENDAR).read_bytes()
    _make_calendar(radicale, "khal", "khal")
    _put_all(radicale, "khal", split_by_uid(original))
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)
    synced = cli("import", address(radicale, "khal"))
    assert synced.exit_code == 0, synced.stderr
    assert PASSWORD not in synced.stdout + synced.stderr
    from_server = entries(cli, "--calendar", "khal")
    copy = tmp_path / "khal-file.ics"
    copy.write_bytes(original)
    assert cli("import", str(copy), "--calendar", "file").exit_code == 0
    from_file = entries(cli, "--calendar", "file")
    assert from_server and comparable(from_server) == comparable(from_file)
    weeks = ("--from", "2014-01-01", "--to", "2014-12-31", "--format", "json")
    by_server = json.loads(cli("report", "--calendar", "khal", *weeks).stdout)
    by_file = json.loads(cli("report", "--calendar", "file", *weeks).stdout)
    assert by_server["weeks"] == by_file["weeks"]
    listed = json.loads(cli("calendars", "--format", "json").stdout)
    assert {c["name"]: c["kind"] for c in listed} == {"khal": "caldav", "file": "ics"}
    assert all(PASSWORD not in json.dumps(c) for c in listed)
    assert PASSWORD.encode() not in home.db.read_bytes()


def test_later_syncs_carry_exactly_the_changes(
    radicale: str,  # noqa: F811
    cli: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = _make_calendar(radicale, "team", "Team")
    for n in range(4):
        start, end = f"2026111{n}T100000Z", f"2026111{n}T110000Z"
        server.save_event(EVENT.format(uid=f"ev{n}", start=start, end=end, title=f"Sync {n}"))
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)
    first = cli("import", address(radicale, "team"))
    assert first.exit_code == 0, first.stderr
    assert "4 added" in first.stdout
    again = cli("import")  # remembered: a bare import syncs it again
    assert again.exit_code == 0 and "unchanged" in again.stdout, again.stdout

    server.put("ev1.ics", server.get("ev1.ics").replace("SUMMARY:Sync 1", "SUMMARY:Design review"))
    server.save_event(
        EVENT.format(uid="ev9", start="20261119T100000Z", end="20261119T110000Z", title="New")
    )
    server.delete("ev3.ics")

    later = cli("import")
    assert later.exit_code == 0, later.stderr
    assert "1 added, 1 updated, 1 removed, 2 unchanged" in later.stdout
    titles = sorted(e["title"] for e in entries(cli, "--calendar", "team"))
    assert titles == ["Design review", "New", "Sync 0", "Sync 2"]


def test_a_wrong_password_writes_nothing(
    radicale: str,  # noqa: F811
    cli: Run,
    home: Home,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _make_calendar(radicale, "locked", "Locked")
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", "not-the-password")
    result = cli("import", address(radicale, "locked"))
    assert result.exit_code == 4
    assert result.stderr.startswith("error:") and "not-the-password" not in result.stderr
    assert json.loads(cli("calendars", "--format", "json").stdout) == []


@pytest.fixture
def counted(radicale: str) -> Iterator[tuple[str, list[str]]]:  # noqa: F811
    """A forwarding proxy on 127.0.0.1 in front of Radicale: (its base URL, the requests seen
    as "METHOD PATH")."""
    seen: list[str] = []
    target = urlsplit(radicale)

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def forward(self) -> None:
            seen.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            upstream.request(self.command, self.path, body, headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_PROPFIND = do_REPORT = do_OPTIONS = forward  # what a sync sends

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}", seen
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_an_unchanged_remembered_calendar_costs_one_request(
    radicale: str,  # noqa: F811
    counted: tuple[str, list[str]],
    cli: Run,
    home: Home,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, seen = counted  # leadtime goes through the proxy; the calendar is made directly
    server = _make_calendar(radicale, "quiet", "Quiet")
    for n in range(3):
        start, end = f"2026111{n}T100000Z", f"2026111{n}T110000Z"
        server.save_event(EVENT.format(uid=f"q{n}", start=start, end=end, title=f"Quiet {n}"))
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)
    first = cli("import", address(base, "quiet"))
    assert first.exit_code == 0, first.stderr
    assert "3 added" in first.stdout
    seen.clear()
    for sources in ((), (address(base, "quiet"),)):  # remembered; named by its own address
        again = subprocess.run(
            [sys.executable, "-m", "leadtime", "import", *sources],
            capture_output=True, text=True, timeout=60,
            env=home.env(LEADTIME_CALDAV_PASSWORD=PASSWORD),
        )  # fmt: skip
        assert again.returncode == 0, again.stderr[-2000:]
        assert "'quiet'" in again.stdout and "unchanged" in again.stdout, again.stdout
        assert seen == [f"REPORT /{USER}/quiet/"]  # the sync-collection report, nothing else
        seen.clear()

    server.save_event(
        EVENT.format(uid="q9", start="20261119T100000Z", end="20261119T110000Z", title="Later")
    )
    changed = cli("import")
    assert changed.exit_code == 0, changed.stderr
    assert "1 added, 0 updated, 0 removed, 3 unchanged" in changed.stdout, changed.stdout
    # The sync-collection report, then the multiget of the new event: no discovery, and
    # no request sent twice to be asked for credentials.
    assert seen == [f"REPORT /{USER}/quiet/", f"REPORT /{USER}/quiet/"]
    titles = sorted(e["title"] for e in entries(cli, "--calendar", "quiet"))
    assert titles == ["Later", "Quiet 0", "Quiet 1", "Quiet 2"]


def test_no_dependency_runs_code_at_every_interpreter_start() -> None:
    """The CalDAV client once came with urllib3-future (through caldav 3 and niquests),
    whose .pth file ran at every start of the interpreter (about 9 ms) and replaced urllib3
    for every other package: no package leadtime needs installs a .pth file that runs code."""
    import re
    from importlib import metadata

    seen: set[str] = set()
    todo = ["leadtime"]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not for this platform (a marker such as sys_platform == "win32")
        seen.add(name)
        for requirement in requirements:
            if "extra ==" in requirement:
                continue  # an optional extra: leadtime[test], [dev], [keyring]
            todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    assert "caldav" not in seen and "urllib3-future" not in seen and "niquests" not in seen
    running = [
        f"{name}: {file}"
        for name in sorted(seen)
        for file in metadata.distribution(name).files or []
        if file.suffix == ".pth"
        and any(line.startswith("import") for line in file.read_text().splitlines())
    ]
    assert running == []
