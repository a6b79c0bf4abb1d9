"""Talking to a CalDAV server: one session per call, every failure one masked line.

Requests go through the ``caldav`` client library's :class:`caldav.DAVClient` (connection,
authentication, WebDAV sync); the library is imported only when a request is made. One
request has a lighter way: :meth:`Session.plain` sends it with httpx and basic
authentication, for the re-sync of a remembered calendar, which then loads ``caldav`` only
when something changed. The transports' and the library's exceptions become
:class:`InputError` (exit 4), one line naming the calendar, the password masked.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, unquote

from leadtime import __version__
from leadtime.errors import InputError
from leadtime.secrets import mask_text, mask_url
from leadtime.sources.caldav.address import PASSWORD_VARIABLE, CaldavAddress

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = ["PlainAnswer", "Session", "multistatus_props"]

_RETRIES = 2  # a refused connection is tried again this many times, as for feeds


@dataclass(frozen=True)
class PlainAnswer:
    """The status and body of a request sent with :meth:`Session.plain`."""

    status: int
    body: bytes


@dataclass
class Session:
    """A DAVClient with its error translation: every failure is one masked InputError line."""

    address: CaldavAddress
    password: str
    timeout: float
    target: str  # the URL named in messages
    client: DAVClient | None = None
    requests: int = 0

    def secrets(self) -> list[str]:
        return [self.password, quote(self.password, safe="")]

    def fail(self, reason: str, hint: str | None = None) -> InputError:
        """One line naming the calendar; ``reason`` is leadtime's own text."""
        return InputError(f"CalDAV {mask_url(self.target)}: {reason}", hint=hint)

    def quoted(self, exc: BaseException) -> str:
        """The first line of a library's message, with the password and URLs masked."""
        text = str(exc).strip() or type(exc).__name__
        return mask_text(text.splitlines()[0][:200], self.secrets())

    def open(self) -> DAVClient:
        if self.client is None:
            from caldav.davclient import DAVClient

            self.client = DAVClient(
                url=self.address.url,
                username=self.address.user,
                password=self.password,
                timeout=cast(Any, self.timeout),  # a float works; the library types it int
                enable_rfc6764=False,
                require_tls=False,
            )
        return self.client

    def plain(self, url: str, method: str, body: str, depth: int | None) -> PlainAnswer:
        """One request with the standard library's HTTP client and basic authentication,
        loading neither ``caldav`` nor an HTTP library: an unchanged re-sync is this one
        request, and importing a client would cost more than sending it.

        Every status comes back to the caller (a server that wants another authentication
        answers 401: the caller then asks the library, which negotiates it). A refused
        connection is tried again twice; failures to connect or to get an answer in time
        raise through :meth:`errors`.
        """
        import base64
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        secure = parts.scheme == "https"
        connection_class = http.client.HTTPSConnection if secure else http.client.HTTPConnection
        token = base64.b64encode(f"{self.address.user}:{self.password}".encode()).decode()
        headers = {
            "Content-Type": 'application/xml; charset="utf-8"',
            "User-Agent": f"leadtime/{__version__}",
            "Authorization": f"Basic {token}",
        }
        if depth is not None:
            headers["Depth"] = str(depth)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.requests += 1
        for attempt in range(_RETRIES + 1):
            connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
            try:
                connection.request(method, target, body=body.encode("utf-8"), headers=headers)
                response = connection.getresponse()
                return PlainAnswer(response.status, response.read())
            except ConnectionRefusedError:
                if attempt == _RETRIES:
                    raise
            finally:
                connection.close()
        raise AssertionError("unreachable")  # the loop returns or raises

    def request(self, url: str, method: str, body: str, depth: int | None) -> Any:
        client = self.open()
        headers = {"Content-Type": 'application/xml; charset="utf-8"'}
        if depth is not None:
            headers["Depth"] = str(depth)
        self.requests += 1
        response = client.request(url, method, body, headers)
        if response.status == 404:
            raise self.fail("not found (HTTP 404)", hint="check the path in the CalDAV address")
        if response.status in (401, 403):
            raise self.refused(response.status)
        if response.status != 207:
            raise self.not_caldav(f"HTTP {response.status} to {method}")
        return response

    def refused(self, status: int) -> InputError:
        if status == 403:
            return self.fail(
                f"user {self.address.user} may not read this (HTTP 403)",
                hint="check the path in the CalDAV address",
            )
        return self.fail(
            f"wrong user name or password for {self.address.user} (HTTP {status})",
            hint=f"check the user name and the password ({PASSWORD_VARIABLE} or the keyring)",
        )

    def not_caldav(self, reason: str) -> InputError:
        return self.fail(
            f"not a CalDAV server ({reason})",
            hint="use the server's CalDAV address, e.g. caldav+https://USER@HOST/dav/",
        )

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Translate the transports' and the library's exceptions into InputError."""
        try:
            yield
        except InputError:
            raise
        except Exception as exc:
            translated = self._translate(exc)
            if translated is None:
                raise
            raise translated from exc

    def _translate(self, exc: Exception) -> InputError | None:
        """The InputError for an exception of the library or a transport; None for a bug.

        Only libraries already loaded are consulted: an exception cannot come from one that
        is not, and looking would cost the import that the light path avoids.
        """
        if "caldav" in sys.modules:
            from caldav.lib import error as dav_error

            if isinstance(exc, dav_error.AuthorizationError):
                return self.refused(getattr(exc, "status", None) or 401)
            if isinstance(exc, dav_error.NotFoundError):
                return self.fail("not found (HTTP 404)", hint="check the path")
            if isinstance(exc, dav_error.DAVError):
                return self.not_caldav(self.quoted(exc))
        transport = _transport_errors()
        if isinstance(exc, transport.timeout):
            return self.fail(f"no answer within {self.timeout:g} s", hint="try again later")
        if isinstance(exc, transport.connection):
            return self.fail(
                f"cannot connect ({_connection_reason(exc)})",
                hint="check the server address and your network connection",
            )
        if isinstance(exc, transport.other):
            return self.fail(self.quoted(exc))
        if isinstance(exc, (ValueError, SyntaxError)):  # an answer that is not WebDAV XML
            return self.not_caldav("the answer is not WebDAV XML")
        return None


@dataclass(frozen=True)
class _TransportErrors:
    timeout: tuple[type[BaseException], ...]
    connection: tuple[type[BaseException], ...]
    other: tuple[type[BaseException], ...]


def _transport_errors() -> _TransportErrors:
    """The loaded HTTP libraries' exceptions: httpx, and niquests or requests under caldav."""
    import socket

    timeout: list[type[BaseException]] = [TimeoutError]
    connection: list[type[BaseException]] = [ConnectionError, socket.gaierror]
    other: list[type[BaseException]] = []
    httpx = sys.modules.get("httpx")
    if httpx is not None:
        timeout.append(httpx.TimeoutException)
        connection.append(httpx.ConnectError)
        other.append(httpx.HTTPError)
    for name in ("niquests", "requests"):
        if name not in sys.modules:
            continue
        try:
            module = __import__(f"{name}.exceptions", fromlist=["exceptions"])
        except ImportError:
            continue
        timeout.append(module.Timeout)
        connection.append(module.ConnectionError)
        other.append(module.RequestException)
    lxml = sys.modules.get("lxml.etree")
    if lxml is not None:
        other.append(lxml.LxmlError)
    return _TransportErrors(tuple(timeout), tuple(connection), tuple(other))


def _connection_reason(exc: BaseException) -> str:
    """A short reason for a failed connection (the libraries' own messages run long)."""
    text = str(exc).lower()
    for marker, reason in (
        ("refused", "connection refused"),
        ("name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("name resolution", "unknown host"),
        ("certificate", "TLS certificate not trusted"),
        ("ssl", "TLS handshake failed"),
        ("reset", "connection reset"),
    ):
        if marker in text:
            return reason
    return "network error"


def multistatus_props(session: Session, response: Any) -> dict[str, dict[str, Any]]:
    """href -> {property tag: element} for the properties a multistatus found (status 200)."""
    root = response.tree
    if root is None:
        raise session.not_caldav("the answer is not WebDAV XML")
    found: dict[str, dict[str, Any]] = {}
    for item in root.iter("{DAV:}response"):
        href = item.find("{DAV:}href")
        if href is None or not href.text:
            continue
        props: dict[str, Any] = {}
        for propstat in item.iter("{DAV:}propstat"):
            status = propstat.find("{DAV:}status")
            if status is not None and " 200" not in (status.text or ""):
                continue
            for prop in propstat.iter("{DAV:}prop"):
                for element in prop:
                    props[element.tag] = element
        found[unquote(href.text.strip())] = props
    return found
