"""Read a calendar SOURCE (a file, standard input or an http(s)/webcal URL), cheaply if unchanged.

Every read returns a :class:`SourceState` to keep for the next one. Passed back as
``previous``, it lets :func:`read_source` say ``unchanged`` without handing over the data:
a file or standard input whose SHA-256 matches, a URL answered ``304 Not Modified`` to a
conditional GET (``If-None-Match`` / ``If-Modified-Since``), or a ``200`` whose body hashes
the same. The caller decides whether "unchanged" means "skip parsing": the import's own
parameters (the user's addresses, the time zone, the window) matter as much as the bytes, so
the caller should keep them beside the state and re-parse when they differ.

URLs are fetched with httpx under a total time limit and a size limit (the body is streamed
and the download stops past ``max_bytes``), follow at most five redirects and only to
``http``/``https`` (never ``file:`` or anything else), and retry a failed connection. Every
message names the address masked (:func:`leadtime.secrets.mask_url`): feed addresses are
secrets.
"""

from __future__ import annotations

import codecs
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urljoin, urlsplit

from leadtime import __version__
from leadtime.errors import InputError
from leadtime.secrets import mask_text, mask_url

if TYPE_CHECKING:
    import httpx

__all__ = ["MAX_BYTES", "MAX_REDIRECTS", "Fetched", "SourceState", "is_url", "read_source"]

MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
_RETRIES = 2  # connection attempts repeated by the transport (refused, reset, DNS hiccup)
_URL_SCHEMES = ("http", "https", "webcal")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SourceState:
    """What is remembered about a source between two reads (store it beside the calendar)."""

    content_hash: str | None = None  # "sha256:<hex>" of the bytes last read
    etag: str | None = None  # the server's ETag, for If-None-Match
    last_modified: str | None = None  # the server's Last-Modified, for If-Modified-Since


@dataclass(frozen=True)
class Fetched:
    """The result of one read.

    ``label`` names the source for display (a URL masked); ``data`` is ``None`` exactly when
    ``unchanged`` is true; ``state`` is what to pass as ``previous`` next time.
    """

    label: str
    data: bytes | None
    state: SourceState
    unchanged: bool


def is_url(source: str) -> bool:
    """Whether ``source`` is an http://, https:// or webcal:// address."""
    scheme, sep, _ = source.partition("://")
    return bool(sep) and scheme.lower() in _URL_SCHEMES


def _hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _looks_like_calendar(data: bytes) -> bool:
    """Whether the data starts (after a BOM and white space) with BEGIN:VCALENDAR."""
    head = data[:4096]
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            break
    else:
        text = head.decode("latin-1")
    return text.lstrip(" \t\r\n\x00").upper().startswith("BEGIN:VCALENDAR")


def _from_bytes(label: str, data: bytes, previous: SourceState | None) -> Fetched:
    digest = _hash(data)
    state = SourceState(content_hash=digest)
    if previous is not None and previous.content_hash == digest:
        return Fetched(label, None, state, unchanged=True)
    return Fetched(label, data, state, unchanged=False)


