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
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.app.workspace import Workspace
from leadtime.errors import InputError, UsageError

if TYPE_CHECKING:
    from leadtime.sources.ics import ImportProblem, ParsedCalendar
    from leadtime.store.calendars import CalendarInfo, SyncResult

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


@dataclass(frozen=True)
class Planned:
    """One source read and parsed, its entries classified, ready to be written."""

    source: str
    calendar: str
    parsed: ParsedCalendar


@dataclass(frozen=True)
class SourceOutcome:
    """What importing one source did (or, in a dry run, would do)."""

    calendar: str
    source: str
    events: int
    counted: int
    excluded: dict[str, int]
    result: SyncResult
    warnings: int


@dataclass(frozen=True)
class ImportOutcome:
    outcomes: tuple[SourceOutcome, ...]
    problems: tuple[ImportProblem, ...]
    notes: tuple[str, ...]
    dry_run: bool


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
        end = now + timedelta(weeks=ws.settings.horizon_weeks)
    if start < EPOCH:
        raise UsageError(f"--since {since} is before 1970")
    if end <= start:
        raise UsageError("--until is before --since")
    return start, end


def is_url(source: str) -> bool:
    return source.split("://", 1)[0].lower() in ("http", "https", "webcal")


def default_name(source: str) -> str:
    """The calendar name a source gets without ``--calendar``: the file's stem, ``stdin``,
    or for a URL its host and file stem."""
    if source == "-":
        return "stdin"
    if is_url(source):
        path = source.split("://", 1)[1].split("?", 1)[0].rstrip("/")
        host, _, rest = path.partition("/")
        host = host.rsplit("@", 1)[-1]
        stem = Path(rest).stem if rest else ""
        return f"{host}/{stem}" if stem and stem not in ("basic", "calendar") else host
    return Path(source).stem


def _source_key(source: str) -> str:
    return source if is_url(source) or source == "-" else str(Path(source).expanduser().resolve())


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
        name = calendar or by_source.get(key) or default_name(source)
        check_name_free(remembered, name, key, replacing=calendar is not None)
        found.append((key, name))
    names = [name for _, name in found]
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
    from leadtime.store.calendars import list_calendars

    with ws.database.read() as conn:
        return {c.name: c.source for c in list_calendars(conn)}


def read_calendar(
    ws: Workspace,
    source: str,
    name: str,
    me: tuple[str, ...],
    window: tuple[datetime, datetime],
    progress: Progress | None = None,
) -> Planned:
    """Fetch, parse, expand and classify one source (no database write)."""
    from leadtime.sources.fetch import read_source
    from leadtime.sources.ics import parse_calendar

    label, data = read_source(source)
    parsed = parse_calendar(
        data, label=label, calendar=name, me=me, tz=ws.tz,
        window_start=window[0], window_end=window[1],
        progress=progress(label) if progress else None,
    )  # fmt: skip
    entries = tuple(ws.classify_many(list(parsed.entries)))
    return Planned(source, name, replace(parsed, entries=entries))


def _attendance_note(plan: Planned) -> str | None:
    """When the user's addresses are unknown but the calendar says who declined what."""
    parsed = plan.parsed
    if not getattr(parsed, "attendance", False):
        return None
    likely = getattr(parsed, "likely_me", None)
    hint = f"leadtime config set me {likely or 'YOU@EXAMPLE.COM'}"
    return (
        f"'{plan.calendar}' says who accepted and declined, but your addresses are not set: "
        f"meetings you declined count as attended; {hint}"
    )


def run_import(
    ws: Workspace, options: ImportOptions, progress: Progress | None = None
) -> ImportOutcome:
    """Import calendar sources (or every remembered one) in one transaction."""
    from leadtime.config import normalise_emails

    try:
        addresses = tuple(dict.fromkeys([*ws.settings.me, *normalise_emails(list(options.me))]))
    except ValueError as exc:
        raise UsageError(f"--me: {exc}") from None
    window = import_window(ws, options.since, options.until)
    ws.refresh()
    chosen = targets(_remembered(ws), options.sources, options.calendar)
    plans = [
        read_calendar(ws, source, name, addresses, window, progress) for source, name in chosen
    ]
    problems = tuple(p for plan in plans for p in plan.parsed.problems)
    if options.strict and problems:
        raise StrictRefusal(problems)
    notes = []
    if not addresses:
        notes += [note for plan in plans if (note := _attendance_note(plan))]
    results = _write(
        ws, plans, window, replacing=options.calendar is not None, dry_run=options.dry_run
    )
    outcomes = tuple(_outcome(plan, result) for plan, result in zip(plans, results, strict=True))
    return ImportOutcome(outcomes, problems, tuple(notes), options.dry_run)


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
    ws: Workspace,
    plans: list[Planned],
    window: tuple[datetime, datetime],
    *,
    replacing: bool,
    dry_run: bool,
) -> list[SyncResult]:
    from leadtime.store.calendars import list_calendars, remember_calendar, sync_calendar
    from leadtime.store.queries import get_meta, set_meta, to_ts
    from leadtime.store.schema import RULES_FINGERPRINT

    results: list[SyncResult] = []
    bounds = (to_ts(window[0]), to_ts(window[1]))
    try:
        with ws.database.write() as conn:
            # Under the write lock: another import may have taken a name since we read.
            remembered = {c.name: c.source for c in list_calendars(conn)}
            for plan in plans:
                check_name_free(remembered, plan.calendar, plan.source, replacing=replacing)
            for plan in plans:
                entries = plan.parsed.entries
                results.append(sync_calendar(conn, plan.calendar, entries, bounds, ws.now))
                excluded = sum(1 for e in entries if e.excluded)
                counts = (plan.parsed.events_read, len(entries) - excluded, excluded)
                remember_calendar(conn, plan.calendar, plan.source, ws.now, counts)
            # The new entries were classified with this run's rules. If another process
            # re-classified the rest with other rules meanwhile, the database now holds
            # both: mark it so that the next command re-classifies everything.
            if get_meta(conn, RULES_FINGERPRINT) != ws.fingerprint:
                set_meta(conn, RULES_FINGERPRINT, MIXED_RULES)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return results


def _outcome(plan: Planned, result: SyncResult) -> SourceOutcome:
    entries = plan.parsed.entries
    reasons = Counter(e.excluded.value for e in entries if e.excluded)
    return SourceOutcome(
        calendar=plan.calendar,
        source=plan.source,
        events=plan.parsed.events_read,
        counted=len(entries) - sum(reasons.values()),
        excluded=dict(sorted(reasons.items())),
        result=result,
        warnings=len(plan.parsed.problems),
    )


def list_calendars(ws: Workspace) -> list[CalendarInfo]:
    from leadtime.store.calendars import list_calendars as listed

    with ws.database.read() as conn:
        return listed(conn)
