"""CalDAV against a real Radicale server on 127.0.0.1 with authentication on.

The server is started once per module (a subprocess with its own storage and htpasswd file
in a temporary folder) and stopped at the end. Calendars are created with MKCALENDAR through
the caldav library and filled with events from real calendars of the corpus, one object per
UID, as CalDAV clients store them.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from leadtime.errors import ExitCode, InputError, UsageError
from leadtime.sources.caldav import (
    CaldavAddress,
    RemoteCalendar,
    SyncBatch,
    caldav_password,
    discover,
    join_objects,
    parse_caldav_address,
    sync,
)
from leadtime.sources.ics import parse_calendar

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "ics-corpus"
USER = "jane"
PASSWORD = "correct-horse-battery-staple-42"
WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC))
FILES = [
    "ical4j_ical4j/google_aus_holidays.ics",
    "jens-maus_node-ical/recurrence-sequence.ics",
    "pimutils_khal/mult_uids_and_recuid_no_order.ics",
]
EVENT = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//leadtime tests//EN\r
BEGIN:VEVENT\r
UID:{uid}\r
DTSTAMP:20260101T000000Z\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:{title}\r
END:VEVENT\r
END:VCALENDAR\r
"""

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the ics corpus is not beside")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("radicale did not start")


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server with htpasswd authentication; yields its base URL."""
    root = tmp_path_factory.mktemp("radicale")
    (root / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    port = _free_port()
    config = root / "config"
    config.write_text(
        f"""[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {root / "users"}
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = {root / "collections"}
[rights]
type = owner_only
[logging]
level = error
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class ServerCalendar:
    """A calendar on the test server, written to as CalDAV clients do (MKCALENDAR, PUT,
    DELETE with httpx): what leadtime reads, made without leadtime."""

    base: str
    cal_id: str

    @property
    def url(self) -> str:
        return f"{self.base}/{USER}/{self.cal_id}/"

    def request(self, method: str, url: str, body: str | None = None) -> httpx.Response:
        headers = {"Content-Type": "text/calendar; charset=utf-8"} if body else {}
        response = httpx.request(
            method, url, content=body, headers=headers, auth=(USER, PASSWORD), timeout=30
        )
        assert response.status_code < 300, (method, url, response.status_code)
        return response

    def put(self, name: str, text: str) -> None:
        self.request("PUT", self.url + name, text)

    def save_event(self, text: str) -> None:
        """Store an event as ``UID.ics``, as CalDAV clients name them."""
        uid = re.search(r"^UID:(.*?)\r?$", text, re.MULTILINE)
        assert uid is not None
        self.put(uid.group(1) + ".ics", text)

    def get(self, name: str) -> str:
        return self.request("GET", self.url + name).text

    def delete(self, name: str = "") -> None:
        self.request("DELETE", self.url + name)


def _make_calendar(base: str, cal_id: str, name: str) -> ServerCalendar:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        f"<d:set><d:prop><d:displayname>{name}</d:displayname></d:prop></d:set>"
        "</c:mkcalendar>"
    )
    calendar = ServerCalendar(base, cal_id)
    response = httpx.request(
        "MKCALENDAR", calendar.url, content=body, auth=(USER, PASSWORD), timeout=30,
        headers={"Content-Type": "application/xml; charset=utf-8"},
    )  # fmt: skip
    assert response.status_code == 201, response.status_code
    return calendar


def _put_all(base: str, cal_id: str, pieces: list[bytes]) -> None:
    """Upload objects with plain PUTs (what a client does; fast enough for thousands)."""
    calendar = ServerCalendar(base, cal_id)
    for n, piece in enumerate(pieces):
        calendar.put(f"obj{n}.ics", piece.decode("utf-8"))


