"""Read a whole Timewarrior history into entries: ``timew export`` JSON or the data files.

Two forms are read, told apart by their content:

* the JSON list that ``timew export`` prints (a file, or bytes from standard input);
* Timewarrior's data directory (``TIMEWARRIORDB``; ``~/.timewarrior`` or
  ``~/.local/share/timewarrior``), whose ``data/YYYY-MM.data`` files hold one interval a
  line: ``inc 20261120T090000Z - 20261120T100000Z # tag1 "tag two" # "annotation"``. The
  words are read the way Timewarrior reads them back: double- or single-quoted words with
  backslash escapes (``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\uXXXX``, ...), bare words up to
  white space with backslashes kept, the annotation's words joined with one space.

Decisions a user can notice:

* Timewarrior keeps an interval's tags sorted, so no tag is "the first": the title is all
  the tags joined with ``", "`` (as ``timew summary`` shows them). An untagged interval is
  titled with its annotation, or ``(no tags)``. The annotation is the note.
* The key (``uid``) is the interval's start in UTC, ``20261120T090000Z``; importing again
  updates instead of duplicating (Timewarrior never lets two intervals start together).
* Tags lose their commas as for Watson (``"a,b"`` -> ``"a b"``).
* The open interval (no end) is returned as the running timer. An interval that ends
  before it starts, lasts zero minutes or more than 24 hours, or cannot be read is
  skipped and reported with its start; the rest is imported.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadtime.entry import Entry, Origin, clean_tags
from leadtime.errors import InputError
from leadtime.sources.ics import ImportProblem
from leadtime.sources.watson import (
    SHOWN,
    RunningTimer,
    TrackerImport,
    read_bytes,
    span_problem,
    window_of,
)
from leadtime.text import escaped

__all__ = ["default_timewarrior_dir", "read_timewarrior"]

NO_TAGS = "(no tags)"
STDIN = "-"
_STAMP = "%Y%m%dT%H%M%SZ"
_MONTH_FILE = re.compile(r"\d{4}-\d{2}\.data")
_HINT = "pass a `timew export` file, - for standard input, or Timewarrior's data directory"
# White space as Timewarrior's lexer knows it.
_SPACE = frozenset(
    "\u0020\u0009\u000a\u000b\u000c\u000d\u0085\u00a0\u1680\u180e"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000"
)
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")


@dataclass(frozen=True, slots=True)
class _Interval:
    """One interval as written: ``end`` is None while it runs."""

    start: datetime
    end: datetime | None
    tags: tuple[str, ...]
    annotation: str


def default_timewarrior_dir() -> Path:
    """``TIMEWARRIORDB``, else ``~/.timewarrior`` if it exists, else the XDG data directory."""
    configured = os.environ.get("TIMEWARRIORDB")
    if configured:
        return Path(configured).expanduser()
    legacy = Path.home() / ".timewarrior"
    if legacy.is_dir():
        return legacy
    from platformdirs import user_data_dir

    return Path(user_data_dir("timewarrior", appauthor=False))


def read_timewarrior(
    source: str | Path | None = None, *, name: str = "timewarrior", data: bytes | None = None
) -> TrackerImport:
    """Read every interval of a Timewarrior history.

    ``source`` is a ``timew export`` file, a single ``YYYY-MM.data`` file, Timewarrior's
    data directory (default :func:`default_timewarrior_dir`), or ``"-"`` with the bytes
    read from standard input given as ``data``. ``name`` is stored as each entry's
    ``calendar``. Raises :class:`InputError` when the source is missing or is neither
    form; an interval that cannot be imported becomes an :class:`ImportProblem`.
    """
    where = source if source is not None else default_timewarrior_dir()
    problems: list[ImportProblem] = []
    intervals: list[tuple[str, _Interval]] = []  # (label for problems, interval)
    read = 0
    if str(where) == STDIN or data is not None:
        label = "<stdin>" if str(where) == STDIN else str(where)
        if data is None:
            raise InputError("nothing on standard input", hint=_HINT)
        read = _read_text(_decode(data, label, problems), label, intervals, problems)
    else:
        path = Path(where)
        if path.is_dir():
            for file in _data_files(path):
                text = _decode(read_bytes(file), str(file), problems)
                read += _read_lines(text, str(file), intervals, problems)
        elif path.is_file():
            text = _decode(read_bytes(path), str(path), problems)
            read = _read_text(text, str(path), intervals, problems)
        else:
            raise InputError(f"{path}: no such file or directory", hint=_HINT)
    return _collect(intervals, read, problems, name)


# --------------------------------------------------------------------------- the two forms


def _read_text(
    text: str, label: str, out: list[tuple[str, _Interval]], problems: list[ImportProblem]
) -> int:
    body = text.strip()
    if not body:
        raise InputError(f"{label}: empty, not a Timewarrior export", hint=_HINT)
    if body.startswith("["):
        return _read_json(body, label, out, problems)
    if body.split(maxsplit=1)[0] == "inc":
        return _read_lines(text, label, out, problems)
    raise InputError(f"{label}: neither `timew export` JSON nor Timewarrior data lines", hint=_HINT)


def _decode(data: bytes, label: str, problems: list[ImportProblem]) -> str:
    # Timewarrior writes what it was given; a bad byte must not cost the whole history.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reason = f"not valid UTF-8 (byte {exc.start}); unreadable bytes were replaced"
        problems.append(ImportProblem(label, None, reason))
        return data.decode("utf-8-sig", errors="replace")


def _data_files(directory: Path) -> list[Path]:
    folder = directory / "data" if (directory / "data").is_dir() else directory
    try:
        names = sorted(p for p in folder.iterdir() if p.suffix == ".data")
    except OSError as exc:
        raise InputError(f"{folder}: cannot read ({exc.strerror or exc})") from None
    if not names:
        raise InputError(f"{directory}: no Timewarrior data files (YYYY-MM.data) here", hint=_HINT)
    return [p for p in names if _MONTH_FILE.fullmatch(p.name) and p.is_file()]


def _read_json(
    body: str, label: str, out: list[tuple[str, _Interval]], problems: list[ImportProblem]
) -> int:
    try:
        rows = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno})", hint=_HINT
        ) from None
    except RecursionError:
        raise InputError(f"{label}: not valid JSON (nested too deeply)") from None
    if not isinstance(rows, list):
        raise InputError(f"{label}: not a list of intervals", hint=_HINT)
    for index, row in enumerate(rows, start=1):
        interval = _from_json(row)
        if isinstance(interval, str):
            key = _key_hint(row.get("start") if isinstance(row, dict) else None)
            problems.append(ImportProblem(label, key, f"interval {index}: {interval}; skipped"))
        else:
            out.append((label, interval))
    return len(rows)


def _from_json(row: Any) -> _Interval | str:
    if not isinstance(row, dict):
        return "not an object"
    start = _stamp(row.get("start"))
    if start is None:
        return "the start is missing or not a time"
    end = None
    if row.get("end") is not None:
        end = _stamp(row["end"])
        if end is None:
            return "the end is not a time"
    tags = row.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "the tags are not a list of text"
    annotation = row.get("annotation", "")
    if not isinstance(annotation, str):
        return "the annotation is not text"
    return _Interval(start, end, tuple(tags), annotation)


def _read_lines(
    text: str, label: str, out: list[tuple[str, _Interval]], problems: list[ImportProblem]
) -> int:
    read = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        read += 1
        interval, problem = _from_line(line)
        if problem is not None:
            words = _words(line)
            key = _key_hint(words[1] if len(words) > 1 else None)
            problems.append(ImportProblem(label, key, f"line {number}: {problem}"))
        if interval is not None:
            out.append((label, interval))
    return read


def _from_line(line: str) -> tuple[_Interval | None, str | None]:
    """``inc START [- END] [# TAG ... [# ANNOTATION ...]]``, as Timewarrior reads it.

    Returns the interval (None when it cannot be read) and what was wrong with the line.
    """
    words = _words(line)
    if not words or words[0] != "inc":
        return None, "not an interval (no 'inc'); skipped"
    start = _stamp(words[1]) if len(words) > 1 else None
    if start is None:
        return None, "the start is missing or not a time; skipped"
    rest = 2
    end = None
    if len(words) > 3 and words[2] == "-":
        end = _stamp(words[3])
        if end is None:
            return None, "the end is not a time; skipped"
        rest = 4
    tags: list[str] = []
    annotation: list[str] = []
    problem = None
    if rest < len(words) and words[rest] != "#":
        # Timewarrior itself ignores such words; keep the time, say what was dropped.
        problem = "text after the times without '#' was ignored"
    elif rest < len(words):
        index = rest + 1
        while index < len(words) and words[index] != "#":
            tags.append(words[index])
            index += 1
        annotation = words[index + 1 :]
    return _Interval(start, end, tuple(tags), " ".join(annotation)), problem


def _words(line: str) -> list[str]:
    """Split a data line into words, unquoting and unescaping quoted ones."""
    words: list[str] = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in _SPACE:
            i += 1
        if i >= n:
            return words
        if line[i] in "\"'":
            quoted = _quoted(line, i)
            if quoted is not None:
                word, i = quoted
                words.append(word)
                continue
        j = i
        while j < n and line[j] not in _SPACE:
            j += 1
        words.append(line[i:j])
        i = j


def _quoted(line: str, i: int) -> tuple[str, int] | None:
    """The quoted word at ``line[i]`` and the index after it; None if it is not closed."""
    quote, j, n = line[i], i + 1, len(line)
    chars: list[str] = []
    while j < n:
        ch = line[j]
        if ch == quote:
            return "".join(chars), j + 1
        if ch == "\\" and j + 1 < n:
            after = line[j + 1]
            if after == "u" and _HEX4.fullmatch(line, j + 2, j + 6):
                code = int(line[j + 2 : j + 6], 16)
                chars.append("\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code))
                j += 6
            else:
                chars.append(_ESCAPES.get(after, after))
                j += 2
            continue
        chars.append(ch)
        j += 1
    return None


def _stamp(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) != 16:
        return None
    try:
        return datetime.strptime(value, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def _key(start: datetime) -> str:
    return start.strftime(_STAMP)


def _key_hint(value: Any) -> str | None:
    return escaped(value, SHOWN) if isinstance(value, str) and value.strip() else None


# --------------------------------------------------------------------------- entries


def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    # Timewarrior holds tags as a sorted set; sorting here gives both forms the same order.
    return clean_tags(sorted(set(tags)))


def _title(tags: tuple[str, ...], annotation: str) -> str:
    if tags:
        return ", ".join(tags)
    return " ".join(annotation.split()) or NO_TAGS


def _collect(
    intervals: list[tuple[str, _Interval]], read: int, problems: list[ImportProblem], name: str
) -> TrackerImport:
    entries: dict[str, Entry] = {}
    open_ones: list[tuple[str, _Interval]] = []
    for label, interval in intervals:
        key = _key(interval.start)
        if interval.end is None:
            open_ones.append((label, interval))
            continue
        reason = span_problem(interval.start, interval.end, "interval")
        if reason is None and key in entries:
            reason = "another interval starts at the same time; skipped"
        if reason is not None:
            problems.append(ImportProblem(label, key, reason))
            continue
        tags = _tags(interval.tags)
        annotation = interval.annotation.strip()
        entries[key] = Entry(
            start=interval.start,
            end=interval.end,
            title=_title(tags, annotation),
            origin=Origin.TIMEWARRIOR,
            note=annotation,
            tags=tags,
            calendar=name,
            uid=key,
        )
    running = None
    open_ones.sort(key=lambda item: item[1].start)
    for label, interval in open_ones[:-1]:
        reason = "an open interval that is not the latest one; skipped"
        problems.append(ImportProblem(label, _key(interval.start), reason))
    if open_ones:
        latest = open_ones[-1][1]
        tags = _tags(latest.tags)
        note = latest.annotation.strip()
        running = RunningTimer(title=_title(tags, note), start=latest.start, tags=tags, note=note)
    ordered = tuple(sorted(entries.values(), key=lambda e: e.start))
    return TrackerImport(
        entries=ordered,
        items_read=read,
        problems=tuple(problems),
        running=running,
        window=window_of(ordered),
    )
