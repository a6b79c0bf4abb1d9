"""Talking to a CalDAV server: one session per call, every failure one masked line.

Requests go through the ``caldav`` client library's :class:`caldav.DAVClient` (connection,
authentication, WebDAV sync); the library is imported only when a request is made. The
transport's and the library's exceptions become :class:`InputError` (exit 4), one line
naming the calendar, the password masked.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, unquote

from leadtime.errors import InputError
from leadtime.secrets import mask_text, mask_url
from leadtime.sources.caldav.address import PASSWORD_VARIABLE, CaldavAddress

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

__all__ = ["Session", "multistatus_props"]


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
            raise self._refused(response.status)
        if response.status != 207:
            raise self.not_caldav(f"HTTP {response.status} to {method}")
        return response

    def _refused(self, status: int) -> InputError:
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
        """Translate the transport's and the library's exceptions into InputError."""
        from caldav.lib import error as dav_error

        transport = _transport_errors()
        try:
            yield
        except InputError:
            raise
        except dav_error.AuthorizationError as exc:
            raise self._refused(getattr(exc, "status", None) or 401) from exc
        except dav_error.NotFoundError as exc:
            raise self.fail("not found (HTTP 404)", hint="check the path") from exc
        except dav_error.DAVError as exc:
            raise self.not_caldav(self.quoted(exc)) from exc
        except transport.timeout as exc:
            raise self.fail(f"no answer within {self.timeout:g} s", hint="try again later") from exc
        except transport.connection as exc:
            raise self.fail(
                f"cannot connect ({_connection_reason(exc)})",
                hint="check the server address and your network connection",
            ) from exc
        except transport.other as exc:
            raise self.fail(self.quoted(exc)) from exc
        except (ValueError, SyntaxError) as exc:  # an answer that is not WebDAV XML
            raise self.not_caldav("the answer is not WebDAV XML") from exc


@dataclass(frozen=True)
class _TransportErrors:
    timeout: tuple[type[BaseException], ...]
    connection: tuple[type[BaseException], ...]
    other: tuple[type[BaseException], ...]


def _transport_errors() -> _TransportErrors:
    """The HTTP library's exceptions: caldav uses niquests when installed, else requests."""
    timeout: list[type[BaseException]] = [TimeoutError]
    connection: list[type[BaseException]] = [ConnectionError]
    other: list[type[BaseException]] = []
    for name in ("niquests", "requests"):
        try:
            module = __import__(f"{name}.exceptions", fromlist=["exceptions"])
        except ImportError:
            continue
        timeout.append(module.Timeout)
        connection.append(module.ConnectionError)
        other.append(module.RequestException)
    try:
        from lxml import etree

        other.append(etree.LxmlError)
    except ImportError:  # pragma: no cover - lxml comes with caldav
        pass
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