def _read_file(source: str) -> bytes:
    path = Path(source).expanduser()
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{source}: is a directory, not a calendar file") from exc
    except PermissionError as exc:
        raise InputError(f"{source}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from exc


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB"


class _Fetch:
    """One URL download: redirects, limits and errors, all reported with the address masked."""

    def __init__(self, url: str, *, timeout: float, max_bytes: int) -> None:
        self.url = url
        self.shown = mask_url(url)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.deadline = time.monotonic() + timeout

    def fail(self, reason: str, hint: str | None = None) -> InputError:
        return InputError(f"cannot fetch {self.shown}: {mask_text(reason, [self.url])}", hint=hint)

    def too_slow(self) -> InputError:
        return self.fail(
            f"no answer within {self.timeout:g} s",
            hint="try again later, or download the file and import it",
        )

    def run(self, previous: SourceState | None) -> Fetched:
        import httpx

        target = "https://" + self.url[len("webcal://") :] if self._webcal() else self.url
        headers = {"User-Agent": f"leadtime/{__version__}", "Accept": "text/calendar, */*"}
        if previous is not None and previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous is not None and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        transport = httpx.HTTPTransport(retries=_RETRIES)
        try:
            with httpx.Client(
                transport=transport, timeout=self.timeout, follow_redirects=False
            ) as client:
                return self._follow(client, target, headers, previous)
        except httpx.TimeoutException as exc:
            raise self.too_slow() from exc
        except httpx.ConnectError as exc:
            raise self.fail(
                f"cannot connect ({exc})", hint="check the address and your network connection"
            ) from exc
        except httpx.HTTPError as exc:
            raise self.fail(str(exc) or type(exc).__name__) from exc

    def _webcal(self) -> bool:
        return self.url.lower().startswith("webcal://")

    def _follow(
        self,
        client: httpx.Client,
        target: str,
        headers: dict[str, str],
        previous: SourceState | None,
    ) -> Fetched:
        for _ in range(MAX_REDIRECTS + 1):
            with client.stream("GET", target, headers=headers) as response:
                if response.has_redirect_location:
                    location = response.headers.get("Location", "")
                    target = urljoin(str(response.url), location)
                    scheme = urlsplit(target).scheme.lower()
                    if scheme not in ("http", "https"):
                        raise self.fail(
                            f"redirected to a {scheme}: address, which is not followed",
                            hint="only http and https redirects are followed",
                        )
                    continue
                return self._answer(response, previous)
        raise self.fail(f"more than {MAX_REDIRECTS} redirects")

    def _answer(self, response: httpx.Response, previous: SourceState | None) -> Fetched:
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if response.status_code == 304 and previous is not None:
            state = SourceState(
                content_hash=previous.content_hash,
                etag=etag or previous.etag,
                last_modified=modified or previous.last_modified,
            )
            return Fetched(self.shown, None, state, unchanged=True)
        if not response.is_success:
            raise self.fail(
                f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                hint="check the address; private feeds often need their secret address",
            )
        data = self._body(response)
        if not _looks_like_calendar(data):
            raise InputError(
                f"{self.shown} did not return a calendar",
                hint="the address may lead to a login page; use the calendar's secret iCal address",
            )
        digest = _hash(data)
        state = SourceState(content_hash=digest, etag=etag, last_modified=modified)
        if previous is not None and previous.content_hash == digest:
            return Fetched(self.shown, None, state, unchanged=True)
        return Fetched(self.shown, data, state, unchanged=False)

    def _body(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big()
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_big()
            if time.monotonic() > self.deadline:
                raise self.too_slow()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self) -> InputError:
        return self.fail(
            f"larger than {_megabytes(self.max_bytes)}; the download was stopped",
            hint="a calendar this large is unusual: check the address",
        )


def read_source(
    source: str,
    *,
    previous: SourceState | None = None,
    timeout: float = 30.0,
    max_bytes: int = MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Fetched:
    """Read a calendar source; say ``unchanged`` (without its data) when it has not changed.

    ``source`` is a file path, ``-`` for standard input (``stdin`` or ``sys.stdin``), or an
    ``http://``, ``https://`` or ``webcal://`` address (webcal is fetched over HTTPS).
    ``previous`` is the :attr:`Fetched.state` of the last read of the same source, or
    ``None`` for a first read. Files and standard input compare the SHA-256 of their bytes;
    URLs send a conditional GET and treat ``304``, or a ``200`` whose body hashes the same,
    as unchanged. The import parameters (addresses, zone, window) are not part of the state:
    a caller that skips parsing on ``unchanged`` must also check that those are the same.

    ``timeout`` bounds the whole download in seconds, ``max_bytes`` its size. Anything that
    cannot be read raises :class:`InputError` with one line naming the source (a URL
    masked); so does a URL whose answer is not a calendar (a login page, say). Files and
    standard input are checked by :func:`leadtime.sources.ics.parse_calendar`.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read()
        except OSError as exc:
            raise InputError(f"standard input: cannot read ({exc})") from exc
        return _from_bytes("<stdin>", data, previous)
    if is_url(source):
        return _Fetch(source, timeout=timeout, max_bytes=max_bytes).run(previous)
    return _from_bytes(source, _read_file(source), previous)
