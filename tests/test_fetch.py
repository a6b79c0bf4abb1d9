"""Reading a SOURCE: files, standard input, and URLs served by a local HTTP server.

The server runs on 127.0.0.1 in a thread and answers like calendar hosts do: a feed with
ETag and Last-Modified that honours conditional GETs, a login page, redirects (one of
them to file://), a huge body, errors. Nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from leadtime import __version__
from leadtime.errors import ExitCode, InputError
from leadtime.sources.fetch import Fetched, SourceState, read_source

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n"
ETAG = '"v1-abc"'
MODIFIED = "Fri, 20 Nov 2026 08:00:00 GMT"
TOKEN = "private-0123456789abcdef0123456789abcdef"


class Recorder:
    """What the server saw: one dict of request headers per GET, in order."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.paths: list[str] = []


SEEN = Recorder()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        SEEN.requests.append(dict(self.headers.items()))
        SEEN.paths.append(self.path)
        path = self.path.split("?", 1)[0]
        if path == "/cal.ics":
            self._send(200, b"\xef\xbb\xbf\r\n  " + CALENDAR, "text/calendar")
        elif path in ("/feed.ics", f"/{TOKEN}/basic.ics"):
            self._feed()
        elif path == "/nocache.ics":  # a server without validators: the body hash decides
            self._send(200, CALENDAR, "text/calendar")
        elif path == "/login":
            self._send(200, b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html")
        elif path == "/boom":
            self._send(500, b"oops", "text/plain")
        elif path == "/moved":
            self._redirect("/cal.ics")
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path.startswith("/loop/"):
            self._redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/huge-declared":
            self._huge(declare=True)
        elif path == "/huge-streamed":
            self._huge(declare=False)
        else:
            self._send(404, b"not here", "text/plain")

    def _feed(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", MODIFIED)
        self.send_header("Content-Length", str(len(CALENDAR)))
        self.end_headers()
        self.wfile.write(CALENDAR)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _huge(self, *, declare: bool) -> None:
        body = CALENDAR[:-15] + b"X-PAD:" + b"x" * (3 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if declare:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stops reading past its limit
            self.wfile.write(body)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
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


def _error(source: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as caught:
        read_source(source, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == ExitCode.INPUT
    assert "\n" not in caught.value.message
    return caught.value


# --------------------------------------------------------------------------- URLs


def test_url_returns_the_calendar_and_sends_a_user_agent(server: str) -> None:
    fetched = read_source(f"{server}/cal.ics")
    assert fetched.label == f"{server}/cal.ics"
    assert fetched.data is not None and fetched.data.endswith(CALENDAR)
    assert not fetched.unchanged
    assert SEEN.requests[-1]["User-Agent"] == f"leadtime/{__version__}"


def test_conditional_get_answered_304_is_unchanged(server: str) -> None:
    first = read_source(f"{server}/feed.ics")
    assert first.data == CALENDAR
    assert first.state.etag == ETAG and first.state.last_modified == MODIFIED
    assert first.state.content_hash is not None
    assert "If-None-Match" not in SEEN.requests[-1]

    again = read_source(f"{server}/feed.ics", previous=first.state)
    assert SEEN.requests[-1]["If-None-Match"] == ETAG
    assert SEEN.requests[-1]["If-Modified-Since"] == MODIFIED
    assert again == Fetched(f"{server}/feed.ics", None, first.state, unchanged=True)


def test_a_200_with_the_same_body_is_unchanged(server: str) -> None:
    first = read_source(f"{server}/nocache.ics")
    again = read_source(f"{server}/nocache.ics", previous=first.state)
    assert again.unchanged and again.data is None
    assert again.state.content_hash == first.state.content_hash


def test_a_200_with_another_body_is_changed(server: str) -> None:
    stale = SourceState(content_hash="sha256:" + "0" * 64, etag='"old"', last_modified=None)
    fetched = read_source(f"{server}/feed.ics", previous=stale)
    assert not fetched.unchanged and fetched.data == CALENDAR
    assert fetched.state.etag == ETAG


def test_redirects_to_http_are_followed(server: str) -> None:
    fetched = read_source(f"{server}/moved")
    assert fetched.data is not None and fetched.data.endswith(CALENDAR)


def test_a_redirect_to_a_file_is_refused(server: str) -> None:
    error = _error(f"{server}/to-file")
    assert error.message == (
        f"cannot fetch {server}/to-file: redirected to a file: address, which is not followed"
    )


def test_at_most_five_redirects(server: str) -> None:
    error = _error(f"{server}/loop/0")
    assert error.message == f"cannot fetch {server}/loop/0: more than 5 redirects"
    assert SEEN.paths[-6:] == [f"/loop/{n}" for n in range(6)]


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-streamed"])
def test_a_body_past_the_size_limit_is_stopped(server: str, path: str) -> None:
    error = _error(server + path, max_bytes=1024 * 1024)
    assert error.message == (
        f"cannot fetch {server}{path}: larger than 1 MB; the download was stopped"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/missing", "HTTP 404 Not Found"), ("/boom", "HTTP 500 Internal Server Error")],
)
def test_http_errors_name_the_url(server: str, path: str, expected: str) -> None:
    error = _error(server + path)
    assert error.message == f"cannot fetch {server}{path}: {expected}"
    assert error.hint


def test_html_page_is_not_a_calendar(server: str) -> None:
    error = _error(f"{server}/login")
    assert error.message == f"{server}/login did not return a calendar"
    assert error.hint is not None and "login" in error.hint


def test_secret_addresses_are_masked_in_labels_and_errors(server: str) -> None:
    fetched = read_source(f"{server}/{TOKEN}/basic.ics?authtoken=hunter2")
    assert fetched.label == f"{server}/private-…/basic.ics?authtoken=…"
    error = _error(f"{server}/{TOKEN}/missing.ics?authtoken=hunter2")
    assert (
        error.message
        == f"cannot fetch {server}/private-…/missing.ics?authtoken=…: HTTP 404 Not Found"
    )


def test_a_server_that_never_answers_times_out() -> None:
    # A listening socket that never accepts: the connection opens, no answer ever comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        error = _error(f"http://127.0.0.1:{port}/{TOKEN}/basic.ics", timeout=0.3)
    assert error.message == (
        f"cannot fetch http://127.0.0.1:{port}/private-…/basic.ics: no answer within 0.3 s"
    )


def test_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _error(f"http://127.0.0.1:{port}/cal.ics", timeout=2)
    assert error.message.startswith(f"cannot fetch http://127.0.0.1:{port}/cal.ics: cannot connect")
    assert error.hint is not None


def test_webcal_is_fetched_over_https(server: str) -> None:
    # The test server speaks plain HTTP, so an HTTPS request to it must fail the TLS handshake.
    # Fetched as http://, the same address would return the calendar and log a request.
    webcal = server.replace("http://", "webcal://") + "/cal.ics"
    requests_before = len(SEEN.requests)
    error = _error(webcal, timeout=2)
    assert error.message.startswith(f"cannot fetch {webcal}")
    assert len(SEEN.requests) == requests_before


# --------------------------------------------------------------------------- files and stdin


def test_file_and_its_unchanged_reread(tmp_path: Path) -> None:
    path = tmp_path / "work.ics"
    path.write_bytes(CALENDAR)
    first = read_source(str(path))
    assert (first.label, first.data, first.unchanged) == (str(path), CALENDAR, False)
    assert first.state.content_hash is not None and first.state.etag is None

    again = read_source(str(path), previous=first.state)
    assert again.unchanged and again.data is None

    path.write_bytes(CALENDAR.replace(b"//t//", b"//u//"))
    changed = read_source(str(path), previous=first.state)
    assert not changed.unchanged and changed.data is not None
    assert changed.state.content_hash != first.state.content_hash


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.ics")
    assert _error(missing).message == f"{missing}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert _error(str(tmp_path)).message == f"{tmp_path}: is a directory, not a calendar file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.ics"
    path.write_bytes(CALENDAR)
    path.chmod(0)
    assert _error(str(path)).message == f"{path}: permission denied"


def test_standard_input() -> None:
    fetched = read_source("-", stdin=io.BytesIO(CALENDAR))
    assert (fetched.label, fetched.data, fetched.unchanged) == ("<stdin>", CALENDAR, False)
    again = read_source("-", stdin=io.BytesIO(CALENDAR), previous=fetched.state)
    assert again.unchanged
