"""Read a whole Watson history (its ``frames`` and ``state`` files) into entries.

Watson keeps its data as JSON in one directory (``WATSON_DIR``, else its config directory,
``~/.config/watson`` on Linux): ``frames`` is a list of ``[start, stop, project, id, tags,
updated_at]`` rows (times as Unix seconds), ``state`` the running frame or ``{}``. This
module only reads those files; it never imports Watson.

Decisions a user can notice:

* Every frame becomes one entry: the project is the title, the tags are the tags, the
  frame id is the key (``uid``), so importing again updates instead of duplicating.
* A frame that stops before it starts, lasts zero minutes, lasts more than 24 hours (the
  longest leadtime entry; almost always a timer left running overnight) or cannot be read
  is skipped and reported with its frame id; the rest is imported. Splitting such a frame
  would count a forgotten timer as days of work.
* A tag never contains a comma in leadtime: each comma becomes a space, runs of white
  space become one space, empty and repeated tags are dropped (``"a,b"`` -> ``"a b"``).
* The running frame in ``state`` is returned as :class:`RunningTimer`, not as an entry.

:class:`TrackerImport`, :class:`RunningTimer` and the helpers below are shared with the
Timewarrior source.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leadtime.entry import MAX_TRACKED, Entry, Origin, clean_tags
from leadtime.errors import InputError
from leadtime.sources.ics import ImportProblem
from leadtime.text import escaped

__all__ = [
    "SHOWN",
    "RunningTimer",
    "TrackerImport",
    "default_watson_dir",
    "read_watson",
    "span_problem",
]

SHOWN = 60  # characters of untrusted text quoted in a problem line


@dataclass(frozen=True, slots=True)
class RunningTimer:
    """A timer still running in the other tool: what leadtime's own timer would hold."""

    title: str
    start: datetime  # aware UTC
    tags: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class TrackerImport:
    """The result of reading a time tracker's history."""

    entries: tuple[Entry, ...]  # sorted by start, then uid
    items_read: int  # frames or intervals found, including skipped and running ones
    problems: tuple[ImportProblem, ...]
    running: RunningTimer | None
    window: tuple[datetime, datetime] | None  # earliest start, latest end; None if no entry


# --------------------------------------------------------------------------- shared helpers


def span_problem(start: datetime, end: datetime, what: str) -> str | None:
    """Why ``start``..``end`` cannot be one entry (``what`` is "frame" or "interval")."""
    if end < start:
        return f"the {what} ends before it starts; skipped"
    if end == start:
        return f"the {what} lasts zero minutes; skipped"
    if end - start > MAX_TRACKED:
        hours = (end - start).total_seconds() / 3600
        return (
            f"the {what} lasts {hours:.1f} h, more than the 24 h one entry may last "
            "(a timer left running?); skipped: correct it and import again"
        )
    return None


def window_of(entries: Iterable[Entry]) -> tuple[datetime, datetime] | None:
    items = list(entries)
    if not items:
        return None
    return min(e.start for e in items), max(e.end for e in items)


