"""Reading one source of any kind — a calendar file, feed or CalDAV calendar, a git
repository, a Watson or Timewarrior history — into a :class:`Planned` import: entries
classified, nothing written yet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadtime.app.workspace import Workspace
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from leadtime.app.importing import ImportOptions
    from leadtime.entry import Entry
    from leadtime.sources.ics import ImportProblem
    from leadtime.sources.watson import RunningTimer
    from leadtime.store import SourceInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TRACKERS = ("git", "watson", "timewarrior")  # ``leadtime import KIND ...``
Progress = Callable[[str], Callable[[int, int], None] | None]
"""Given a source's label, a ``(done, total)`` callback for its progress (or None)."""


@dataclass(frozen=True)
class Planned:
    """One source read, its entries classified, ready to be written."""

    kind: str  # "ics", "git", "watson" or "timewarrior"
    source: str  # what is remembered: a path, a URL, or "git:PATH" / "watson:DIR" ...
    calendar: str  # the name its entries are stored under
    entries: tuple[Entry, ...]
    window: tuple[datetime, datetime]  # stored entries starting here that were not read go
    problems: tuple[ImportProblem, ...]
    items: int  # events, commits, frames or intervals read
    note: str | None = None  # something the user should know about this source
    running: RunningTimer | None = None  # a timer still running in the tool it came from
    state: dict[str, Any] = field(default_factory=dict)  # remembered for the next import
    unchanged: bool = False  # the source did not change: nothing to write but the date
    objects: dict[str, tuple[str | None, bytes]] | None = None  # CalDAV: href -> etag, data


def is_url(source: str) -> bool:
    return source.split("://", 1)[0].lower() in ("http", "https", "webcal")


def is_caldav(source: str) -> bool:
    return source.split("://", 1)[0].lower() in ("caldav+http", "caldav+https")


def default_name(source: str) -> str:
    """The calendar name a source gets without ``--calendar``: the file's stem, ``stdin``,
    or for a URL its host and file stem."""
    if source == "-":
        return "stdin"
    kind, _, location = source.partition(":")
    if kind in TRACKERS and not is_url(source):
        if kind == "git":
            from leadtime.sources.git import repository_name

            return f"git:{repository_name(Path(location))}"
        return kind
    if is_url(source) or is_caldav(source):
        from leadtime.secrets import default_name as url_name

        return url_name(source)
    return Path(source).stem


def source_key(source: str) -> str:
    if is_url(source) or is_caldav(source) or source == "-" or tracker_kind(source) != "ics":
        return source
    from leadtime.sources import resolve_path

    return str(resolve_path(Path(source).expanduser()))


def parameters_of(ws: Workspace, me: tuple[str, ...], window: tuple[datetime, datetime]) -> str:
    """What, besides the bytes, decides how a calendar is read: unchanged bytes read with
    other parameters (addresses, zone, window, rules) are read again."""
    import hashlib

    text = "\x1f".join([*me, ws.tz, window[0].isoformat(), window[1].isoformat(), ws.fingerprint])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_calendar(
    ws: Workspace,
    source: str,
    name: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    progress: Progress | None = None,
    known: SourceInfo | None = None,
) -> Planned:
    """Fetch, parse, expand and classify one calendar source (no database write).

    A source whose bytes (content hash, or the server's ETag / Last-Modified) and import
    parameters are those of the last import is not parsed again: it is ``unchanged``.
    """
    from leadtime.sources.fetch import SourceState, read_source

    parameters = parameters_of(ws, me, window)
    previous = None
    same = known is not None and known.source == source
    if same and known is not None and known.state.get("parameters") == parameters:
        fetch = known.state.get("fetch") or {}
        previous = SourceState(
            fetch.get("content_hash"), fetch.get("etag"), fetch.get("last_modified")
        )
    fetched = read_source(source, previous=previous, timeout=ws.settings.network_timeout)
    state = {
        "parameters": parameters,
        "window_end": window[1].isoformat(),
        "fetch": {
            "content_hash": fetched.state.content_hash,
            "etag": fetched.state.etag,
            "last_modified": fetched.state.last_modified,
        },
    }
    if fetched.unchanged or fetched.data is None:
        assert known is not None
        return unchanged_plan(known, source, name, window, state)
    return parsed_plan(
        ws, "ics", source, name, fetched.data, fetched.label, me, window, progress, state
    )


def unchanged_plan(
    known: SourceInfo, source: str, name: str, window: tuple[datetime, datetime],
    state: dict[str, Any],
) -> Planned:  # fmt: skip
    return Planned(
        known.kind, source, name, (), window, (), known.events, state=state, unchanged=True
    )


def parsed_plan(
    ws: Workspace,
    kind: str,
    source: str,
    name: str,
    data: bytes,
    label: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    progress: Progress | None,
    state: dict[str, Any],
    objects: dict[str, tuple[str | None, bytes]] | None = None,
) -> Planned:
    from leadtime.sources.ics import parse_calendar

    parsed = parse_calendar(
        data, label=label, calendar=name, me=me, tz=ws.tz,
        window_start=window[0], window_end=window[1],
        progress=progress(label) if progress else None,
    )  # fmt: skip
    entries = tuple(ws.classify_many(list(parsed.entries)))
    note = None if me else _attendance_note(name, parsed)
    return Planned(
        kind, source, name, entries, window, parsed.problems, parsed.events_read, note,
        state=state, objects=objects,
    )  # fmt: skip


