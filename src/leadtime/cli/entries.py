"""Daily logging: log, the timer (start/stop/status/cancel), ls, edit, rm, classify."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime, timedelta

import typer

from leadtime.cli.common import (
    ListFormat,
    console,
    from_option,
    get_state,
    parse_classification,
    parse_tags,
    period_filter,
    print_entries,
    to_option,
    week_option,
    weeks_option,
)
from leadtime.entry import Category, Entry, Origin
from leadtime.errors import InputError, UsageError

MAX_ENTRY = timedelta(hours=24)


def check_span(start: datetime, end: datetime) -> None:
    """An entry is a positive span of at most 24 hours."""
    if end < start:
        raise InputError("the end is before the start", hint="swap --from and --to")
    if end == start:
        raise InputError("the entry would last zero minutes", hint="give a duration such as 45m")
    if end - start > MAX_ENTRY:
        raise InputError(
            f"the entry would last {(end - start).total_seconds() / 3600:.1f} h; at most 24 h",
            hint="split long work into several entries",
        )


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise UsageError("the title is empty", hint='leadtime log "Reviewed the auth RFC" 45m')
    return title


def log(
    ctx: typer.Context,
    title: str = typer.Argument(
        ..., metavar="TITLE", help="What you did, e.g. 'Reviewed the auth RFC'."
    ),
    duration: str | None = typer.Argument(
        None, metavar="DURATION", help="How long: 45m, 1h30, 1.5h, 90m."
    ),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="When it started."),
    from_: str | None = typer.Option(None, "--from", metavar="WHEN", help="Start (with --to)."),
    to: str | None = typer.Option(None, "--to", metavar="WHEN", help="End (with --from)."),
    tag: list[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="A tag; repeat for more."),
    note: str = typer.Option("", "--note", "-n", metavar="TEXT", help="A longer note."),
    as_: str | None = typer.Option(
        None, "--as", metavar="CATEGORY[:ACTIVITY]", help="Classify it yourself (beats rules)."
    ),
) -> None:
    """Log work you did: ends now unless --at or --from/--to say otherwise."""
    from leadtime.entry import utc
    from leadtime.timeparse import parse_moment
    from leadtime.units import parse_duration

    state = get_state(ctx)
    title = check_title(title)
    tags = parse_tags(tag)
    manual = parse_classification(as_) if as_ else None
    tz, now = state.tz, state.now
    if from_ or to:
        if not (from_ and to) or at or duration:
            raise UsageError(
                "--from and --to go together, without --at or a duration",
                hint='leadtime log "Design review" --from 14:00 --to 15:30',
            )
        start, end = parse_moment(from_, now=now, tz=tz), parse_moment(to, now=now, tz=tz)
    else:
        if duration is None:
            raise UsageError("say how long it took", hint='leadtime log "Fixed the login bug" 45m')
        length = parse_duration(duration)
        if at:
            start = parse_moment(at, now=now, tz=tz)
            end = start + length
        else:
            end = now
            start = end - length
    start, end = utc(start), utc(end)
    check_span(start, end)
    entry = Entry(start=start, end=end, title=title, note=note, tags=tags, origin=Origin.LOG)
    if manual:
        entry = entry.with_classification(manual)
    saved = _save(state, entry)
    console().print(f"logged {describe(saved, tz)}", highlight=False)


def _save(state, entry: Entry) -> Entry:  # type: ignore[no-untyped-def]
    from leadtime.store.queries import add_entries

    entry = state.classify(entry)
    with state.database.write() as conn:
        (saved,) = add_entries(conn, [entry], state.now)
    return saved


def describe(entry: Entry, tz: str) -> str:
    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    c = entry.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    return (
        f"{entry.id}  {format_local(entry.start, tz)}  {format_duration(entry.minutes)}  "
        f"{entry.title}  [{label}]"
    )


# --------------------------------------------------------------------------- the timer


def start(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="What you are starting."),
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It started earlier."),
    tag: list[str] = typer.Option([], "--tag", "-t", metavar="TAG", help="A tag; repeat for more."),
    note: str = typer.Option("", "--note", "-n", metavar="TEXT", help="A longer note."),
    as_: str | None = typer.Option(None, "--as", metavar="CATEGORY[:ACTIVITY]"),
) -> None:
    """Start a timer; 'leadtime stop' turns it into an entry."""
    from leadtime.entry import utc
    from leadtime.store.queries import Timer, get_timer, set_timer
    from leadtime.timeparse import format_local, parse_moment

    state = get_state(ctx)
    title = check_title(title)
    tags = parse_tags(tag)
    manual = parse_classification(as_) if as_ else None
    begin = utc(parse_moment(at, now=state.now, tz=state.tz)) if at else state.now
    if begin > state.now:
        raise InputError("a timer cannot start in the future", hint="leave out --at")
    with state.database.write() as conn:
        running = get_timer(conn)
        if running is not None:
            raise InputError(
                f"a timer is already running: '{running.title}' since "
                f"{format_local(running.start, state.tz)}",
                hint="'leadtime stop' saves it, 'leadtime cancel' drops it",
            )
        set_timer(conn, Timer(title, begin, tags, note, manual))
    console().print(f"started '{title}' at {format_local(begin, state.tz)}", highlight=False)


def stop(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", metavar="WHEN", help="It ended earlier."),
) -> None:
    """Stop the running timer and log it as an entry."""
    from leadtime.entry import utc
    from leadtime.store.queries import add_entries, clear_timer, get_timer

    state = get_state(ctx)
    end = utc(parse_when(at, state)) if at else state.now
    with state.database.write() as conn:
        timer = get_timer(conn)
        if timer is None:
            raise InputError("no timer is running", hint='leadtime start "Spike: new parser"')
        check_span(timer.start, end)
        entry = Entry(
            start=timer.start, end=end, title=timer.title, note=timer.note,
            tags=timer.tags, origin=Origin.TIMER,
        )  # fmt: skip
        entry = state.classify(
            entry.with_classification(timer.classification) if timer.classification else entry
        )
        (saved,) = add_entries(conn, [entry], state.now)
        clear_timer(conn)
    console().print(f"logged {describe(saved, state.tz)}", highlight=False)


def parse_when(text: str, state) -> datetime:  # type: ignore[no-untyped-def]
    from leadtime.timeparse import parse_moment

    return parse_moment(text, now=state.now, tz=state.tz)


def status(ctx: typer.Context) -> None:
    """Show the running timer, if any."""
    from leadtime.store.queries import get_timer
    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    state = get_state(ctx)
    with state.database.read() as conn:
        timer = get_timer(conn)
    if timer is None:
        console().print("no timer running")
        return
    minutes = (state.now - timer.start).total_seconds() / 60
    console().print(
        f"running: '{timer.title}' since {format_local(timer.start, state.tz)} "
        f"({format_duration(minutes)})",
        highlight=False,
    )


def cancel(ctx: typer.Context) -> None:
    """Drop the running timer without logging it."""
    from leadtime.store.queries import clear_timer, get_timer

    state = get_state(ctx)
    with state.database.write() as conn:
        timer = get_timer(conn)
        if timer is None:
            raise InputError("no timer is running")
        clear_timer(conn)
    console().print(f"cancelled '{timer.title}'", highlight=False)


# --------------------------------------------------------------------------- listing


def ls(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    category: Category | None = typer.Option(None, "--category", "-c"),
    source: Origin | None = typer.Option(None, "--source", "-s"),
    calendar: str | None = typer.Option(None, "--calendar", help="Only this calendar."),
    excluded: bool = typer.Option(
        False, "--excluded", help="Show the calendar events that do not count, and why."
    ),
    tz: str | None = typer.Option(None, "--tz", help="Time zone for display and weeks."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
) -> None:
    """List entries (default: the current week) with their ids and categories."""
    from leadtime.store.queries import list_entries

    state = get_state(ctx, tz=tz)
    where = period_filter(state, week, weeks, from_, to, default=0)
    where = replace(
        where,
        origin=source.value if source else None,
        category=category.value if category else None,
        calendar=calendar,
        excluded=excluded,
    )
    with state.database.read() as conn:
        found = list_entries(conn, where)
    print_entries(found, state.tz, fmt, excluded=excluded)


# --------------------------------------------------------------------------- changing


def edit(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID"),
    title: str | None = typer.Option(None, "--title"),
    start_: str | None = typer.Option(None, "--start", "--from", metavar="WHEN"),
    end: str | None = typer.Option(None, "--end", "--to", metavar="WHEN"),
    duration: str | None = typer.Option(None, "--duration", metavar="DURATION"),
    tag: list[str] | None = typer.Option(None, "--tag", "-t", help="Replaces the tags."),
    note: str | None = typer.Option(None, "--note", "-n"),
) -> None:
    """Change a logged entry's title, times, tags or note."""
    from leadtime.entry import utc
    from leadtime.store.queries import find_entry, replace_entry
    from leadtime.units import parse_duration

    state = get_state(ctx)
    if end and duration:
        raise UsageError("give --end or --duration, not both")
    with state.database.write() as conn:
        entry = find_entry(conn, entry_id)
        if entry.origin is Origin.ICS:
            raise InputError(
                f"{entry.id} comes from the calendar '{entry.calendar}'; the next import "
                "would undo an edit",
                hint=f"change it in the calendar, or 'leadtime classify {entry.id} CATEGORY'",
            )
        new_start = utc(parse_when(start_, state)) if start_ else entry.start
        if duration:
            new_end = new_start + parse_duration(duration)
        elif end:
            new_end = utc(parse_when(end, state))
        else:
            new_end = new_start + (entry.end - entry.start)
        check_span(new_start, new_end)
        changed = replace(
            entry,
            title=check_title(title) if title is not None else entry.title,
            start=new_start,
            end=new_end,
            tags=parse_tags(tag) if tag is not None else entry.tags,
            note=note if note is not None else entry.note,
        )
        changed = state.classify(changed)
        replace_entry(conn, changed, state.now)
    console().print(f"updated {describe(changed, state.tz)}", highlight=False)


