"""Hostile CalDAV servers and feeds, served on 127.0.0.1 by the tests.

A server may list a calendar on another host, point the account elsewhere, redirect,
trickle its answer a byte at a time, never end it, declare a gigabyte, or list 100,000
calendars. Whatever it does, the password goes only to the origin (scheme, host, port)
the user typed, every request ends within ``network_timeout``, every answer stops at the
size limit, and an import that fails is one ``error:`` line, exit 4, with nothing written.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.errors import ExitCode, InputError
from leadtime.sources.fetch import read_source

USER, PASSWORD = "jane", "correct-horse-battery-staple-42"
OPEN = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
)
CLOSE = "</d:multistatus>"
EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261118T100000Z\r\n"
    "DTEND:20261118T110000Z\r\nSUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

Behaviour = Callable[["Handler", bytes], None]


@dataclass
class Seen:
    """What one server received: (method, path, whether it carried credentials)."""

    requests: list[tuple[str, str, bool]] = field(default_factory=list)
    held: list[float] = field(default_factory=list)  # seconds a client kept a slow answer

    @property
    def credentials(self) -> bool:
        return any(auth for _, _, auth in self.requests)

    def hung_up_after(self) -> float:
        """How long the one slow answer was kept, once the server noticed the hang-up."""
        for _ in range(100):
            if self.held:
                (held,) = self.held
                return held
            time.sleep(0.05)
        raise AssertionError("the client never hung up")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.requests.append((self.command, self.path, "Authorization" in self.headers))
        with contextlib.suppress(OSError):  # the client hung up, as it should
            self.server.behaviour(self, body)

    do_GET = do_PROPFIND = do_REPORT = answer

    def send(self, status: int, body: str | bytes, kind: str = "application/xml") -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour
        self.seen = Seen()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def serving(behaviour: Behaviour, tls: tuple[Path, Path] | None = None) -> Iterator[Server]:
    server = Server(behaviour)
    if tls is not None:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def calendar(href: str, name: str) -> str:
    return (
        f"<d:response><d:href>{href}</d:href><d:propstat><d:prop>"
        "<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
        f"<d:displayname>{name}</d:displayname></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


def account(listed: Callable[[], list[tuple[str, str]]]) -> Behaviour:
    """A CalDAV account at /dav/ that lists ``listed()`` (href, display name) and answers
    for every calendar under /dav/: one event each, a sync token."""

    def behave(handler: Handler, body: bytes) -> None:
        path = handler.path
        if handler.command == "PROPFIND" and path == "/dav/":
            handler.send(207, OPEN + "".join(calendar(h, n) for h, n in listed()) + CLOSE)
        elif handler.command == "PROPFIND":
            handler.send(
                207,
                OPEN + f"<d:response><d:href>{path}</d:href><d:propstat><d:prop>"
                "<d:sync-token>http://example.invalid/sync/1</d:sync-token></d:prop>"
                "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>" + CLOSE,
            )
        elif handler.command == "REPORT":
            uid = path.strip("/").replace("/", "-")
            data = EVENT.format(uid=uid, title=f"Event of {uid}")
            handler.send(
                207,
                OPEN + f"<d:response><d:href>{path}e.ics</d:href><d:propstat><d:prop>"
                f'<d:getetag>"1"</d:getetag><c:calendar-data>{data}</c:calendar-data>'
                "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>" + CLOSE,
            )
        else:
            handler.send(404, "")

    return behave


def recorder(handler: Handler, body: bytes) -> None:
    """A server that only takes note: anyone sending it a password has leaked it."""
    handler.send(401, "", "text/plain")


def address(server: Server, scheme: str = "http") -> str:
    host = server.base.split("://", 1)[1]
    return f"caldav+{scheme}://{USER}@{host}/dav/"


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADTIME_CALDAV_PASSWORD", PASSWORD)


def remembered(cli: Run) -> list[dict[str, str]]:
    return json.loads(cli("calendars", "--format", "json").stdout)


# --------------------------------------------------------------------------- credentials


def test_a_calendar_on_another_host_is_skipped_and_named(cli: Run, password: None) -> None:
    with serving(recorder) as foreign:
        elsewhere = f"{foreign.base}/dav/steal/"
        with serving(account(lambda: [("/dav/work/", "Work"), (elsewhere, "Steal")])) as server:
            result = cli("import", address(server))
    assert result.exit_code == 0, result.stderr
    assert foreign.seen.requests == []  # not asked at all, let alone with the password
    assert result.stderr.splitlines() == [
        f"warning: caldav+http://{USER}@{server.base[7:]}/dav/: calendar 'Steal' skipped: "
        f"it is at {elsewhere}, another server than {server.base}/dav/, and the password is "
        "only sent to the server in the address"
    ]
    assert "imported 'work'" in result.stdout
    (work,) = remembered(cli)
    assert work["source"] == f"caldav+http://{USER}@{server.base[7:]}/dav/work/"
    assert server.seen.credentials


def test_only_calendars_elsewhere_is_an_error_and_writes_nothing(cli: Run, password: None) -> None:
    with serving(recorder) as foreign:
        listing = [(f"{foreign.base}/dav/a/", "A"), (f"{foreign.base}/dav/b/", "B")]
        with serving(account(lambda: listing)) as server:
            result = cli("import", address(server))
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.startswith(
        f"error: no calendar under caldav+http://{USER}@{server.base[7:]}/dav/ can be read: "
        f"calendar 'A' skipped: it is at {foreign.base}/dav/a/, another server than "
        f"{server.base}/dav/"
    )
    assert foreign.seen.requests == []
    assert remembered(cli) == []


def test_http_listed_under_https_is_skipped(
    cli: Run, password: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A downgrade: the account is on https, a calendar it lists on plain http."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with serving(recorder) as plain:
        downgrade = f"{plain.base}/dav/plain/"
        listing = [("/dav/work/", "Work"), (downgrade, "Plain")]
        with serving(account(lambda: listing), tls=(cert, key)) as server:
            result = cli("import", address(server, "https"))
    assert result.exit_code == 0, result.stderr
    assert plain.seen.requests == []
    assert f"calendar 'Plain' skipped: it is at {downgrade}, another server" in result.stderr
    (work,) = remembered(cli)
    assert work["source"] == f"caldav+https://{USER}@{server.base[7:]}/dav/work/"


def test_an_account_pointing_elsewhere_is_not_followed(cli: Run, password: None) -> None:
    with serving(recorder) as foreign:

        def behave(handler: Handler, body: bytes) -> None:
            if b"current-user-principal" in body:
                principal = f"<d:current-user-principal><d:href>{foreign.base}/p/</d:href>"
                handler.send(
                    207,
                    OPEN + "<d:response><d:href>/dav/</d:href><d:propstat><d:prop>"
                    f"{principal}</d:current-user-principal></d:prop>"
                    "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>" + CLOSE,
                )
            else:  # the address holds no calendar
                handler.send(207, OPEN + CLOSE)

        with serving(behave) as server:
            result = cli("import", address(server))
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.startswith(
        f"error: CalDAV {server.base}/dav/: the account's calendars are at {foreign.base}/p/, "
        f"another server than {server.base}/dav/"
    )
    assert result.stderr.splitlines()[1].startswith("hint: the password is only sent to")
    assert foreign.seen.requests == []
    assert remembered(cli) == []


def test_a_redirect_to_another_host_is_not_followed(cli: Run, password: None) -> None:
    with serving(recorder) as foreign:

        def behave(handler: Handler, body: bytes) -> None:
            handler.send_response(301)
            handler.send_header("Location", f"{foreign.base}/dav/")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        with serving(behave) as server:
            result = cli("import", address(server))
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.startswith(
        f"error: CalDAV {server.base}/dav/: redirected to {foreign.base}/dav/, another server "
        f"than {server.base}/dav/"
    )
    assert foreign.seen.requests == []


# --------------------------------------------------------------------------- bounded


def trickle(head: bytes, body: bytes = b"", every: float = 0.25) -> Behaviour:
    """Sends ``head`` then ``body`` a byte at a time (a read never waits long), and notes
    how long the client stayed before hanging up."""

    def behave(handler: Handler, _: bytes) -> None:
        began = time.monotonic()
        try:
            if body == b"":
                data = head
            else:
                handler.wfile.write(head)
                handler.wfile.flush()
                data = body
            for byte in data[:200]:  # 50 s at most: the server gives up too, eventually
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(every)
        finally:
            handler.server.seen.held.append(time.monotonic() - began)

    return behave


MULTISTATUS_HEAD = b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"


@pytest.mark.parametrize(
    "behaviour",
    [
        pytest.param(trickle(MULTISTATUS_HEAD + b"Content-Length: 100\r\n\r\n"), id="headers"),
        pytest.param(
            trickle(MULTISTATUS_HEAD + b"Content-Length: 600\r\n\r\n", (OPEN * 4).encode()),
            id="body",
        ),
    ],
)
def test_a_trickling_server_is_cut_at_the_deadline(
    proc: Run, home: Home, behaviour: Behaviour
) -> None:
    home.config.write_text(home.config.read_text() + "network_timeout = 2\n")
    with serving(behaviour) as server:
        result = proc("import", address(server), env={"LEADTIME_CALDAV_PASSWORD": PASSWORD})
        held = server.seen.hung_up_after()
    assert result.exit_code == ExitCode.INPUT, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"error: CalDAV {server.base}/dav/: no answer within 2 s"
    )
    assert held < 4  # 2 s, and a write or two for the server to notice (50 s before)
    assert json.loads(proc("calendars", "--format", "json").stdout) == []


def test_a_feed_trickling_its_headers_is_cut_at_the_deadline() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: 10\r\n\r\n"
    with serving(trickle(head)) as server:
        with pytest.raises(InputError) as caught:
            read_source(f"{server.base}/feed.ics", timeout=1)
        held = server.seen.hung_up_after()
    assert caught.value.message == f"cannot fetch {server.base}/feed.ics: no answer within 1 s"
    assert held < 3


def peak_memory(home: Home, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run leadtime as a real process; its result and its peak resident memory in MB."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(f'PEAK {peak}', file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "leadtime", *args],
        capture_output=True, text=True, timeout=300,
        env=home.env(LEADTIME_CALDAV_PASSWORD=PASSWORD),
    )  # fmt: skip
    lines = done.stderr.splitlines()
    peak = int(lines[-1].removeprefix("PEAK ")) / 1024  # Linux reports KB
    done.stderr = "\n".join(lines[:-1])
    return done, peak


def endless(handler: Handler, body: bytes) -> None:
    """A 207 whose body never ends (until 400 MB): one calendar-data element growing."""
    handler.send_response(207)
    handler.send_header("Content-Type", "application/xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(
        (OPEN + "<d:response><d:href>/dav/x.ics</d:href><d:propstat><d:prop>"
         "<c:calendar-data>").encode()
    )  # fmt: skip
    block = b"BEGIN:VEVENT\r\n" * 70_000  # about 1 MB
    for _ in range(400):
        handler.wfile.write(block)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory as Linux reports it")
def test_an_endless_answer_stops_at_the_size_limit_with_bounded_memory(
    home: Home, cli: Run
) -> None:
    with serving(endless) as server:
        done, peak = peak_memory(home, "import", address(server))
    assert done.returncode == ExitCode.INPUT, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"error: CalDAV {server.base}/dav/: larger than 50 MB; the download was stopped"
    )
    assert peak < 400, f"{peak:.0f} MB"  # 50 MB read; 4.3 GB for a 1 GB answer before
    assert remembered(cli) == []


def test_a_declared_gigabyte_is_refused_before_it_is_read(cli: Run, password: None) -> None:
    head = MULTISTATUS_HEAD + f"Content-Length: {1 << 30}\r\n\r\n".encode()
    with serving(trickle(head, OPEN.encode() * 2, every=0.1)) as server:
        result = cli("import", address(server))
        held = server.seen.hung_up_after()
    assert result.exit_code == ExitCode.INPUT
    assert result.stderr.splitlines()[0] == (
        f"error: CalDAV {server.base}/dav/: larger than 50 MB; the download was stopped"
    )
    assert held < 3  # refused on the declared length, not read until the deadline
    assert remembered(cli) == []


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory as Linux reports it")
def test_an_endless_resync_changes_nothing(cli: Run, home: Home, password: None) -> None:
    """A remembered calendar whose server then answers the sync report without end: the
    bare refresh cron runs fails in one line, and the stored calendar is as it was."""
    mode = {"endless": False}
    normal = account(lambda: [("/dav/work/", "Work")])

    def behave(handler: Handler, body: bytes) -> None:
        if mode["endless"] and handler.command == "REPORT":
            endless(handler, body)
        else:
            normal(handler, body)

    with serving(behave) as server:
        assert cli("import", address(server)).exit_code == 0
        before = remembered(cli)
        mode["endless"] = True
        done, peak = peak_memory(home, "import")
    assert done.returncode == ExitCode.INPUT, done.stderr
    line = done.stderr.splitlines()[0]  # a refresh names the source that failed first
    assert line.startswith("error: 'work' from caldav+http://jane@127.0.0.1:"), line
    assert line.endswith(
        f": CalDAV {server.base}/dav/work/: larger than 50 MB; the download was stopped"
    ), line
    assert peak < 400, f"{peak:.0f} MB"
    assert remembered(cli) == before


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory as Linux reports it")
def test_a_hundred_thousand_calendars_import_a_hundred_with_a_warning(home: Home) -> None:
    listing = [(f"/dav/c{n:06d}/", f"Calendar {n}") for n in range(100_000)]
    with serving(account(lambda: listing)) as server:
        done, peak = peak_memory(home, "import", address(server))
        syncs = sum(1 for m, _, _ in server.seen.requests if m == "REPORT")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"warning: caldav+http://{USER}@{server.base[7:]}/dav/: 100000 calendars found; only "
        "the first 100 the server listed are imported (import another with --calendar NAME)"
    ]
    assert done.stdout.count("imported '") == 100
    assert syncs == 100
    assert peak < 400, f"{peak:.0f} MB"


def test_the_limit_on_calendars_keeps_the_first_the_server_listed() -> None:
    from leadtime.sources.caldav import MAX_CALENDARS, discover, parse_caldav_address

    listing = [(f"/dav/c{n:04d}/", f"Calendar {n}") for n in range(MAX_CALENDARS + 50)]
    with serving(account(lambda: listing[::-1])) as server:
        found = discover(parse_caldav_address(address(server)), PASSWORD, timeout=10)
    assert len(found.calendars) == MAX_CALENDARS
    # The server listed them last to first: the first hundred it listed are kept.
    assert found.calendars[0].name == "c0050" and found.calendars[-1].name == "c0149"
    (problem,) = found.problems
    assert problem.reason.startswith(f"{MAX_CALENDARS + 50} calendars found; only the first")


# --------------------------------------------------------------------------- authentication


def test_a_server_that_asks_for_digest_gets_digest(cli: Run, password: None) -> None:
    """RFC 7616 with MD5 and qop=auth, checked by the server as Baïkal's default does."""
    import hashlib
    import re

    realm, nonce = "leadtime-test", "dcd98b7102dd2f0e8b11d0f600bfb0c093"
    normal = account(lambda: [("/dav/work/", "Work")])

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def behave(handler: Handler, body: bytes) -> None:
        header = handler.headers.get("Authorization", "")
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', header))
        if header.startswith("Digest "):
            ha1 = md5(f"{USER}:{realm}:{PASSWORD}")
            ha2 = md5(f"{handler.command}:{fields.get('uri')}")
            expected = md5(f"{ha1}:{nonce}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
            if fields.get("response") == expected and fields.get("username") == USER:
                normal(handler, body)
                return
        handler.send_response(401)
        handler.send_header(
            "WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth"'
        )
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serving(behave) as server:
        result = cli("import", address(server))
    assert result.exit_code == 0, result.stderr
    assert "imported 'work'" in result.stdout
    assert [c["name"] for c in remembered(cli)] == ["work"]
