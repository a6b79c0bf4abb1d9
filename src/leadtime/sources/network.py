"""The one HTTP client: calendar feeds and CalDAV servers are both reached through here.

It is httpx (the choice, measured against the ``caldav`` library's clients and the standard
library, is in docs/sources.md), held to what a server on the network may not decide:

* **a total deadline per request.** httpx's timeouts bound each read and write, so a server
  that sends a byte every few seconds keeps a request alive as long as it likes. Here every
  socket a request opens (seen through httpx's documented ``trace`` extension) is shut down
  when the deadline passes, which ends the read at once, wherever it is: connecting, the
  TLS handshake, the headers or the body. The deadline is about the peer, not about how
  much work leadtime does, so it is measured by the clock. Name lookup is not bounded.
* **a size limit on every answer**, counted on the body as decoded (a compressed answer
  cannot grow past it), refused at once when the declared length is larger;
* **redirects followed only where the caller allows** (:class:`Redirects`), at most five;
* a refused or reset connection tried again twice.

Every failure is a :class:`NetworkError` with a short reason and a hint; the caller names
the source (feed addresses and passwords are secrets: the caller masks). Importing this
module loads no HTTP library: httpx is imported by the first request.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from leadtime import __version__

if TYPE_CHECKING:
    import socket
    import ssl

    import httpx

__all__ = [
    "CHUNK",
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "Answer",
    "Client",
    "NetworkError",
    "Redirects",
    "megabytes",
]

MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
RETRIES = 2  # connection attempts repeated by the transport (refused, reset, DNS hiccup)
CHUNK = 64 * 1024
USER_AGENT = f"leadtime/{__version__}"

Redirects = Callable[[str], str | None]
"""Given where a redirect leads (absolute URL): None to follow it, or why it is not."""


class NetworkError(Exception):
    """A request that failed; ``reason`` is one short phrase, free of secrets only if the
    address was (the caller masks)."""

    def __init__(self, reason: str, hint: str | None = None, *, kind: str = "failed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.kind = kind  # "timeout", "connect", "too-large", "redirect" or "failed"


def megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB"


class _Watchdog:
    """Shuts down the sockets of one client when a request outlives its deadline."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.fired = False

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpx's ``trace`` extension: keep every socket a connection opens."""
        import socket

        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                self.sockets.append(sock)

    def fire(self) -> None:
        import socket

        self.fired = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                # The plain socket's shutdown, also under TLS: a read blocked on it returns.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        import threading

        self.fired = False
        timer = threading.Timer(seconds, self.fire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


@dataclass
class Answer:
    """A response whose body has not been read yet: :meth:`chunks` or :meth:`read` it
    inside the ``with`` of :meth:`Client.open`, where the deadline still holds."""

    status: int
    reason: str
    headers: Mapping[str, str]
    url: str  # where it came from, after redirects
    _response: httpx.Response
    _client: Client

    def chunks(self) -> Iterator[bytes]:
        """The body as it arrives, decoded; NetworkError past the size limit."""
        limit = self._client.max_bytes
        declared = self.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._client.too_large()
        size = 0
        with self._client.translated():
            for chunk in self._response.iter_bytes(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise self._client.too_large()
                yield chunk

    def read(self) -> bytes:
        return b"".join(self.chunks())


class Client:
    """Requests to one server, sharing connections; use as a context manager."""

    def __init__(self, *, timeout: float, max_bytes: int = MAX_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._watchdog = _Watchdog()
        self._httpx: httpx.Client | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._httpx is not None:
            self._httpx.close()
            self._httpx = None

    def _session(self) -> httpx.Client:
        if self._httpx is None:
            import httpx

            self._httpx = httpx.Client(
                transport=_transport(),
                timeout=self.timeout,
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT},
            )
        return self._httpx

    def too_slow(self) -> NetworkError:
        return NetworkError(
            f"no answer within {self.timeout:g} s",
            "try again later; a slow server or a large calendar may need more time: "
            "leadtime config set network_timeout 120",
            kind="timeout",
        )

    def too_large(self) -> NetworkError:
        return NetworkError(
            f"larger than {megabytes(self.max_bytes)}; the download was stopped",
            kind="too-large",
        )

    @contextlib.contextmanager
    def open(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        auth: Any = None,
        redirects: Redirects | None = None,
    ) -> Iterator[Answer]:
        """Send a request; yield its answer, whose body the caller reads inside the
        ``with``. The deadline (``timeout``) covers everything in it: connecting, every
        redirect, the headers and the body.

        A redirect is followed when ``redirects`` allows where it leads; without
        ``redirects`` the 3xx answer itself is yielded.
        """
        session = self._session()
        extensions = {"trace": self._watchdog.trace}
        with self._watchdog.deadline(self.timeout), self.translated():
            target = url
            for _ in range(MAX_REDIRECTS + 1):
                request = session.build_request(
                    method, target, headers=headers, content=content, extensions=extensions
                )
                response = session.send(request, auth=auth, stream=True)
                try:
                    location = response.headers.get("Location")
                    if redirects is None or not response.has_redirect_location or not location:
                        yield Answer(
                            response.status_code,
                            response.reason_phrase,
                            response.headers,
                            str(response.url),
                            response,
                            self,
                        )
                        return
                    target = urljoin(str(response.url), location)
                    refused = redirects(target)
                    if refused is not None:
                        raise NetworkError(refused, kind="redirect")
                finally:
                    response.close()
            raise NetworkError(f"more than {MAX_REDIRECTS} redirects", kind="redirect")

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        """httpx's and the socket's exceptions as NetworkError; a request cut by the
        deadline says so, whatever the socket reported."""
        import socket

        import httpx

        try:
            yield
        except NetworkError:
            if self._watchdog.fired:
                raise self.too_slow() from None
            raise
        except (httpx.HTTPError, OSError) as exc:
            if self._watchdog.fired or isinstance(exc, (httpx.TimeoutException, TimeoutError)):
                raise self.too_slow() from exc
            if isinstance(exc, (httpx.ConnectError, ConnectionError, socket.gaierror)):
                raise NetworkError(
                    f"cannot connect ({connection_reason(exc)})",
                    "check the address and your network connection",
                    kind="connect",
                ) from exc
            raise NetworkError(str(exc) or type(exc).__name__) from exc


def _verified_context() -> ssl.SSLContext:
    """The TLS context of https requests, made once per process (and trust store): loading
    the certificate authorities costs 20 to 100 ms."""
    return _context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """httpx's context: certifi's authorities, or those of ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR`` where they are set (the arguments only key the cache)."""
    import httpx

    return httpx.create_ssl_context()


def _transport() -> httpx.BaseTransport:
    """httpx's transport, by scheme: https with the verified TLS context, loaded on the first
    https request; http with a context that holds no authority at all, so that it could
    verify nothing (it is never used: plain http has no TLS)."""
    import ssl

    import httpx

    class ByScheme(httpx.BaseTransport):
        def __init__(self) -> None:
            refuse_all = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            self.plain = httpx.HTTPTransport(verify=refuse_all, retries=RETRIES)
            self.secure: httpx.HTTPTransport | None = None

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.scheme != "https":
                return self.plain.handle_request(request)
            if self.secure is None:
                self.secure = httpx.HTTPTransport(verify=_verified_context(), retries=RETRIES)
            return self.secure.handle_request(request)

        def close(self) -> None:
            self.plain.close()
            if self.secure is not None:
                self.secure.close()

    return ByScheme()


def connection_reason(exc: BaseException) -> str:
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