def _attendance_note(calendar: str, parsed: Any) -> str | None:
    """When the user's addresses are unknown but the calendar says who declined what."""
    if not getattr(parsed, "attendance", False):
        return None
    likely = getattr(parsed, "likely_me", None)
    hint = f"leadtime config set me {likely or 'YOU@EXAMPLE.COM'}"
    return (
        f"'{calendar}' says who accepted and declined, but your addresses are not set: "
        f"meetings you declined count as attended; {hint}"
    )


def tracker_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    """``git A B`` -> ``git:A git:B``; ``watson`` -> ``watson:``; files and URLs as they are.

    A file that is really called ``git`` is written ``./git``.
    """
    if not sources or sources[0] not in TRACKERS:
        for source in sources:
            if source in TRACKERS:
                raise UsageError(
                    f"'{source}' must come first: leadtime import {source} [PATH]...",
                    hint=f"a file called {source} is ./{source}",
                )
        return sources
    kind, rest = sources[0], sources[1:]
    if kind == "git" and not rest:
        rest = (".",)
    if kind != "git" and len(rest) > 1:
        raise UsageError(f"leadtime import {kind} reads one history at a time")
    if kind == "timewarrior" and rest == ("-",):
        return ("timewarrior:-",)
    return tuple(f"{kind}:{source_key(path)}" for path in rest) or (f"{kind}:",)


def same_history(one: str, other: str) -> bool:
    """Whether two remembered sources are one tracker's history read two ways: Watson's or
    Timewarrior's (there is one of each on a machine; git repositories are many)."""
    kind = tracker_kind(one)
    return kind in ("watson", "timewarrior") and tracker_kind(other) == kind


def source_label(source: str) -> str:
    """A remembered source as a person reads it: a file or an address as it is (secrets
    masked), a tracker as its kind and where it was read from."""
    from leadtime.secrets import mask_url

    kind = tracker_kind(source)
    if kind == "ics":
        return mask_url(source)
    location = source.partition(":")[2]
    if not location:
        return f"{kind} (its own directory)"
    if location == "-":
        return f"{kind} (standard input)"
    return f"{kind} {location}"


def tracker_kind(source: str) -> str:
    """The kind of a remembered source: ``ics`` unless it says ``git:``, ``watson:`` ..."""
    kind, sep, _ = source.partition(":")
    return kind if sep and kind in TRACKERS else "ics"


def read_any(
    ws: Workspace,
    source: str,
    name: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    options: ImportOptions,
    progress: Progress | None = None,
    prompt: Callable[[str], str] | None = None,
) -> list[Planned]:
    """Read one source of any kind (no database write): one plan, or one per calendar
    found under a CalDAV address."""
    from leadtime.store import get_source

    if is_caldav(source):
        from leadtime.app.caldav import read_caldav

        return read_caldav(ws, source, name, me, window, options.calendar, progress, prompt)
    kind = tracker_kind(source)
    if kind == "ics":
        with ws.database.read() as conn:
            known = get_source(conn, name)
        return [read_calendar(ws, source, name, me, window, progress, known)]
    location = source.partition(":")[2]
    if kind == "git":
        return [_read_git(ws, location, name, window, options, progress)]
    return [_read_tracker(ws, kind, source, location, name, progress)]


def _read_git(
    ws: Workspace,
    location: str,
    name: str,
    window: tuple[datetime, datetime],
    options: ImportOptions,
    progress: Progress | None,
) -> Planned:
    from leadtime.store import get_source

    with ws.database.read() as conn:
        known = get_source(conn, name)
    remembered_authors = tuple(known.state.get("authors", ())) if known else ()
    from leadtime.sources.git import GitSourceError, read_git
    from leadtime.units import parse_duration

    settings = ws.settings
    authors = options.authors or remembered_authors or settings.me
    try:
        found = read_git(
            Path(location),
            authors=authors,
            name=name,
            max_gap=parse_duration(settings.git_max_gap),
            first_commit=parse_duration(settings.git_first_commit),
            max_session=parse_duration(settings.git_max_session),
            since=window[0] if options.since else None,
            until=window[1] if options.until else None,
            progress=progress(location) if progress else None,
        )
    except GitSourceError as exc:
        if exc.reason == "no-author":
            exc.hint = "set your address: leadtime config set me YOU@EXAMPLE.COM, or --author"
        raise
    entries = tuple(ws.classify_many(list(found.entries)))
    state = {"authors": list(options.authors)} if options.authors else {}
    return Planned(
        "git", f"git:{location}", name, entries, found.window, found.problems,
        found.commits_read, state=state,
    )  # fmt: skip


def _read_tracker(
    ws: Workspace,
    kind: str,
    source: str,
    location: str,
    name: str,
    progress: Progress | None = None,
) -> Planned:
    import sys

    from leadtime.sources.timewarrior import read_timewarrior
    from leadtime.sources.watson import read_watson

    if kind == "watson":
        found = read_watson(Path(location) if location else None, name=name)
    elif location == "-":
        found = read_timewarrior("-", name=name, data=sys.stdin.buffer.read())
    else:
        found = read_timewarrior(location or None, name=name)
    entries = tuple(_classified(ws, found.entries, progress(kind) if progress else None))
    # Only what the history covers is owned by this import: older entries stay.
    window = found.window or (EPOCH, EPOCH)
    return Planned(
        kind, source, name, entries, window, found.problems, found.items_read,
        running=found.running,
    )  # fmt: skip


def _classified(
    ws: Workspace, entries: Sequence[Entry], update: Callable[[int, int], None] | None
) -> list[Entry]:
    """The entries classified by the rules, reporting progress every few thousand."""
    step = 2_000
    done: list[Entry] = []
    for start in range(0, len(entries), step):
        done += ws.classify_many(list(entries[start : start + step]))
        if update is not None:
            update(len(done), len(entries))
    return done