def rm(
    ctx: typer.Context,
    entry_ids: list[str] = typer.Argument(..., metavar="ID..."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
) -> None:
    """Remove entries."""
    from leadtime.store.queries import delete_entries, find_entry

    state = get_state(ctx)
    with state.database.write() as conn:
        found = {e.id: e for e in (find_entry(conn, ref) for ref in entry_ids)}
        out = console()
        for entry in found.values():
            out.print(describe(entry, state.tz), highlight=False)
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError("rm asks before removing; nothing was removed", hint="add --yes")
            if not typer.confirm(f"Remove {len(found)} entries?", default=False):
                out.print("nothing removed")
                return
        delete_entries(conn, [e.id for e in found.values() if e.id])
    imported = sum(1 for e in found.values() if e.origin is Origin.ICS)
    out.print(f"removed {len(found)} entries")
    if imported:
        state.note(
            f"{imported} came from a calendar and return on the next import; decline them "
            "there, or classify them as 'other'"
        )


def classify(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID"),
    category: str | None = typer.Argument(None, metavar="CATEGORY[:ACTIVITY]"),
    clear: bool = typer.Option(False, "--clear", help="Forget the manual choice; rules decide."),
) -> None:
    """Classify an entry yourself; your choice beats every rule and survives re-imports."""
    from leadtime.entry import UNCLASSIFIED
    from leadtime.store.queries import find_entry, set_classification

    state = get_state(ctx)
    if clear == bool(category):
        raise UsageError(
            "give a CATEGORY[:ACTIVITY] or --clear",
            hint="leadtime classify ab12cd34 leadership:review",
        )
    with state.database.write() as conn:
        entry = find_entry(conn, entry_id)
        if clear:
            decided = state.classify(entry.with_classification(UNCLASSIFIED)).classification
        else:
            assert category is not None
            decided = parse_classification(category)
        set_classification(conn, entry.id or "", decided, state.now)
    console().print(
        f"classified {describe(entry.with_classification(decided), state.tz)}", highlight=False
    )


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Log")(log)
    app.command(rich_help_panel="Log")(start)
    app.command(rich_help_panel="Log")(stop)
    app.command(rich_help_panel="Log")(status)
    app.command(rich_help_panel="Log")(cancel)
    app.command(rich_help_panel="Entries")(ls)
    app.command(rich_help_panel="Entries")(edit)
    app.command(rich_help_panel="Entries")(rm)
    app.command(rich_help_panel="Entries")(classify)
