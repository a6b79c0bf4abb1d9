"""A small DevTools-protocol client for headless Chromium: open a page with the network
blocked and report what it asked for, what it logged, and what a script said.

Chromium is started here with a fresh profile, every background service off, and a proxy
address on which nothing listens; on top of that every request is paused through the
``Fetch`` domain and only the page's own file is let through. Everything else is failed
and recorded, so a page that reaches for a font, a script or an image shows up in
``Visit.requests``.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LEADTIME_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LEADTIME_TEST_BROWSER") == "require"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--proxy-server=127.0.0.1:9",  # nothing listens there: a request that escapes fails
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-port=0",
]
ALERT = "leadtimeAlert"  # the binding a hostile script would reach through alert()


def chromium() -> str:
    """The Chromium to test with; skips (or fails, with LEADTIME_TEST_BROWSER=require)."""
    found = shutil.which(CHROMIUM)
    if found is None:
        if REQUIRED:
            pytest.fail(f"Chromium is required (LEADTIME_TEST_BROWSER=require): no {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return found


@dataclass
class Visit:
    """What one page did while it loaded."""

    url: str
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    blocked: list[str] = field(default_factory=list)  # asked for and refused
    failed: list[str] = field(default_factory=list)  # loadingFailed
    errors: list[str] = field(default_factory=list)  # console errors and exceptions
    alerts: list[str] = field(default_factory=list)  # calls of alert/confirm/prompt
    loaded: bool = False


class Browser:
    """One headless Chromium and a DevTools session on one tab."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._visit: Visit | None = None
        self.session = ""

    def call(self, method: str, session: bool = True, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer; events that come first are handled."""
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        self._socket.send(json.dumps(message))
        while True:
            reply = json.loads(self._socket.recv(timeout=30))
            if reply.get("id") == number:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self._handle(reply)

    def _handle(self, event: dict[str, Any]) -> None:
        """Record an event in the visit under way; let only the page's own file through."""
        method, params = event.get("method"), event.get("params", {})
        visit = self._visit
        if method == "Fetch.requestPaused":
            asked = params["request"]["url"]
            if visit is not None and asked == visit.url:
                self.call("Fetch.continueRequest", requestId=params["requestId"])
                return
            if visit is not None:
                visit.blocked.append(asked)
            self.call("Fetch.failRequest", requestId=params["requestId"],
                      errorReason="BlockedByClient")  # fmt: skip
        elif visit is None:
            return
        elif method == "Network.requestWillBeSent":
            visit.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            visit.failed.append(f"{params.get('type')}: {params.get('errorText')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            visit.errors.append(json.dumps(params.get("args")))
        elif method == "Runtime.exceptionThrown":
            visit.errors.append(json.dumps(params.get("exceptionDetails")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            visit.errors.append(params["entry"].get("text", ""))
        elif method == "Runtime.bindingCalled" and params.get("name") == ALERT:
            visit.alerts.append(params.get("payload", ""))
        elif method == "Page.loadEventFired":
            visit.loaded = True

    def _wait(self, seconds: float) -> None:
        """Handle events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._handle(json.loads(self._socket.recv(timeout=left)))
            except TimeoutError:
                return

    def evaluate(self, expression: str) -> Any:
        found = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in found:
            raise RuntimeError(f"{expression}: {found['exceptionDetails']}")
        return found["result"].get("value")

    def visit(self, path: Path, settle: float = 0.5) -> Visit:
        """Open ``path``, wait for it to load, then ``settle`` seconds for late requests."""
        self._visit = visit = Visit(path.resolve().as_uri())
        self.call("Page.navigate", url=visit.url)
        deadline = time.monotonic() + 30
        while not visit.loaded:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{visit.url} did not load")
            self._wait(0.05)
        self._wait(settle)
        self._visit = None
        return visit


@contextmanager
def browser() -> Iterator[Browser]:
    """Start headless Chromium on a fresh profile and attach to a blank tab."""
    from websockets.sync.client import connect

    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="leadtime-chromium-") as profile:
        process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Chromium did not open its DevTools port")
                time.sleep(0.05)
            port, path = port_file.read_text().splitlines()[:2]
            with connect(f"ws://127.0.0.1:{port}{path}", max_size=None) as socket:
                client = Browser(socket)
                target = client.call("Target.createTarget", url="about:blank")["targetId"]
                client.session = client.call(
                    "Target.attachToTarget", targetId=target, flatten=True
                )["sessionId"]
                for domain in ("Page", "Runtime", "Log", "Network"):
                    client.call(f"{domain}.enable")
                client.call("Fetch.enable", patterns=[{"urlPattern": "*"}])
                client.call("Runtime.addBinding", name=ALERT)
                client.call(
                    "Page.addScriptToEvaluateOnNewDocument",
                    source=(
                        "for (const name of ['alert', 'confirm', 'prompt']) "
                        f"window[name] = (m) => {ALERT}(String(m));"
                    ),
                )
                yield client
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
