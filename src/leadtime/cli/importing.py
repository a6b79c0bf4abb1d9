"""``leadtime import`` and ``leadtime calendars``: calendars in, idempotently, in one go."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from leadtime.cli.common import console, get_state
from leadtime.cli.state import State
from leadtime.errors import InputError, UsageError

if TYPE_CHECKING:
    from leadtime.sources.ics import ParsedCalendar
    from leadtime.store.sources import SyncResult

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Planned:
    """One source read and parsed, ready to be written."""

    source: str
    calendar: str
    parsed: ParsedCalendar


class _DryRun(Exception):
    """Raised inside the write transaction so that a dry run rolls everything back."""


def import_(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        None, metavar="SOURCE...", help="Files, - for stdin, or http(s):// / webcal:// URLs."
    ),
    calendar: str | None = typer.Option(None, "--calendar", help="Calendar name to store under."),
    me: list[str] = typer.Option([], "--me", metavar="EMAIL", help="Your address (repeatable)."),
    since: str | None = typer.Option(None, "--since", metavar="DATE", help="Skip earlier events."),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help="Expand up to this day (default: horizon)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Any problem: exit 4, write nothing."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
) -> None:
    """Import .ics calendars; with no SOURCE, re-import every remembered calendar."""
    from leadtime.config import normalise_emails
    from leadtime.timeparse import parse_date

    state = get_state(ctx)
    tz, now = state.tz, state.now
    try:
        addresses = tuple(dict.fromkeys([*state.settings.me, *normalise_emails(me)]))
    except ValueError as exc:
        raise UsageError(f"--me: {exc}") from None
    start = _local_midnight(parse_date(since, now=now, tz=tz), tz) if since else EPOCH
    if until:
        end = _local_midnight(parse_date(until, now=now, tz=tz) + timedelta(days=1), tz)
    else:
        end = now + timedelta(weeks=state.settings.horizon_weeks)
    if end <= start:
        raise UsageError("--until is before --since")
    targets = _targets(state, sources or [], calendar)
    plans = [_read(state, source, name, addresses, (start, end)) for source, name in targets]
    problems = [p for plan in plans for p in plan.parsed.problems]
    for problem in problems:
        where = f"{problem.file}" + (f": {problem.uid}" if problem.uid else "")
        print(f"warning: {where}: {problem.reason}", file=sys.stderr)
    if strict and problems:
        raise InputError(
            f"{len(problems)} problem(s) in the calendar data; nothing was imported (--strict)"
        )
    results = _write(state, plans, (start, end), dry_run=dry_run)
    _summarise(plans, results, dry_run=dry_run)


def _local_midnight(day: date, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    from leadtime.entry import utc

    return utc(datetime.combine(day, datetime.min.time(), ZoneInfo(tz)))


def _targets(state: State, sources: list[str], calendar: str | None) -> list[tuple[str, str]]:
    """(source, calendar name) pairs: the given sources, or the remembered ones."""
    from leadtime.store.sources import list_sources

    with state.database.read() as conn:
        remembered = {c.name: c.source for c in list_sources(conn)}
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
    targets = []
    for source in sources:
        key = (
            source if _is_url(source) or source == "-" else str(Path(source).expanduser().resolve())
        )
        name = calendar or by_source.get(key) or _default_name(source)
        if name in remembered and remembered[name] != key and not calendar:
            raise InputError(
                f"the calendar '{name}' was imported from {remembered[name]}",
                hint=f"pass --calendar {name} to replace its source, or another --calendar NAME",
            )
        targets.append((key, name))
    names = [name for _, name in targets]
    if len(set(names)) != len(names):
        raise UsageError(
            "two sources would share one calendar name",
            hint="import them one at a time with --calendar",
        )
    return targets


def _is_url(source: str) -> bool:
    return source.split("://", 1)[0].lower() in ("http", "https", "webcal")


def _default_name(source: str) -> str:
    if source == "-":
        return "stdin"
    if _is_url(source):
        path = source.split("://", 1)[1].split("?", 1)[0].rstrip("/")
        host, _, rest = path.partition("/")
        stem = Path(rest).stem if rest else ""
        return f"{host}/{stem}" if stem and stem not in ("basic", "calendar") else host
    return Path(source).stem


def _read(
    state: State, source: str, name: str, me: tuple[str, ...], window: tuple[datetime, datetime]
) -> Planned:
    from leadtime.rules import features_of
    from leadtime.sources.fetch import read_source
    from leadtime.sources.ics import parse_calendar

    label, data = read_source(source)
    with _progress(label) as progress:
        parsed = parse_calendar(
            data, label=label, calendar=name, me=me, tz=state.tz,
            window_start=window[0], window_end=window[1], progress=progress,
        )  # fmt: skip
    rules, tz = state.rules, state.tz
    decisions = rules.classify_many(features_of(e, tz) for e in parsed.entries)
    classified = tuple(
        e.with_classification(c) for e, c in zip(parsed.entries, decisions, strict=True)
    )
    from dataclasses import replace

    return Planned(source, name, replace(parsed, entries=classified))


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar on an interactive terminal, for calendars with many events."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"reading {label}", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _write(
    state: State, plans: list[Planned], window: tuple[datetime, datetime], *, dry_run: bool
) -> list[SyncResult]:
    from leadtime.store.entries import to_ts
    from leadtime.store.sources import SourceInfo, remember_source, sync_entries

    results: list[SyncResult] = []
    bounds = (to_ts(window[0]), to_ts(window[1]))
    try:
        with state.database.write() as conn:
            for plan in plans:
                entries = plan.parsed.entries
                results.append(sync_entries(conn, plan.calendar, entries, bounds, state.now))
                excluded = sum(1 for e in entries if e.excluded)
                counts = (plan.parsed.events_read, len(entries) - excluded, excluded)
                info = SourceInfo(plan.calendar, "ics", plan.source, state.now, *counts)
                remember_source(conn, info)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return results


def _summarise(plans: list[Planned], results: list[SyncResult], *, dry_run: bool) -> None:
    out = console()
    for plan, result in zip(plans, results, strict=True):
        entries = plan.parsed.entries
        reasons = Counter(e.excluded.value for e in entries if e.excluded)
        counted = len(entries) - sum(reasons.values())
        excluded = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "none"
        verb = "would import" if dry_run else "imported"
        out.print(
            f"{verb} '{plan.calendar}' from {plan.source}: {plan.parsed.events_read} events, "
            f"{counted} instances counted, excluded: {excluded}; "
            f"{result.added} added, {result.updated} updated, {result.removed} removed, "
            f"{result.unchanged} unchanged"
            + (f"; {len(plan.parsed.problems)} warnings" if plan.parsed.problems else ""),
            highlight=False,
        )


def calendars(ctx: typer.Context) -> None:
    """List remembered calendars with their source, last import and counts."""
    from rich.table import Table

    from leadtime.store.sources import list_sources
    from leadtime.timeparse import format_local

    state = get_state(ctx)
    with state.database.read() as conn:
        found = list_sources(conn)
    out = console()
    if not found:
        out.print("no calendars imported yet; try 'leadtime import FILE.ics'")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("calendar", "source", "last import"):
        table.add_column(column, overflow="fold")
    for column in ("events", "counted", "excluded"):
        table.add_column(column, justify="right")
    for c in found:
        when = format_local(c.last_import, state.tz) if c.last_import else "-"
        table.add_row(c.name, c.source, when, str(c.events), str(c.instances), str(c.excluded))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("import", rich_help_panel="Calendars")(import_)
    app.command(rich_help_panel="Calendars")(calendars)
