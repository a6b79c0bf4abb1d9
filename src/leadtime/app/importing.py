"""``leadtime import``: read calendar sources, then write them in one transaction.

Reading (fetching, parsing, expanding, classifying) happens before the write lock is
taken; writing re-checks, under the lock, what reading assumed (that no other source took
the calendar's name meanwhile, and which rules the entries were classified with).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadtime.app.workspace import Workspace
from leadtime.errors import InputError, UsageError

if TYPE_CHECKING:
    from leadtime.entry import Entry
    from leadtime.sources.ics import ImportProblem
    from leadtime.sources.watson import RunningTimer
    from leadtime.store import SourceInfo, SyncResult

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIXED_RULES = "mixed"  # a fingerprint no rule set has: re-classify everything
Progress = Callable[[str], Callable[[int, int], None] | None]
"""Given a source's label, a ``(done, total)`` callback for its progress (or None)."""


@dataclass(frozen=True)
class ImportOptions:
    sources: tuple[str, ...] = ()
    calendar: str | None = None
    me: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    strict: bool = False
    dry_run: bool = False
    authors: tuple[str, ...] = ()  # git: whose commits (default: the ``me`` setting)


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


@dataclass(frozen=True)
class SourceOutcome:
    """What importing one source did (or, in a dry run, would do)."""

    kind: str
    calendar: str
    source: str
    events: int
    counted: int
    excluded: dict[str, int]
    result: SyncResult
    warnings: int
    unchanged: bool = False  # the source had not changed: it was not read again


@dataclass(frozen=True)
class ImportOutcome:
    outcomes: tuple[SourceOutcome, ...]
    problems: tuple[ImportProblem, ...]
    notes: tuple[str, ...]
    dry_run: bool
    timer_started: RunningTimer | None = None