def instant(value: Any) -> datetime | None:
    """Unix seconds (or an ISO 8601 time with an offset) as an aware UTC datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return None
        return parsed.astimezone(UTC)
    return None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def decode_text(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not UTF-8 text (byte {exc.start})") from None


# --------------------------------------------------------------------------- Watson


def default_watson_dir() -> Path:
    """Where Watson keeps its files: ``WATSON_DIR``, else its per-user config directory."""
    configured = os.environ.get("WATSON_DIR")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_dir

    # Watson asks click for its directory; these are the same places on every platform.
    return Path(user_config_dir("watson", appauthor=False, roaming=True))


_HINT = "pass Watson's directory (the one holding 'frames'), or set WATSON_DIR"


def read_watson(directory: Path | None = None, *, name: str = "watson") -> TrackerImport:
    """Read every frame in ``directory`` (default :func:`default_watson_dir`).

    ``name`` is stored as each entry's ``calendar``. Raises :class:`InputError` when the
    directory or its ``frames`` file is missing or is not a JSON list; a frame that cannot
    be imported becomes an :class:`ImportProblem` naming its frame id.
    """
    folder = directory if directory is not None else default_watson_dir()
    if not folder.is_dir():
        raise InputError(f"{folder}: no such directory", hint=_HINT)
    frames_path = folder / "frames"
    if not frames_path.is_file():
        raise InputError(f"{folder}: no Watson 'frames' file here", hint=_HINT)
    label = str(frames_path)
    text = decode_text(read_bytes(frames_path), label)
    rows = _json(text, label, default=[])
    if not isinstance(rows, list):
        raise InputError(f"{label}: not a list of frames", hint=_HINT)

    problems: list[ImportProblem] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        entry = _frame(row, index, name, label, problems)
        if entry is None:
            continue
        assert entry.uid is not None
        if entry.uid in seen:
            problems.append(
                ImportProblem(
                    label, escaped(entry.uid, SHOWN), "the frame id appears again; skipped"
                )
            )
            continue
        seen.add(entry.uid)
        entries.append(entry)
    entries.sort(key=lambda e: (e.start, e.uid or ""))
    running = _state(folder / "state", problems)
    return TrackerImport(
        entries=tuple(entries),
        items_read=len(rows),
        problems=tuple(problems),
        running=running,
        window=window_of(entries),
    )


def _json(text: str, label: str, *, default: Any) -> Any:
    if not text.strip():
        return default  # Watson itself reads an empty file as "nothing yet"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{label}: not valid JSON (nested too deeply)") from None


def _frame(
    row: Any, index: int, name: str, label: str, problems: list[ImportProblem]
) -> Entry | None:
    def skip(uid: str | None, reason: str) -> None:
        problems.append(ImportProblem(label, escaped(uid, SHOWN) if uid else None, reason))

    if not isinstance(row, list) or len(row) < 4:
        skip(None, f"frame {index} is not a [start, stop, project, id, tags] list; skipped")
        return None
    start_raw, stop_raw, project, frame_id = row[:4]
    tags_raw = row[4] if len(row) > 4 else None
    if not isinstance(frame_id, str) or not frame_id.strip():
        skip(None, f"frame {index} has no frame id; skipped")
        return None
    start, stop = instant(start_raw), instant(stop_raw)
    if start is None:
        skip(frame_id, "the start is not a time; skipped")
        return None
    if stop is None:
        skip(frame_id, "the stop is not a time; skipped")
        return None
    if not isinstance(project, str) or not project.strip():
        skip(frame_id, "the frame has no project; skipped")
        return None
    tags = _tag_list(tags_raw)
    if tags is None:
        skip(frame_id, "the tags are not a list of text; skipped")
        return None
    reason = span_problem(start, stop, "frame")
    if reason is not None:
        skip(frame_id, reason)
        return None
    return Entry(
        start=start,
        end=stop,
        title=project.strip(),
        origin=Origin.WATSON,
        tags=clean_tags(tags),
        calendar=name,
        uid=frame_id,
    )


def _tag_list(value: Any) -> list[str] | None:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return None
    return value


def _state(path: Path, problems: list[ImportProblem]) -> RunningTimer | None:
    """The running frame, if any: ``{"project": ..., "start": seconds, "tags": [...]}``."""
    if not path.is_file():
        return None
    label = str(path)
    unreadable = ImportProblem(label, None, "the running frame cannot be read; ignored")
    try:
        state = _json(decode_text(read_bytes(path), label), label, default={})
    except InputError:
        problems.append(unreadable)
        return None
    if not isinstance(state, dict):
        problems.append(unreadable)
        return None
    if "project" not in state:
        return None  # Watson writes {} when nothing runs
    project, start, tags = state["project"], instant(state.get("start")), state.get("tags")
    tag_list = _tag_list(tags)
    if not isinstance(project, str) or not project.strip() or start is None or tag_list is None:
        problems.append(unreadable)
        return None
    return RunningTimer(title=project.strip(), start=start, tags=clean_tags(tag_list))
