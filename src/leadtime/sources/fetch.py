"""Read a calendar SOURCE (a file, standard input or an http(s)/webcal URL), cheaply if unchanged.

Every read returns a :class:`SourceState` to keep for the next one. Passed back as
``previous``, it lets :func:`read_source` say ``unchanged`` without handing over the data:
a file or standard input whose SHA-256 matches, a URL answered ``304 Not Modified`` to a
conditional GET (``If-None-Match`` / ``If-Modified-Since``), or a ``200`` whose body hashes
the same. The caller decides whether "unchanged" means "skip parsing": the import's own
parameters (the user's addresses, the time zone, the window) matter as much as the bytes, so
the caller should keep them beside the state and re-parse when they differ.

URLs are fetched through leadtime's one HTTP client (:mod:`leadtime.sources.network`):
under a total deadline per request that a server trickling bytes cannot stretch, and a size
limit (the body is streamed and the download stops past ``max_bytes``); at most five
redirects are followed and only to ``http``/``https`` (never ``file:`` or anything else); a
failed connection is tried again. Every message names the address masked
(:func:`leadtime.secrets.mask_url`): feed addresses are secrets.
"""

from __future__ import annotations

import codecs
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from leadtime.errors import InputError
from leadtime.secrets import mask_text, mask_url
from leadtime.sources.network import MAX_BYTES, MAX_REDIRECTS

if TYPE_CHECKING:
    from leadtime.sources.network import Answer

__all__ = ["MAX_BYTES", "MAX_REDIRECTS", "Fetched", "SourceState", "is_url", "read_source"]
_URL_SCHEMES = ("http", "https", "webcal")


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


class _Fetch:
    """One URL download through :mod:`leadtime.sources.network`: redirects only to
    http(s), every message with the address masked."""

    def __init__(self, url: str, *, timeout: float, max_bytes: int) -> None:
        self.url = url
        self.shown = mask_url(url)
        self.timeout = timeout
        self.max_bytes = max_bytes

    def fail(self, reason: str, hint: str | None = None) -> InputError:
        return InputError(f"cannot fetch {self.shown}: {mask_text(reason, [self.url])}", hint=hint)

    def run(self, previous: SourceState | None) -> Fetched:
        from leadtime.sources.network import Client, NetworkError

        target = "https://" + self.url[len("webcal://") :] if self._webcal() else self.url
        headers = {"Accept": "text/calendar, */*"}
        if previous is not None and previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous is not None and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        try:
            with (
                Client(timeout=self.timeout, max_bytes=self.max_bytes) as client,
                client.open("GET", target, headers=headers, redirects=_http_only) as answer,
            ):
                return self._answer(answer, previous)
        except NetworkError as exc:
            raise self.fail(exc.reason, _HINTS.get(exc.kind, exc.hint)) from exc

    def _webcal(self) -> bool:
        return self.url.lower().startswith("webcal://")

    def _answer(self, answer: Answer, previous: SourceState | None) -> Fetched:
        etag = answer.headers.get("ETag")
        modified = answer.headers.get("Last-Modified")
        if answer.status == 304 and previous is not None:
            state = SourceState(
                content_hash=previous.content_hash,
                etag=etag or previous.etag,
                last_modified=modified or previous.last_modified,
            )
            return Fetched(self.shown, None, state, unchanged=True)
        if not 200 <= answer.status < 300:
            raise self.fail(
                f"HTTP {answer.status} {answer.reason}".rstrip(),
                hint="check the address; private feeds often need their secret address",
            )
        data = answer.read()
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


_HINTS = {
    "timeout": "try again later, download the file and import it, or allow more time: "
    "leadtime config set network_timeout 120",
    "too-large": "a calendar this large is unusual: check the address",
    "redirect": "only http and https redirects are followed",
}


def _http_only(target: str) -> str | None:
    """Feeds follow redirects to http and https only (never ``file:`` or anything else)."""
    scheme = urlsplit(target).scheme.lower()
    if scheme in ("http", "https"):
        return None
    return f"redirected to a {scheme}: address, which is not followed"


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
