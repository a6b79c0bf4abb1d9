"""Talking to a CalDAV server: WebDAV requests over leadtime's one HTTP client, every
failure one masked line.

CalDAV is a few requests (PROPFIND and REPORT, RFC 4918, 4791 and 6578) whose answers are
multistatus XML: they are sent through :mod:`leadtime.sources.network` (a total deadline
per request, a size limit on every answer) and read as they arrive
(:mod:`.multistatus`). What a server cannot decide:

* **where the password goes.** It is sent only to the origin (scheme, host, port) of the
  address the user typed: a request to any other origin is refused before it is made, a
  redirect is followed only within that origin. Basic authentication is sent with the
  first request; a server that asks for Digest gets Digest (httpx's).
* **how long a request lasts and how large its answer is** (see :mod:`.network`).

Failures raise :class:`InputError` (exit 4), one line naming the calendar, the password
masked.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from leadtime.errors import InputError
from leadtime.secrets import mask_text, mask_url
from leadtime.sources.caldav.address import PASSWORD_VARIABLE, CaldavAddress
from leadtime.sources.caldav.multistatus import DavResponse, MultistatusReader, NotMultistatus
from leadtime.sources.network import MAX_BYTES, Client, NetworkError

__all__ = ["ELSEWHERE_HINT", "Origin", "Reply", "Session", "origin_of"]

Origin = tuple[str, str, int]  # scheme, host (lower case), port
ELSEWHERE_HINT = (
    "the password is only sent to the server in the address; "
    "if you trust the other one, import its own address"
)
_ERROR_BODY = 64 * 1024  # what is read of an answer that is not a multistatus


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, the port made explicit; None otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


@dataclass(frozen=True)
class Reply:
    """What a request got back: its status; for a multistatus the document's sync token
    (the responses went to the callback); otherwise the start of the body."""

    status: int
    sync_token: str | None = None
    body: bytes = b""


@dataclass
class Session:
    """Requests to one CalDAV account, sharing connections, with its error translation."""

    address: CaldavAddress
    password: str
    timeout: float
    target: str  # the URL named in messages
    max_bytes: int = MAX_BYTES
    requests: int = 0
    _client: Client | None = field(default=None, repr=False)
    _digest: Any = field(default=None, repr=False)  # httpx.DigestAuth, once a server asks
    origin: Origin | None = field(init=False)  # where the password may go

    def __post_init__(self) -> None:
        self.origin = origin_of(self.address.url)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def secrets(self) -> list[str]:
        return [self.password, quote(self.password, safe="")]

    def fail(self, reason: str, hint: str | None = None) -> InputError:
        """One line naming the calendar; ``reason`` is masked of the password and URLs."""
        reason = mask_text(reason, self.secrets())
        return InputError(f"CalDAV {mask_url(self.target)}: {reason}", hint=hint)

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

    def elsewhere(self, url: str) -> str:
        """``URL, another server than ADDRESS``: where the password is not sent."""
        return f"{mask_url(url)}, another server than {mask_url(self.address.url)}"

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Network failures as one InputError line; the connections closed at the end."""
        try:
            yield
        except NetworkError as exc:
            hint = exc.hint
            if exc.kind == "redirect":
                hint = ELSEWHERE_HINT
            elif exc.kind == "too-large":
                hint = "a calendar this large is unusual: import a shorter period (--since)"
            raise self.fail(exc.reason, hint) from exc
        finally:
            self.close()

    def send(
        self,
        url: str,
        method: str,
        body: str,
        depth: int | None,
        each: Callable[[DavResponse], None] | None = None,
    ) -> Reply:
        """One request; a 207 answer is read as it arrives, each response to ``each``.

        Never sends anything to an origin other than the address's (InputError)."""
        if origin_of(url) != self.origin:
            raise self.fail(f"not asked at {self.elsewhere(url)}", hint=ELSEWHERE_HINT)
        headers = {"Content-Type": 'application/xml; charset="utf-8"'}
        if depth is not None:
            headers["Depth"] = str(depth)
        if self._client is None:
            self._client = Client(timeout=self.timeout, max_bytes=self.max_bytes)
        for _ in range(2):  # once more with Digest when the server asks for it
            self.requests += 1
            with self._client.open(
                method,
                url,
                headers={**headers, **self._basic()},
                content=body.encode("utf-8"),
                auth=self._digest,
                redirects=self._within_origin,
            ) as answer:
                challenge = answer.headers.get("WWW-Authenticate", "").lower()
                if answer.status == 401 and self._digest is None and "digest" in challenge:
                    import httpx

                    self._digest = httpx.DigestAuth(self.address.user, self.password)
                    continue
                if answer.status != 207:
                    return Reply(answer.status, body=_head(answer.chunks()))
                reader = MultistatusReader(each or (lambda _response: None))
                try:
                    for chunk in answer.chunks():
                        reader.feed(chunk)
                    reader.close()
                except NotMultistatus as exc:
                    raise self.not_caldav(f"the answer to {method} is {exc}") from None
                return Reply(207, reader.sync_token)
        raise AssertionError("unreachable")  # the second round returns or raises

    def multistatus(
        self,
        url: str,
        method: str,
        body: str,
        depth: int | None,
        each: Callable[[DavResponse], None],
        *,
        missing: str = "check the path in the CalDAV address",
    ) -> Reply:
        """:meth:`send`, where anything but a multistatus is an error (``missing``: the
        hint for a 404)."""
        reply = self.send(url, method, body, depth, each)
        if reply.status == 207:
            return reply
        raise self.unexpected(reply.status, method, missing)

    def unexpected(self, status: int, method: str, missing: str) -> InputError:
        if status == 404:
            return self.fail("not found (HTTP 404)", hint=missing)
        if status in (401, 403):
            return self.refused(status)
        return self.not_caldav(f"HTTP {status} to {method}")

    def _basic(self) -> dict[str, str]:
        if self._digest is not None:
            return {}
        pair = f"{self.address.user}:{self.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    def _within_origin(self, target: str) -> str | None:
        if origin_of(target) == self.origin:
            return None
        return "redirected to " + self.elsewhere(target)


def _head(chunks: Iterator[bytes]) -> bytes:
    """The start of a body that is not a multistatus (an error page, a precondition)."""
    kept = b""
    for chunk in chunks:
        kept += chunk
        if len(kept) >= _ERROR_BODY:
            break
    return kept[:_ERROR_BODY]
