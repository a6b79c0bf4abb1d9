"""Read the bytes of a calendar SOURCE: a file, standard input, or an http(s)/webcal URL."""

from __future__ import annotations

import codecs
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO

from leadtime import __version__
from leadtime.errors import InputError

__all__ = ["read_source"]

_URL_PREFIXES = ("http://", "https://", "webcal://")


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


def _fetch(url: str, timeout: float) -> bytes:
    target = "https://" + url[len("webcal://") :] if url.lower().startswith("webcal://") else url
    request = urllib.request.Request(
        target,
        headers={"User-Agent": f"leadtime/{__version__}", "Accept": "text/calendar, */*"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"cannot fetch {url}: HTTP {exc.code} {exc.reason}",
            hint="check the address; private feeds often need their secret URL",
        ) from exc
    except urllib.error.URLError as exc:
        raise InputError(
            f"cannot fetch {url}: {exc.reason}",
            hint="check the address and your network connection",
        ) from exc
    except TimeoutError as exc:
        raise InputError(
            f"cannot fetch {url}: no answer within {timeout:g} s",
            hint="try again later, or download the file and import it",
        ) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch {url}: {exc}") from exc
    if not _looks_like_calendar(data):
        raise InputError(
            f"{url} did not return a calendar",
            hint="the address may lead to a login page; use the calendar's secret iCal address",
        )
    return data


def _read_file(source: str) -> bytes:
    path = Path(source).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{source}: is a directory, not a calendar file") from exc
    except PermissionError as exc:
        raise InputError(f"{source}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    return data


def read_source(
    source: str, *, timeout: float = 30.0, stdin: BinaryIO | None = None
) -> tuple[str, bytes]:
    """Return ``(label, bytes)`` of a calendar source.

    ``source`` is a file path, ``-`` for standard input (``stdin`` or ``sys.stdin``), or
    an ``http://``, ``https://`` or ``webcal://`` address (webcal is fetched over HTTPS).
    Anything that cannot be read raises :class:`InputError` naming the source; so does
    a URL whose answer is not a calendar (a login page, say). Files and standard input
    are checked by :func:`leadtime.sources.ics.parse_calendar`.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read()
        except OSError as exc:
            raise InputError(f"standard input: cannot read ({exc})") from exc
        return "<stdin>", data
    if source.lower().startswith(_URL_PREFIXES):
        return source, _fetch(source, timeout)
    return source, _read_file(source)
