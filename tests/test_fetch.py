"""Reading a SOURCE: files, standard input, and URLs served from a local test server."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from leadtime import __version__
from leadtime.errors import InputError
from leadtime.sources.fetch import read_source

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/cal.ics":
            self._send(200, b"\xef\xbb\xbf\r\n  " + CALENDAR, "text/calendar")
        elif self.path == "/login":
            self._send(200, b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html")
        elif self.path == "/boom":
            self._send(500, b"oops", "text/plain")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, CALENDAR, "text/calendar")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may have given up (timeout test)
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_returns_the_calendar_and_sends_a_user_agent(server: str) -> None:
    label, data = read_source(f"{server}/cal.ics")
    assert label == f"{server}/cal.ics"
    assert data.endswith(CALENDAR)
    assert SEEN_AGENTS[-1] == f"leadtime/{__version__}"


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/missing", "HTTP 404 Not Found"), ("/boom", "HTTP 500 Internal Server Error")],
)
def test_http_errors_name_the_url(server: str, path: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(server + path)
    assert caught.value.message == f"cannot fetch {server}{path}: {expected}"
    assert caught.value.hint


def test_html_page_is_not_a_calendar(server: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(f"{server}/login")
    assert caught.value.message == f"{server}/login did not return a calendar"
    assert caught.value.hint is not None and "login" in caught.value.hint


def test_timeout(server: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(f"{server}/slow", timeout=0.3)
    assert caught.value.message.startswith(f"cannot fetch {server}/slow")


def test_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(InputError) as caught:
        read_source(f"http://127.0.0.1:{port}/cal.ics", timeout=2)
    assert caught.value.message.startswith(f"cannot fetch http://127.0.0.1:{port}/cal.ics")


def test_webcal_is_fetched_over_https(server: str) -> None:
    # The test server speaks plain HTTP, so an HTTPS request to it must fail the TLS handshake.
    # Fetched as http://, the same address would return the calendar and log a request.
    webcal = server.replace("http://", "webcal://") + "/cal.ics"
    requests_before = len(SEEN_AGENTS)
    with pytest.raises(InputError) as caught:
        read_source(webcal, timeout=2)
    assert caught.value.message.startswith(f"cannot fetch {webcal}")
    assert len(SEEN_AGENTS) == requests_before


def test_file(tmp_path: Path) -> None:
    path = tmp_path / "work.ics"
    path.write_bytes(CALENDAR)
    assert read_source(str(path)) == (str(path), CALENDAR)


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.ics")
    with pytest.raises(InputError) as caught:
        read_source(missing)
    assert caught.value.message == f"{missing}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(str(tmp_path))
    assert caught.value.message == f"{tmp_path}: is a directory, not a calendar file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.ics"
    path.write_bytes(CALENDAR)
    path.chmod(0)
    with pytest.raises(InputError) as caught:
        read_source(str(path))
    assert caught.value.message == f"{path}: permission denied"


def test_standard_input() -> None:
    assert read_source("-", stdin=io.BytesIO(CALENDAR)) == ("<stdin>", CALENDAR)