def _local_midnight(day: date, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    from leadtime.entry import utc

    return utc(datetime.combine(day, datetime.min.time(), ZoneInfo(tz)))


def import_window(ws: Workspace, since: str | None, until: str | None) -> tuple[datetime, datetime]:
    """The range an import reads: ``--since`` (default 1970) to ``--until`` (default now +
    the horizon), whole local days."""
    from leadtime.timeparse import parse_date

    tz, now = ws.tz, ws.now
    start = _local_midnight(parse_date(since, now=now, tz=tz), tz) if since else EPOCH
    if until:
        last = parse_date(until, now=now, tz=tz)
        if last.year >= 9999:
            raise UsageError(f"--until {last} is out of range")
        end = _local_midnight(last + timedelta(days=1), tz)
    else:
        # The horizon ends at the Monday after now + horizon_weeks (local midnight), so
        # that every import of one week reads the same window: an unchanged source is
        # then recognised as unchanged.
        from leadtime.reports.weeks import local_date, week_of

        ahead = local_date(now + timedelta(weeks=ws.settings.horizon_weeks), tz)
        end = _local_midnight(week_of(ahead) + timedelta(days=7), tz)
    if start < EPOCH:
        raise UsageError(f"--since {since} is before 1970")
    if end <= start:
        raise UsageError("--until is before --since")
    return start, end


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
            return f"git:{Path(location).resolve().name or 'repository'}"
        return kind
    if is_url(source) or is_caldav(source):
        from leadtime.secrets import default_name as url_name

        return url_name(source)
    return Path(source).stem


def _source_key(source: str) -> str:
    if is_url(source) or is_caldav(source) or source == "-" or tracker_kind(source) != "ics":
        return source
    return str(Path(source).expanduser().resolve())


def targets(
    remembered: dict[str, str], sources: tuple[str, ...], calendar: str | None
) -> list[tuple[str, str]]:
    """(source, calendar name) pairs: the given sources, or the remembered ones.

    ``remembered`` maps each remembered calendar's name to its source. A source may take a
    name that another source has only with ``--calendar`` (which replaces the source).
    """
    if not sources:
        if calendar:
            if calendar not in remembered:
                raise InputError(
                    f"no remembered calendar '{calendar}'", hint="'leadtime calendars' lists them"
                )
            return [(remembered[calendar], calendar)]
        if not remembered:
            raise UsageError(
                "no SOURCE given and no calendar imported yet",
                hint="leadtime import ~/Downloads/calendar.ics",
            )
        return sorted(((source, name) for name, source in remembered.items()), key=lambda t: t[1])
    if calendar and len(sources) > 1:
        raise UsageError("--calendar names one calendar; import several sources one at a time")
    by_source = {source: name for name, source in remembered.items()}
    found = []
    for source in sources:
        key = _source_key(source)
        if is_caldav(key):  # named by the calendars found under it (--calendar picks one)
            found.append((key, by_source.get(key, "")))
            continue
        name = calendar or by_source.get(key) or default_name(source)
        check_name_free(remembered, name, key, replacing=calendar is not None)
        found.append((key, name))
    names = [name for _, name in found if name]
    if len(set(names)) != len(names):
        raise UsageError(
            "two sources would share one calendar name",
            hint="import them one at a time with --calendar",
        )
    return found


def check_name_free(remembered: dict[str, str], name: str, source: str, *, replacing: bool) -> None:
    """A calendar name belongs to one source; another takes it only when asked to."""
    if name in remembered and remembered[name] != source and not replacing:
        raise InputError(
            f"the calendar '{name}' was imported from {remembered[name]}",
            hint=f"pass --calendar {name} to replace its source, or another --calendar NAME",
        )


def _remembered(ws: Workspace) -> dict[str, str]:
    return {source.name: source.source for source in list_calendars(ws)}


def _parameters(ws: Workspace, me: tuple[str, ...], window: tuple[datetime, datetime]) -> str:
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

    parameters = _parameters(ws, me, window)
    previous = None
    if known is not None and known.source == source and known.state.get("parameters") == parameters:
        fetch = known.state.get("fetch") or {}
        previous = SourceState(
            fetch.get("content_hash"), fetch.get("etag"), fetch.get("last_modified")
        )
    fetched = read_source(source, previous=previous)
    state = {
        "parameters": parameters,
        "fetch": {
            "content_hash": fetched.state.content_hash,
            "etag": fetched.state.etag,
            "last_modified": fetched.state.last_modified,
        },
    }
    if fetched.unchanged or fetched.data is None:
        assert known is not None
        return _unchanged(known, source, name, window, state)
    return _parsed(
        ws, "ics", source, name, fetched.data, fetched.label, me, window, progress, state
    )


def _unchanged(
    known: SourceInfo, source: str, name: str, window: tuple[datetime, datetime],
    state: dict[str, Any],
) -> Planned:  # fmt: skip
    return Planned(
        known.kind, source, name, (), window, (), known.events, state=state, unchanged=True
    )


def _parsed(
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


TRACKERS = ("git", "watson", "timewarrior")  # ``leadtime import KIND ...``


def run_import(
    ws: Workspace,
    options: ImportOptions,
    progress: Progress | None = None,
    prompt: Callable[[str], str] | None = None,
) -> ImportOutcome:
    """Import sources (or every remembered one) in one transaction.

    ``options.sources`` are calendar files, ``-``, URLs or CalDAV addresses; or a kind of
    tracker (``git``, ``watson``, ``timewarrior``) followed by its paths. ``prompt`` asks
    for a CalDAV password when neither the environment nor a keyring has it.
    """
    from leadtime.config import normalise_emails

    try:
        addresses = tuple(dict.fromkeys([*ws.settings.me, *normalise_emails(list(options.me))]))
    except ValueError as exc:
        raise UsageError(f"--me: {exc}") from None
    window = import_window(ws, options.since, options.until)
    ws.refresh()
    sources = _tracker_sources(options.sources)
    remembered = _remembered(ws)
    chosen = targets(remembered, sources, options.calendar)
    plans = [
        plan
        for src, name in chosen
        for plan in read_any(ws, src, name, addresses, window, options, progress, prompt)
    ]
    problems = tuple(p for plan in plans for p in plan.problems)
    if options.strict and problems:
        raise StrictRefusal(problems)
    notes = tuple(plan.note for plan in plans if plan.note)
    replacing = options.calendar is not None
    results, started = _write(ws, plans, replacing=replacing, dry_run=options.dry_run)
    outcomes = tuple(_outcome(plan, result) for plan, result in zip(plans, results, strict=True))
    return ImportOutcome(outcomes, problems, notes, options.dry_run, started)


def _tracker_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
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
    return tuple(f"{kind}:{_source_key(path)}" for path in rest) or (f"{kind}:",)


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
    return [_read_tracker(ws, kind, source, location, name)]


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


def _read_tracker(ws: Workspace, kind: str, source: str, location: str, name: str) -> Planned:
    import sys

    from leadtime.sources.timewarrior import read_timewarrior
    from leadtime.sources.watson import read_watson

    if kind == "watson":
        found = read_watson(Path(location) if location else None, name=name)
    elif location == "-":
        found = read_timewarrior("-", name=name, data=sys.stdin.buffer.read())
    else:
        found = read_timewarrior(location or None, name=name)
    entries = tuple(ws.classify_many(list(found.entries)))
    # Only what the history covers is owned by this import: older entries stay.
    window = found.window or (EPOCH, EPOCH)
    return Planned(
        kind, source, name, entries, window, found.problems, found.items_read,
        running=found.running,
    )  # fmt: skip


class StrictRefusal(InputError):
    """``--strict``: the calendar data had problems, so nothing was imported."""

    def __init__(self, problems: tuple[ImportProblem, ...]):
        super().__init__(
            f"{len(problems)} problem(s) in the calendar data; nothing was imported (--strict)"
        )
        self.problems = problems


class _DryRun(Exception):
    """Raised inside the write transaction so that a dry run rolls everything back."""


def _write(
    ws: Workspace, plans: list[Planned], *, replacing: bool, dry_run: bool
) -> tuple[list[SyncResult], RunningTimer | None]:
    from leadtime.store import (
        RULES_FINGERPRINT,
        SourceInfo,
        SyncResult,
        Timer,
        get_meta,
        get_source,
        get_timer,
        list_sources,
        remember_source,
        set_meta,
        set_timer,
        sync_entries,
        to_ts,
    )

    results: list[SyncResult] = []
    started: RunningTimer | None = None
    try:
        with ws.database.write() as conn:
            # Under the write lock: another import may have taken a name since we read.
            remembered = {c.name: c.source for c in list_sources(conn)}
            for plan in plans:
                check_name_free(remembered, plan.calendar, plan.source, replacing=replacing)
            for plan in plans:
                known = get_source(conn, plan.calendar)
                state = {**(known.state if known else {}), **plan.state}
                if plan.unchanged and known is not None:
                    results.append(SyncResult(0, 0, 0, known.instances + known.excluded))
                    remember_source(conn, replace(known, last_import=ws.now, state=state))
                    continue
                entries = plan.entries
                bounds = (to_ts(plan.window[0]), to_ts(plan.window[1]))
                results.append(sync_entries(conn, plan.calendar, entries, bounds, ws.now))
                if plan.objects is not None:
                    _store_objects(conn, plan.calendar, plan.objects)
                excluded = sum(1 for e in entries if e.excluded)
                remember_source(
                    conn,
                    SourceInfo(
                        plan.calendar, plan.kind, plan.source, ws.now, plan.items,
                        len(entries) - excluded, excluded, state,
                    ),
                )  # fmt: skip
                if plan.running and started is None and get_timer(conn) is None:
                    run = plan.running
                    set_timer(conn, Timer(run.title, run.start, run.tags, run.note, None))
                    started = run
            # The new entries were classified with this run's rules. If another process
            # re-classified the rest with other rules meanwhile, the database now holds
            # both: mark it so that the next command re-classifies everything.
            if get_meta(conn, RULES_FINGERPRINT) != ws.fingerprint:
                set_meta(conn, RULES_FINGERPRINT, MIXED_RULES)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return results, started


def _store_objects(conn: Any, name: str, objects: dict[str, tuple[str | None, bytes]]) -> None:
    """Make the stored raw objects of a CalDAV calendar those of the last sync."""
    from leadtime.store import delete_objects, get_objects, put_object

    stored = get_objects(conn, name)
    delete_objects(conn, name, [href for href in stored if href not in objects])
    for href, (etag, data) in objects.items():
        if stored.get(href) != (etag, data):
            put_object(conn, name, href, etag, data)


def _outcome(plan: Planned, result: SyncResult) -> SourceOutcome:
    entries = plan.entries
    reasons = Counter(e.excluded.value for e in entries if e.excluded)
    return SourceOutcome(
        kind=plan.kind,
        calendar=plan.calendar,
        source=plan.source,
        events=plan.items,
        counted=len(entries) - sum(reasons.values()),
        excluded=dict(sorted(reasons.items())),
        result=result,
        warnings=len(plan.problems),
        unchanged=plan.unchanged,
    )


def remove_calendar(ws: Workspace, name: str) -> int:
    """Forget a remembered source and remove its entries; returns how many were removed."""
    from leadtime.store import remove_source

    with ws.database.write() as conn:
        return remove_source(conn, name)


def rename_calendar(ws: Workspace, old: str, new: str) -> None:
    """Rename a remembered source; its entries move with it and keep their ids."""
    from leadtime.store import rename_source

    if not new.strip():
        raise UsageError("the new name is empty")
    with ws.database.write() as conn:
        rename_source(conn, old, new.strip())


def find_calendar(ws: Workspace, name: str) -> SourceInfo:
    from leadtime.store import get_source

    with ws.database.read() as conn:
        found = get_source(conn, name)
    if found is None:
        raise InputError(f"no remembered calendar '{name}'", hint="'leadtime calendars' lists them")
    return found


def list_calendars(ws: Workspace) -> list[SourceInfo]:
    """Every remembered source (calendars, git repositories, trackers), by name."""
    from leadtime.store import list_sources

    with ws.database.read() as conn:
        return list_sources(conn)
