"""``leadtime import``: read calendar sources, then write them in one transaction.

Reading (fetching, parsing, expanding, classifying) happens before the write lock is
taken; writing re-checks, under the lock, what reading assumed (that no other source took
the calendar's name meanwhile, and which rules the entries were classified with).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from leadtime.app.sources import (
    EPOCH,
    Planned,
    Progress,
    default_name,
    is_caldav,
    read_any,
    same_history,
    source_key,
    tracker_sources,
)
from leadtime.app.workspace import Workspace
from leadtime.errors import InputError, LeadtimeError, UsageError

if TYPE_CHECKING:
    from leadtime.app.team import AutoPublished
    from leadtime.sources.ics import ImportProblem
    from leadtime.sources.watson import RunningTimer
    from leadtime.store import SourceInfo, SyncResult

MIXED_RULES = "mixed"  # a fingerprint no rule set has: re-classify everything


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
class SourceFailure:
    """A remembered source that could not be refreshed: its other sources still were."""

    calendar: str
    source: str
    error: LeadtimeError


@dataclass(frozen=True)
class ImportOutcome:
    outcomes: tuple[SourceOutcome, ...]
    problems: tuple[ImportProblem, ...]
    notes: tuple[str, ...]
    dry_run: bool
    timer_started: RunningTimer | None = None
    failures: tuple[SourceFailure, ...] = ()  # a refresh of everything: sources that failed
    team: AutoPublished | None = None  # with team_publish = auto: the publish that followed


def _local_midnight(day: date, tz: str) -> datetime:
    from leadtime.clock import local_midnight

    return datetime.fromtimestamp(local_midnight(day, tz), UTC)


def import_window(ws: Workspace, since: str | None, until: str | None) -> tuple[datetime, datetime]:
    """The range an import reads: ``--since`` (default 1970) to ``--until`` (default now +
    the horizon), whole local days."""
    from leadtime.timeparse import parse_date

    tz, now = ws.tz, ws.now
    # parse_date keeps to the years leadtime covers; 1970-01-01 east of UTC begins in 1969
    start = max(_local_midnight(parse_date(since, now=now, tz=tz), tz), EPOCH) if since else EPOCH
    if until:
        end = _local_midnight(parse_date(until, now=now, tz=tz) + timedelta(days=1), tz)
    else:
        # The horizon ends at the Monday after now + horizon_weeks (local midnight), so
        # that every import of one week reads the same window: an unchanged source is
        # then recognised as unchanged.
        from leadtime.clock import local_date, week_of

        ahead = local_date(now + timedelta(weeks=ws.settings.horizon_weeks), tz)
        end = _local_midnight(week_of(ahead) + timedelta(days=7), tz)
    if end <= start:
        raise UsageError("--until is before --since")
    return start, end


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
        key = source_key(source)
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
    """A calendar name belongs to one source; another takes it only when asked to, or when
    it is the same history read another way (Watson's directory named or not, Timewarrior's
    data directory or ``timew export`` on standard input)."""
    if name in remembered and same_history(remembered[name], source):
        return
    if name in remembered and remembered[name] != source and not replacing:
        raise InputError(
            f"the calendar '{name}' was imported from {remembered[name]}",
            hint=f"pass --calendar {name} to replace its source, or another --calendar NAME",
        )


def _remembered(ws: Workspace) -> dict[str, str]:
    return {source.name: source.source for source in list_calendars(ws)}


def run_import(
    ws: Workspace,
    options: ImportOptions,
    progress: Progress | None = None,
    prompt: Callable[[str], str] | None = None,
) -> ImportOutcome:
    """Import sources (or every remembered one) in one transaction.

    ``options.sources`` are calendar files, ``-``, URLs or CalDAV addresses; or a kind of
    tracker (``git``, ``watson``, ``timewarrior``) followed by its paths. ``prompt`` asks
    for a CalDAV (or team) password when neither the environment nor a keyring has it.
    With ``team_publish = auto``, the complete weeks are then published to the team; a
    failure there is reported in the outcome, since the import has landed.
    """
    from leadtime.config import normalise_emails

    try:
        addresses = tuple(dict.fromkeys([*ws.settings.me, *normalise_emails(list(options.me))]))
    except ValueError as exc:
        raise UsageError(f"--me: {exc}") from None
    window = import_window(ws, options.since, options.until)
    ws.refresh()
    sources = tracker_sources(options.sources)
    remembered = _remembered(ws)
    chosen = targets(remembered, sources, options.calendar)
    # Sources the user names land together or not at all; a refresh of everything
    # remembered (cron's) refreshes every source it can and reports the others.
    refreshing = not sources and options.calendar is None
    plans: list[Planned] = []
    failures: list[SourceFailure] = []
    for src, name in chosen:
        try:
            found = read_any(ws, src, name, addresses, window, options, progress, prompt)
            plans += [admitted(ws, plan) for plan in found]
        except LeadtimeError as exc:
            if not refreshing:
                raise
            failures.append(SourceFailure(name, src, exc))
    problems = tuple(p for plan in plans for p in plan.problems)
    if options.strict and problems:
        raise StrictRefusal(problems)
    notes = tuple(plan.note for plan in plans if plan.note)
    replacing = options.calendar is not None
    results, started = _write(ws, plans, replacing=replacing, dry_run=options.dry_run)
    outcomes = tuple(_outcome(plan, result) for plan, result in zip(plans, results, strict=True))
    team = None
    if ws.settings.team_publish == "auto" and not options.dry_run:
        # Only then: with the setting off, an import loads nothing of PostgreSQL.
        from leadtime.app.team import publish_after_import

        team = publish_after_import(ws, prompt)
    return ImportOutcome(outcomes, problems, notes, options.dry_run, started, tuple(failures), team)


def admitted(ws: Workspace, plan: Planned) -> Planned:
    """``plan`` with its entries passed through the validation of every door
    (:func:`leadtime.app.entries.admit`): what is too long is cut, what cannot be stored
    is left out, each a problem of the import; a running timer that starts after now, or
    before leadtime's first day, is not started."""
    from leadtime.app.entries import admit
    from leadtime.clock import EARLIEST
    from leadtime.entry import moment_text
    from leadtime.secrets import mask_url
    from leadtime.sources.ics import ImportProblem

    done = admit(plan.entries, ws.now)
    where = mask_url(plan.source)
    problems = [ImportProblem(where, entry.uid, what) for entry, what in done.changed]
    running = plan.running
    if running is not None and not EARLIEST <= running.start <= ws.now:
        problems.append(
            ImportProblem(
                where, None,
                f"the running timer '{running.title}' starts at {moment_text(running.start)}, "
                "not between leadtime's first day and now; not started",
            )
        )  # fmt: skip
        running = None
    if not problems:
        return plan
    entries = done.entries
    if done.changed:
        entries = tuple(ws.classify_many(list(entries)))  # a cut entry is judged anew
    return replace(plan, entries=entries, problems=plan.problems + tuple(problems), running=running)


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
                source = plan.source
                if (
                    known is not None
                    and source.endswith(":-")
                    and same_history(known.source, source)
                ):
                    source = known.source  # standard input cannot be read again by a refresh
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
                        plan.calendar, plan.kind, source, ws.now, plan.items,
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