def split_by_uid(data: bytes) -> list[bytes]:
    """One VCALENDAR per UID: the calendar's properties, its time zones and that UID's events."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list[Any]] = {}
    for component in calendar.walk("VEVENT"):
        by_uid.setdefault(str(component["UID"]), []).append(component)
    objects = []
    for events in by_uid.values():
        single = icalendar.Calendar()
        for key, value in calendar.items():
            single.add(key, value)
        for component in [*zones, *events]:
            single.add_component(component)
        objects.append(single.to_ical())
    return objects


def _parse(data: bytes) -> set[tuple[Any, ...]]:
    parsed = parse_calendar(
        data,
        label="t",
        calendar="c",
        me=[],
        tz="Europe/Berlin",
        window_start=WINDOW[0],
        window_end=WINDOW[1],
    )
    return {
        (e.uid, e.recurrence_id, e.start, e.end, e.title, e.excluded is None)
        for e in parsed.entries
    }


def _address(base: str, path: str = "/") -> CaldavAddress:
    return parse_caldav_address(f"caldav+{base.replace('://', f'://{USER}@')}{path}")


def _remote(base: str, cal_id: str) -> RemoteCalendar:
    found = discover(_address(base, f"/{USER}/{cal_id}/"), PASSWORD, timeout=10)
    assert found.problems == ()
    (calendar,) = found.calendars
    return calendar


def _sync(calendar: RemoteCalendar, state: dict[str, Any], objects: dict[str, Any]) -> SyncBatch:
    return sync(calendar, PASSWORD, state=state, objects=objects, window=WINDOW, timeout=10)


# --------------------------------------------------------------------------- addresses, passwords


def test_address_keeps_the_user_and_refuses_a_password() -> None:
    address = parse_caldav_address("caldav+https://jane%40example.com@CalDAV.Example.com/dav/")
    assert address == CaldavAddress("https", "jane@example.com", "caldav.example.com", "/dav/")
    assert address.url == "https://caldav.example.com/dav/"
    assert str(address) == "caldav+https://jane%40example.com@caldav.example.com/dav/"
    same = parse_caldav_address("caldav+https://jane@example.com@caldav.example.com/dav/")
    assert same == address
    with pytest.raises(UsageError) as caught:
        parse_caldav_address("caldav+https://jane:hunter2@caldav.example.com/dav/")
    assert "hunter2" not in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    "text",
    ["https://jane@example.com/dav/", "caldav+https://example.com/dav/", "caldav+https://jane@/"],
)
def test_bad_addresses_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_caldav_address(text)


def test_password_from_the_environment_first() -> None:
    address = parse_caldav_address("caldav+https://jane@example.com/dav/")
    asked: list[str] = []
    password = caldav_password(
        address,
        environ={"LEADTIME_CALDAV_PASSWORD": "from-env"},
        prompt=asked.append,  # type: ignore[arg-type]
        keyring_lookup=lambda service, user: "from-keyring",
    )
    assert password == "from-env" and asked == []


def test_password_from_the_keyring_then_the_prompt() -> None:
    address = parse_caldav_address("caldav+https://jane@example.com/dav/")
    store = {("leadtime:example.com", "jane"): "from-keyring"}
    assert (
        caldav_password(
            address, environ={}, prompt=None, keyring_lookup=lambda s, u: store.get((s, u))
        )
        == "from-keyring"
    )
    questions: list[str] = []

    def prompt(question: str) -> str:
        questions.append(question)
        return "typed"

    assert (
        caldav_password(address, environ={}, prompt=prompt, keyring_lookup=lambda s, u: None)
        == "typed"
    )
    assert questions == ["CalDAV password for jane at example.com: "]


def test_no_password_anywhere_is_an_input_error() -> None:
    address = parse_caldav_address("caldav+https://jane@example.com/dav/")
    with pytest.raises(InputError) as caught:
        caldav_password(address, environ={}, prompt=None, keyring_lookup=lambda s, u: None)
    assert caught.value.message == "no CalDAV password for jane at example.com"
    assert caught.value.hint is not None and "LEADTIME_CALDAV_PASSWORD" in caught.value.hint


def test_join_objects_keeps_one_copy_of_each_time_zone() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\n"
        "DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    one = EVENT.format(uid="a", start="20261120T100000Z", end="20261120T110000Z", title="A")
    two = EVENT.format(uid="b", start="20261121T100000Z", end="20261121T110000Z", title="B")
    one = one.replace("BEGIN:VEVENT", zone + "BEGIN:VEVENT", 1)
    two = two.replace("BEGIN:VEVENT", zone + "BEGIN:VEVENT", 1)
    joined = join_objects([one.encode(), two.encode()]).decode()
    assert joined.count("BEGIN:VCALENDAR") == 1 and joined.count("BEGIN:VTIMEZONE") == 1
    assert joined.count("BEGIN:VEVENT") == 2 and joined.count("VERSION:2.0") == 1
    assert {e[0] for e in _parse(joined.encode())} == {"a", "b"}


# --------------------------------------------------------------------------- against Radicale


def test_discover_lists_event_calendars_under_the_account(radicale: str) -> None:
    _make_calendar(radicale, "disc-team", "Team")
    _make_calendar(radicale, "disc-oncall", "On call")
    found = discover(_address(radicale), PASSWORD, timeout=10)
    assert found.problems == ()
    mine = {c.name: c for c in found.calendars if c.name.startswith("disc-")}
    assert set(mine) == {"disc-oncall", "disc-team"}
    assert mine["disc-team"].display_name == "Team"
    assert mine["disc-team"].url == f"{radicale}/{USER}/disc-team/"
    direct = _remote(radicale, "disc-team")
    assert (direct.name, direct.url, direct.display_name) == (
        "disc-team",
        mine["disc-team"].url,
        "Team",
    )


@needs_corpus
@pytest.mark.parametrize("name", [pytest.param(FILES[0], marks=pytest.mark.slow), *FILES[1:]])
def test_first_sync_parses_like_the_original_file(radicale: str, name: str) -> None:
    original = (CORPUS / name).read_bytes()
    cal_id = "corpus-" + Path(name).stem
    _make_calendar(radicale, cal_id, cal_id)
    pieces = split_by_uid(original)
    _put_all(radicale, cal_id, pieces)
    batch = _sync(_remote(radicale, cal_id), {}, {})
    assert batch.method == "full" and batch.deleted == ()
    assert len(batch.changed) == len(pieces)
    expected = _parse(_as_radicale_stores(original))
    assert expected  # the file has entries in the window
    assert _parse(join_objects(o.data for o in batch.changed)) == expected


def _as_radicale_stores(data: bytes) -> bytes:
    """The calendar as Radicale keeps it: its vobject writes a DURATION of whole days in
    hours, minutes or seconds (``PT86400S``) as days (``P1D``), which RFC 5545 reads as
    calendar days — the server changes the event, so a sync reads what the server has."""
    import re

    def days(match: re.Match[bytes]) -> bytes:
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        total = hours * 3600 + minutes * 60 + seconds
        if total == 0 or total % 86400:
            return match.group(0)
        return b"DURATION:P%dD" % (total // 86400)

    return re.sub(rb"DURATION:PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", days, data)


def test_later_syncs_return_exactly_the_changes(radicale: str) -> None:
    server = _make_calendar(radicale, "changes", "Changes")
    for n in range(5):
        server.save_event(
            EVENT.format(
                uid=f"ev{n}", start=f"2026111{n}T100000Z", end=f"2026111{n}T110000Z", title=f"E{n}"
            )
        )
    calendar = _remote(radicale, "changes")
    first = _sync(calendar, {}, {})
    assert len(first.changed) == 5 and first.state["method"] == "sync-token"
    objects = first.apply({})

    nothing = _sync(calendar, first.state, objects)
    assert nothing.unchanged and nothing.method == "sync-token" and nothing.requests == 1

    by_uid = {o.href.rsplit("/", 1)[1]: o.href for o in first.changed}
    server.put("ev1.ics", server.get("ev1.ics").replace("SUMMARY:E1", "SUMMARY:E1 moved"))
    server.save_event(
        EVENT.format(uid="ev9", start="20261125T100000Z", end="20261125T110000Z", title="New")
    )
    server.delete("ev3.ics")

    later = _sync(calendar, nothing.state, objects)
    assert later.method == "sync-token"
    assert {o.href for o in later.changed} == {by_uid["ev1.ics"], f"/{USER}/changes/ev9.ics"}
    assert later.deleted == (by_uid["ev3.ics"],)
    assert later.requests == 2  # the sync-collection report, then one multiget
    objects = later.apply(objects)
    titles = {e[4] for e in _parse(join_objects(v[1] for v in objects.values()))}
    assert titles == {"E0", "E1 moved", "E2", "E4", "New"}

    assert _sync(calendar, later.state, objects).unchanged


def test_etag_comparison_when_there_is_no_sync_token(radicale: str) -> None:
    server = _make_calendar(radicale, "etags", "ETags")
    for n in range(3):
        server.save_event(
            EVENT.format(
                uid=f"e{n}", start=f"2026112{n}T100000Z", end=f"2026112{n}T110000Z", title=f"T{n}"
            )
        )
    calendar = _remote(radicale, "etags")
    first = _sync(calendar, {}, {})
    # As a server without WebDAV sync would have left it: no token, ETags and a CTag only.
    state = {**first.state, "sync_token": None, "method": "etag"}
    objects = first.apply({})
    again = _sync(calendar, state, objects)
    assert again.unchanged and again.method == "etag" and again.requests == 1

    server.save_event(
        EVENT.format(uid="e7", start="20261127T100000Z", end="20261127T110000Z", title="T7")
    )
    server.delete("e0.ics")
    later = _sync(calendar, again.state, objects)
    assert later.method == "etag"
    assert [o.href for o in later.changed] == [f"/{USER}/etags/e7.ics"]
    assert later.deleted == (f"/{USER}/etags/e0.ics",)


def test_an_expired_sync_token_falls_back_to_a_full_read(radicale: str) -> None:
    server = _make_calendar(radicale, "expired", "Expired")
    server.save_event(
        EVENT.format(uid="x1", start="20261120T100000Z", end="20261120T110000Z", title="X")
    )
    calendar = _remote(radicale, "expired")
    first = _sync(calendar, {}, {})
    state = {**first.state, "sync_token": "http://radicale.org/ns/sync/" + "0" * 64}
    again = _sync(calendar, state, first.apply({}))
    assert again.method == "full" and again.unchanged
    assert again.state["sync_token"] == first.state["sync_token"]


def test_a_new_window_reads_everything_again(radicale: str) -> None:
    server = _make_calendar(radicale, "window", "Window")
    server.save_event(
        EVENT.format(uid="w1", start="20261120T100000Z", end="20261120T110000Z", title="In")
    )
    server.save_event(
        EVENT.format(uid="w2", start="20101120T100000Z", end="20101120T110000Z", title="Old")
    )
    calendar = _remote(radicale, "window")
    narrow = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    first = sync(calendar, PASSWORD, state={}, objects={}, window=narrow, timeout=10)
    assert [o.href.rsplit("/", 1)[1] for o in first.changed] == ["w1.ics"]
    wide = _sync(calendar, first.state, first.apply({}))
    assert wide.method == "full"
    assert [o.href.rsplit("/", 1)[1] for o in wide.changed] == ["w2.ics"]


# --------------------------------------------------------------------------- failures


def _failure(address: CaldavAddress, password: str = PASSWORD, timeout: float = 5) -> InputError:
    with pytest.raises(InputError) as caught:
        discover(address, password, timeout=timeout)
    error = caught.value
    assert error.exit_code == ExitCode.INPUT
    assert "\n" not in error.message
    assert password not in error.message and password not in (error.hint or "")
    return error


def test_wrong_password(radicale: str) -> None:
    error = _failure(_address(radicale), password="not-the-password-123")
    assert error.message == (
        f"CalDAV {radicale}/: wrong user name or password for {USER} (HTTP 401)"
    )


def test_a_missing_path(radicale: str) -> None:
    error = _failure(_address(radicale, f"/{USER}/no-such-calendar/"))
    assert error.message == f"CalDAV {radicale}/{USER}/no-such-calendar/: not found (HTTP 404)"


def test_sync_of_a_removed_calendar_fails_without_a_result(radicale: str) -> None:
    gone = RemoteCalendar("gone", f"{radicale}/{USER}/gone/", None, _address(radicale))
    with pytest.raises(InputError) as caught:
        _sync(gone, {}, {})
    assert caught.value.message == f"CalDAV {radicale}/{USER}/gone/: not found (HTTP 404)"


def test_server_down() -> None:
    port = _free_port()
    error = _failure(parse_caldav_address(f"caldav+http://{USER}@127.0.0.1:{port}/"))
    assert error.message == f"CalDAV http://127.0.0.1:{port}/: cannot connect (connection refused)"


def test_a_plain_web_server_is_not_caldav() -> None:
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        port = httpd.server_address[1]
        error = _failure(parse_caldav_address(f"caldav+http://{USER}@127.0.0.1:{port}/"))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert error.message.startswith(f"CalDAV http://127.0.0.1:{port}/: not a CalDAV server (")


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        error = _failure(
            parse_caldav_address(f"caldav+http://{USER}@127.0.0.1:{port}/"), timeout=0.3
        )
    assert error.message == f"CalDAV http://127.0.0.1:{port}/: no answer within 0.3 s"


def test_a_remembered_sync_with_a_wrong_password_is_refused(radicale: str) -> None:
    server = _make_calendar(radicale, "refused", "Refused")
    server.save_event(
        EVENT.format(uid="r1", start="20261120T100000Z", end="20261120T110000Z", title="R")
    )
    calendar = _remote(radicale, "refused")
    first = _sync(calendar, {}, {})
    with pytest.raises(InputError) as caught:
        sync(
            calendar, "not-the-password-123", state=first.state, objects=first.apply({}),
            window=WINDOW, timeout=10,
        )  # fmt: skip
    assert caught.value.exit_code == ExitCode.INPUT
    assert caught.value.message == (
        f"CalDAV {radicale}/{USER}/refused/: wrong user name or password for {USER} (HTTP 401)"
    )
    assert "not-the-password-123" not in (caught.value.hint or "")


def test_a_remembered_sync_with_the_server_down() -> None:
    port = _free_port()
    address = parse_caldav_address(f"caldav+http://{USER}@127.0.0.1:{port}/{USER}/down/")
    calendar = RemoteCalendar("down", address.url, None, address)
    bounds = ["20000101T000000Z", "20310101T000000Z"]
    state = {"version": 1, "method": "sync-token", "window": bounds, "sync_token": "t-1"}
    with pytest.raises(InputError) as caught:
        sync(calendar, PASSWORD, state=state, objects={}, window=WINDOW, timeout=5)
    assert caught.value.message == (
        f"CalDAV http://127.0.0.1:{port}/{USER}/down/: cannot connect (connection refused)"
    )


def test_a_remembered_sync_of_a_removed_calendar_is_not_found(radicale: str) -> None:
    server = _make_calendar(radicale, "removed", "Removed")
    server.save_event(
        EVENT.format(uid="d1", start="20261120T100000Z", end="20261120T110000Z", title="D")
    )
    calendar = _remote(radicale, "removed")
    first = _sync(calendar, {}, {})
    server.delete()
    with pytest.raises(InputError) as caught:
        _sync(calendar, first.state, first.apply({}))
    assert caught.value.message == f"CalDAV {radicale}/{USER}/removed/: not found (HTTP 404)"
