"""Reading one source of any kind — a calendar file, feed or CalDAV calendar, a git
repository, a Watson or Timewarrior history — into a :class:`Planned` import: entries
classified, nothing written yet.

Each kind is registered once (:data:`KINDS`): how its address is recognised, what it is
made of, and how it is read. A new kind of source is one registration, not an edit to
every place that asks what a source is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadtime.app.workspace import Workspace
from leadtime.entry import SourceKind
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from leadtime.app.importing import ImportOptions
    from leadtime.entry import Entry
    from leadtime.sources.ics import ImportProblem
    from leadtime.sources.watson import RunningTimer
    from leadtime.store import SourceInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Progress = Callable[[str], Callable[[int, int], None] | None]
"""Given a source's label, a ``(done, total)`` callback for its progress (or None)."""


@dataclass(frozen=True)
class Reading:
    """What reading a source is given: the source, the calendar it lands in, and the run's
    choices (the user's addresses, the window, the options, progress, a password prompt)."""

    ws: Workspace
    source: str
    name: str
    me: tuple[str, ...]
    window: tuple[datetime, datetime]
    options: ImportOptions
    progress: Progress | None = None
    prompt: Callable[[str], str] | None = None

    @property
    def location(self) -> str:
        """A tracker's path (``git:PATH`` -> ``PATH``; empty for its own directory)."""
        return self.source.partition(":")[2]


@dataclass(frozen=True)
class SourceType:
    """One kind of source: what it is made of (``items``) and what of it counts
    (``counted``), how it is read (``read``, no database write: one plan, or one per
    calendar found under a CalDAV address), and whether it is named on the command line
    by its kind (``leadtime import git PATH``: a *tracker*, remembered as ``git:PATH``).
    ``one_history``: there is one such history on a machine, so the same kind read from
    another place (Watson's directory named or not; Timewarrior's data directory or
    ``timew export`` on standard input) is the same history."""

    kind: SourceKind
    items: str
    counted: str
    read: Callable[[Reading], list[Planned]]
    tracker: bool = False
    one_history: bool = False

    def summary(self, items: int, counted: int) -> str:
        """``12 events, 10 instances counted``."""
        return f"{items} {self.items}, {counted} {self.counted} counted"


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
    kind = kind_of(one)
    return KINDS[kind].one_history and kind_of(other) == kind


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
    """A tracker's kind (``git``, ``watson``, ``timewarrior``), or ``ics`` for any other
    source (a calendar file, feed or CalDAV calendar)."""
    kind = kind_of(source)
    return kind.value if KINDS[kind].tracker else "ics"


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
    reading = Reading(ws, source, name, me, window, options, progress, prompt)
    return KINDS[kind_of(source)].read(reading)


def _read_ics(reading: Reading) -> list[Planned]:
    from leadtime.store import get_source

    ws = reading.ws
    with ws.database.read() as conn:
        known = get_source(conn, reading.name)
    return [
        read_calendar(
            ws, reading.source, reading.name, reading.me, reading.window, reading.progress,
            known,
        )
    ]  # fmt: skip


def _read_caldav(reading: Reading) -> list[Planned]:
    from leadtime.app.caldav import read_caldav

    return read_caldav(
        reading.ws, reading.source, reading.name, reading.me, reading.window,
        reading.options.calendar, reading.progress, reading.prompt,
    )  # fmt: skip


def _read_git(reading: Reading) -> list[Planned]:
    from leadtime.store import get_source

    ws, location, name = reading.ws, reading.location, reading.name
    window, options, progress = reading.window, reading.options, reading.progress
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
    return [
        Planned(
            "git", f"git:{location}", name, entries, found.window, found.problems,
            found.commits_read, state=state,
        )
    ]  # fmt: skip


def _read_watson(reading: Reading) -> list[Planned]:
    from leadtime.sources.watson import read_watson

    location = reading.location
    return _history(reading, read_watson(Path(location) if location else None, name=reading.name))


def _read_timewarrior(reading: Reading) -> list[Planned]:
    import sys

    from leadtime.sources.timewarrior import read_timewarrior

    location, name = reading.location, reading.name
    if location == "-":
        found = read_timewarrior("-", name=name, data=sys.stdin.buffer.read())
    else:
        found = read_timewarrior(location or None, name=name)
    return _history(reading, found)


def _history(reading: Reading, found: Any) -> list[Planned]:
    """A Watson or Timewarrior history read: its entries classified, as one plan."""
    kind = kind_of(reading.source)
    update = reading.progress(kind) if reading.progress else None
    entries = tuple(_classified(reading.ws, found.entries, update))
    # Only what the history covers is owned by this import: older entries stay.
    window = found.window or (EPOCH, EPOCH)
    return [
        Planned(
            kind, reading.source, reading.name, entries, window, found.problems,
            found.items_read, running=found.running,
        )
    ]  # fmt: skip


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


KINDS: dict[SourceKind, SourceType] = {
    t.kind: t
    for t in (
        SourceType(SourceKind.ICS, "events", "instances", _read_ics),
        SourceType(SourceKind.CALDAV, "events", "instances", _read_caldav),
        SourceType(SourceKind.GIT, "commits", "sessions", _read_git, tracker=True),
        SourceType(SourceKind.WATSON, "frames", "entries", _read_watson, tracker=True,
                   one_history=True),
        SourceType(SourceKind.TIMEWARRIOR, "intervals", "entries", _read_timewarrior,
                   tracker=True, one_history=True),
    )
}  # fmt: skip
TRACKERS = tuple(t.kind.value for t in KINDS.values() if t.tracker)  # leadtime import KIND


def kind_of(source: str) -> SourceKind:
    """The kind of a remembered source: its address says it (``caldav+https://``,
    ``git:PATH``, ``watson:``, ...); anything else is a calendar file or feed."""
    if is_caldav(source):
        return SourceKind.CALDAV
    prefix, sep, _ = source.partition(":")
    if sep and prefix in TRACKERS and not is_url(source):
        return SourceKind(prefix)
    return SourceKind.ICS
