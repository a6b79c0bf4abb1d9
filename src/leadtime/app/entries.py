"""Logging, the timer, and changing entries: log, start, stop, status, cancel, edit, rm,
classify; and the one validation of every entry that enters leadtime, whichever way.

What the user types (log, the timer, edit) is refused when it is not valid
(:func:`check_entry`); what comes in bulk (each import, restore) is made storable where it
can be — cut to the longest its origin allows — and otherwise left out, each with a reason
(:func:`admit`). Both apply the same rules (:func:`leadtime.entry.entry_problem`), so
whatever the database holds, an export of it restores.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from leadtime.clock import EARLIEST, utc
from leadtime.entry import (
    MANUAL,
    MAX_ATTENDEES,
    MAX_TRACKED,
    Category,
    Classification,
    Entry,
    Origin,
    clean_tags,
    entry_problem,
    longest,
    moment_text,
)
from leadtime.errors import InputError, UsageError
from leadtime.store.conn import Conn

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Sequence

    from leadtime.app.workspace import Workspace
    from leadtime.store import Conn

MAX_AHEAD = timedelta(days=366)  # tracked time may be planned, but not years ahead
CHOOSABLE = (Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER)


# --------------------------------------------------------------------------- values


def check_title(title: str) -> str:
    """A title with its surrounding space removed; an empty one is a usage error."""
    title = title.strip()
    if not title:
        raise UsageError("the title is empty", hint='leadtime log "Reviewed the auth RFC" 45m')
    return title


class Door(StrEnum):
    """Where a span comes from, so that a refusal names the options that exist there."""

    LOG = "log"  # a duration, --at, or --from/--to
    STOP = "stop"  # the running timer, ended now or --at
    EDIT = "edit"  # edit --start/--end/--duration
    EDITOR = "editor"  # the document edited in $EDITOR
    DATA = "data"  # an import or a restore: nothing to type differently


_SPAN_HINTS: dict[Door, tuple[str | None, str | None]] = {
    # (the end is before the start, the span is empty)
    Door.LOG: ("swap --from and --to", "give a duration such as 45m"),
    Door.STOP: (
        "give an --at after the timer started, or drop it: leadtime cancel",
        "the timer ran for no time: 'leadtime cancel' drops it",
    ),
    Door.EDIT: ("swap --start and --end", "give a later --end, or a --duration such as 45m"),
    Door.EDITOR: ("make the end later than the start", "make the end later than the start"),
    Door.DATA: (None, None),
}


def check_span(
    start: datetime, end: datetime, *, door: Door = Door.DATA, forgotten_timer: bool = False
) -> None:
    """An entry is a positive span of at most 24 hours."""
    before, empty = _SPAN_HINTS[door]
    if end < start:
        raise InputError("the end is before the start", hint=before)
    if end == start:
        raise InputError("the entry would last zero minutes", hint=empty)
    if end - start > MAX_TRACKED:
        hours = (end - start).total_seconds() / 3600
        hint = (
            "if you forgot to stop it, say when you stopped: leadtime stop --at WHEN"
            if forgotten_timer
            else "split long work into several entries"
        )
        raise InputError(f"the entry would last {hours:.1f} h; at most 24 h", hint=hint)


def _too_far_ahead(entry: Entry, now: datetime | None) -> str | None:
    """Time the user tracked may be planned, but not more than a year ahead of ``now``
    (None: no present to judge by, as for a backup restored later)."""
    if now is not None and entry.origin.direct and entry.start > now + MAX_AHEAD:
        return f"the entry would start on {entry.start:%Y-%m-%d}, more than a year from now"
    return None


def check_entry(entry: Entry, now: datetime) -> Entry:
    """``entry`` if it may be stored (:func:`leadtime.entry.entry_problem`) and, if the
    user tracked it, starts at most a year after ``now``; for what the user types.

    Raises:
        InputError: why it may not.
    """
    problem = entry_problem(entry) or _too_far_ahead(entry, now)
    if problem:
        raise InputError(problem, hint="check the date" if "would start" in problem else None)
    return entry


class Admitted:
    """Entries from an import or a backup, made storable, and what was done to make them
    so: ``(entry as given, what happened)`` for each entry cut or left out."""

    __slots__ = ("changed", "entries")

    def __init__(self, entries: tuple[Entry, ...], changed: tuple[tuple[Entry, str], ...]):
        self.entries, self.changed = entries, changed


def admit(entries: Sequence[Entry], now: datetime | None) -> Admitted:
    """The entries that may be stored, as :func:`check_entry` judges them, repaired where
    that keeps what the source said: a calendar event or git session longer than a year
    is cut to a year, attendees beyond the column's range are capped, tags are cleaned, a
    logged entry loses a calendar key it cannot have. What cannot be repaired (no title,
    outside the years leadtime keeps, tracked time of zero minutes or more than a day, or
    more than a year after ``now``) is left out.
    A cut entry keeps its classification only if the user chose it; the caller
    re-classifies the others (:attr:`Admitted.changed`)."""
    kept: list[Entry] = []
    changed: list[tuple[Entry, str]] = []
    for entry in entries:
        problem = entry_problem(entry) or _too_far_ahead(entry, now)
        if problem is None:
            kept.append(entry)
            continue
        repaired, what = _repaired(entry)
        problem = entry_problem(repaired) or _too_far_ahead(repaired, now)
        if problem is None:
            kept.append(repaired)
            changed.append((entry, what))
        else:
            changed.append((entry, f"{problem}; left out"))
    return Admitted(tuple(kept), tuple(changed))


def _repaired(entry: Entry) -> tuple[Entry, str]:
    """``entry`` with what can be repaired repaired, and what was done."""
    done = []
    limit = longest(entry.origin)
    # Tracked time longer than a day is a timer left running: cutting it would count a
    # day of work that was not done, so it stays out (as the Watson and Timewarrior
    # readers decide). A calendar event or a git session is cut.
    if entry.end - entry.start > limit and entry.start >= EARLIEST and not entry.origin.direct:
        hours = (entry.end - entry.start).total_seconds() / 3600
        shown = f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.0f} days"
        until = entry.start + limit
        done.append(f"it lasted {shown}: cut to end at {moment_text(until)}")
        entry = entry.replace(end=until)
    if not 0 <= entry.attendees <= MAX_ATTENDEES:
        capped = min(max(entry.attendees, 0), MAX_ATTENDEES)
        done.append(f"{entry.attendees} attendees: counted as {capped}")
        entry = entry.replace(attendees=capped)
    if any(not tag.strip() or "," in tag for tag in entry.tags):
        done.append("its tags were cleaned")
        entry = entry.replace(tags=clean_tags(entry.tags))
    if not entry.origin.imported and (entry.calendar or entry.uid or entry.recurrence_id):
        done.append(
            f"a {entry.origin.value} entry belongs to no calendar: calendar and UID dropped"
        )
        entry = entry.replace(calendar=None, uid=None, recurrence_id=None)
    return entry, "; ".join(done) or "unchanged"


def parse_classification(text: str) -> Classification:
    """``leadership``, ``hands-on:spike``, ``other:lunch`` -> a manual classification."""
    from leadtime.rules import closest_category

    category, _, activity = text.strip().partition(":")
    wanted = category.strip().lower()
    chosen = next((c for c in CHOOSABLE if c.value == wanted), None)
    if chosen is None:
        close = closest_category(wanted)
        suggestion = f"did you mean '{close.value}'? " if close in CHOOSABLE else ""
        raise UsageError(
            f"unknown category '{category}'",
            hint=suggestion + "use leadership, hands-on or other, optionally with :ACTIVITY "
            "(hands-on:spike)",
        )
    return Classification(chosen, activity.strip() or None, MANUAL)


def parse_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags without ``#``, without duplicates (tags that differ only in case are one tag, as
    the rules and the report read them: the first spelling is kept); a tag cannot be empty
    or hold a comma."""
    cleaned: dict[str, str] = {}
    for tag in tags:
        if tag.startswith("="):  # -t=foo: a short option keeps the "=" (as in every Click CLI)
            raise UsageError(
                f"bad tag {tag!r}", hint=f"write -t {tag[1:] or 'TAG'} or --tag={tag[1:] or 'TAG'}"
            )
        tag = tag.strip().lstrip("#").strip()
        if not tag or "," in tag:
            raise UsageError(f"bad tag {tag!r}", hint="one --tag per tag, without commas")
        cleaned.setdefault(tag.casefold(), tag)
    return tuple(cleaned.values())


# --------------------------------------------------------------------------- log


class Saved:
    """An entry as stored, and what the user should know about it."""

    __slots__ = ("entry", "warnings")

    def __init__(self, entry: Entry, warnings: tuple[str, ...] = ()) -> None:
        self.entry, self.warnings = entry, warnings


def log_entry(ws: Workspace, entry: Entry) -> Saved:
    """Store a logged entry, classified by the rules unless it carries a manual choice.

    Warns (the entry still lands) when it ends after now — it counts as planned until then
    — or when it overlaps another logged or timed entry.
    """
    from leadtime.store import add_entries

    check_entry(entry, ws.now)
    entry = ws.classify(entry)
    with ws.database.write() as conn:
        overlapping = _overlapping(conn, entry)
        (saved,) = add_entries(conn, [entry], ws.now)
    return Saved(saved, _warnings(ws, saved, overlapping))


def _overlapping(conn: Conn, entry: Entry) -> list[Entry]:
    """The logged and timed entries that share time with ``entry``."""
    from leadtime.entry import DIRECT_ORIGINS, MAX_TRACKED
    from leadtime.store import EntryFilter, list_entries

    start, end = int(entry.start.timestamp()), int(entry.end.timestamp())
    # What the user tracked lasts at most MAX_TRACKED (every door checks): only entries that
    # start that long before this one can reach it, which keeps a long history unread.
    earliest = start - int(MAX_TRACKED.total_seconds())
    where = EntryFilter(start, end, origins=tuple(sorted(o.value for o in DIRECT_ORIGINS)),
                        starts_from=earliest)  # fmt: skip
    return [
        other
        for other in list_entries(conn, where)
        if other.origin.direct
        and other.id != entry.id
        and other.start < entry.end
        and other.end > entry.start
    ]


def _warnings(ws: Workspace, entry: Entry, overlapping: list[Entry]) -> tuple[str, ...]:
    """What the user should know about an entry they just logged or timed."""
    from leadtime.clock import format_local

    warnings = []
    if entry.end > ws.now:
        warnings.append(
            "it ends after now: it counts as planned, not done, until "
            f"{format_local(entry.end, ws.tz)}"
        )
    for other in overlapping[:3]:
        warnings.append(
            f"it overlaps {other.id} '{other.title}' ({format_local(other.start, ws.tz)}); "
            "the overlap is counted once"
        )
    return tuple(warnings)


# --------------------------------------------------------------------------- the timer


def start_timer(
    ws: Workspace,
    title: str,
    *,
    at: datetime | None,
    tags: tuple[str, ...],
    note: str,
    manual: Classification | None,
) -> datetime:
    """Start the timer at ``at`` (default now); returns its start."""
    from leadtime.clock import format_local
    from leadtime.store import Timer, get_timer, set_timer

    title = check_title(title)
    begin = utc(at) if at else ws.now
    if begin > ws.now:
        raise InputError("a timer cannot start in the future", hint="leave out --at")
    if begin < EARLIEST:
        raise InputError(
            f"a timer cannot start at {moment_text(begin)}; the earliest leadtime keeps is "
            f"{moment_text(EARLIEST)}",
            hint="check the date",
        )
    with ws.database.write() as conn:
        running = get_timer(conn)
        if running is not None:
            raise InputError(
                f"a timer is already running: '{running.title}' since "
                f"{format_local(running.start, ws.tz)}",
                hint="'leadtime stop' saves it, 'leadtime cancel' drops it",
            )
        set_timer(conn, Timer(title, begin, tags, note, manual))
    return begin


def stop_timer(ws: Workspace, *, at: datetime | None) -> Saved:
    """Stop the running timer at ``at`` (default now) and store it as an entry."""
    from leadtime.store import add_entries, clear_timer, get_timer

    end = utc(at) if at else ws.now
    with ws.database.write() as conn:
        timer = get_timer(conn)
        if timer is None:
            raise InputError("no timer is running", hint='leadtime start "Spike: new parser"')
        check_span(timer.start, end, door=Door.STOP, forgotten_timer=at is None)
        entry = Entry(
            start=timer.start, end=end, title=timer.title, note=timer.note,
            tags=timer.tags, origin=Origin.TIMER,
        )  # fmt: skip
        if timer.classification:
            entry = entry.with_classification(timer.classification)
        entry = ws.classify(check_entry(entry, ws.now))
        overlapping = _overlapping(conn, entry)
        (saved,) = add_entries(conn, [entry], ws.now)
        clear_timer(conn)
    return Saved(saved, _warnings(ws, saved, overlapping))


class TimerStatus:
    """The running timer (None when none runs) and how long it has run at ``now``."""

    __slots__ = ("minutes", "start", "tags", "title")

    def __init__(self, title: str, start: datetime, minutes: float, tags: tuple[str, ...]):
        self.title, self.start, self.minutes, self.tags = title, start, minutes, tags


def timer_status(ws: Workspace) -> TimerStatus | None:
    from leadtime.store import get_timer

    with ws.database.read() as conn:
        timer = get_timer(conn)
    if timer is None:
        return None
    # A timer that starts after now (the clock was set back) has run for no time yet.
    minutes = max((ws.now - timer.start).total_seconds() / 60, 0.0)
    return TimerStatus(timer.title, timer.start, minutes, timer.tags)


def cancel_timer(ws: Workspace) -> str:
    """Drop the running timer; returns its title."""
    from leadtime.store import clear_timer, get_timer

    with ws.database.write() as conn:
        timer = get_timer(conn)
        if timer is None:
            raise InputError("no timer is running")
        clear_timer(conn)
    return timer.title


# --------------------------------------------------------------------------- changing


class Changes:
    """What ``edit`` changes; None leaves a field as it is."""

    __slots__ = ("duration", "end", "note", "start", "tags", "title")

    def __init__(
        self,
        title: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        duration: timedelta | None = None,
        tags: tuple[str, ...] | None = None,
        note: str | None = None,
    ) -> None:
        self.title, self.start, self.end, self.duration = title, start, end, duration
        self.tags, self.note = tags, note


def edited(entry: Entry, changes: Changes, now: datetime, *, door: Door = Door.EDIT) -> Entry:
    """``entry`` with ``changes`` applied and checked (keeps its length when only the start
    moves); ``door`` says whether they came as options or from the editor."""
    if entry.origin.imported:
        raise InputError(
            f"{entry.id} comes from '{entry.calendar}'; the next import would undo an edit",
            hint=f"change it at its source, or 'leadtime classify {entry.id} CATEGORY'",
        )
    if changes.end and changes.duration:
        raise UsageError("give --end or --duration, not both")
    start = utc(changes.start) if changes.start else entry.start
    if changes.duration is not None:
        end = start + changes.duration
    elif changes.end is not None:
        end = utc(changes.end)
    else:
        end = start + (entry.end - entry.start)
    check_span(start, end, door=door)
    changed = entry.replace(
        title=check_title(changes.title) if changes.title is not None else entry.title,
        start=start,
        end=end,
        tags=changes.tags if changes.tags is not None else entry.tags,
        note=changes.note if changes.note is not None else entry.note,
    )
    return check_entry(changed, now)


def find_entry(ws: Workspace, ref: str) -> Entry:
    from leadtime.store import find_entry as find

    with ws.database.read() as conn:
        return find(conn, ref)


class EditConflict(InputError):
    """A field the user changed was changed in the database meanwhile (by another edit)."""


def _touched(changes: Changes) -> list[str]:
    """The fields of an entry that ``changes`` sets (start, end and length are its times)."""
    times = changes.start is not None or changes.end is not None or changes.duration is not None
    return [
        name
        for name, touched in (
            ("title", changes.title is not None),
            ("times", times),
            ("tags", changes.tags is not None),
            ("note", changes.note is not None),
        )
        if touched
    ]


def _field(entry: Entry, name: str) -> object:
    return (entry.start, entry.end) if name == "times" else getattr(entry, name)


def edit_entry(ws: Workspace, ref: str, changes: Changes, *, base: Entry | None = None) -> Entry:
    """Apply ``changes`` to a logged entry and re-classify it. With ``base`` (the entry as
    the user saw it), the fields ``changes`` sets must still be as they were in ``base``:
    the other fields are taken as they are now, so a change made meanwhile is kept.

    Raises:
        EditConflict: a field ``changes`` sets was changed since ``base``; nothing written.
    """
    from leadtime.store import find_entry as find
    from leadtime.store import replace_entry

    with ws.database.write() as conn:
        current = find(conn, ref)
        if base is not None:
            clashes = [n for n in _touched(changes) if _field(current, n) != _field(base, n)]
            if clashes:
                raise EditConflict(
                    f"{current.id} was changed while it was open in the editor (its "
                    f"{' and '.join(clashes)}); nothing was changed",
                    hint="edit it again: it opens as it is now",
                )
        changed = ws.classify(edited(current, changes, ws.now))
        replace_entry(conn, changed, ws.now)
    return changed


def find_entries(ws: Workspace, refs: Sequence[str]) -> list[Entry]:
    """The entries ``refs`` name, each once, in the order given."""
    from leadtime.store import find_entry as find

    with ws.database.read() as conn:
        found = {e.id: e for e in (find(conn, ref) for ref in refs)}
    return list(found.values())


def remove_entries(ws: Workspace, entries: Sequence[Entry]) -> int:
    """Remove entries found by :func:`find_entries`; returns how many were removed."""
    from leadtime.store import delete_entries

    with ws.database.write() as conn:
        return delete_entries(conn, [e.id for e in entries if e.id])


class Classified:
    """What ``classify`` changed: the entry named, and the others it reached."""

    __slots__ = ("entry", "others", "series")

    def __init__(self, entry: Entry, others: tuple[Entry, ...] = (), series: str = "") -> None:
        self.entry, self.others = entry, others
        self.series = series  # "series" (a recurring calendar series) or "title" (same title)


def classify_entry(
    ws: Workspace, ref: str, choice: Classification | None, *, series: bool = False
) -> Classified:
    """Classify an entry yourself (``choice``), or hand it back to the rules (None).

    Your choice is also kept as a labelled example of its title, which the learned tier
    weighs above its shipped corpus (``--clear`` forgets it). With ``series``, every entry
    of the same recurring calendar series (for an imported event), or with the same title
    (for any other entry), is classified alike.
    """
    from leadtime.store import find_entry as find
    from leadtime.store import set_classification
    from leadtime.store.examples import forget_examples, put_examples

    with ws.database.write() as conn:
        entry = find(conn, ref)
        siblings = _siblings(conn, entry) if series else []
        if choice is None:
            tiers = ws.tiers
            from leadtime.rules import features_of

            zone = ws.classification_zone
            forget_examples(conn, [entry.title])
            decided = {e.id: tiers.rules.classify(features_of(e, zone)) for e in [entry, *siblings]}
        else:
            put_examples(conn, [entry.title], choice, ws.now)
            decided = {e.id: choice for e in [entry, *siblings]}
        for e in [entry, *siblings]:
            set_classification(conn, e.id or "", decided[e.id], ws.now)
    kind = "" if not series else ("series" if entry.uid else "title")
    return Classified(
        entry.with_classification(decided[entry.id]),
        tuple(e.with_classification(decided[e.id]) for e in siblings),
        kind,
    )


def _siblings(conn: Conn, entry: Entry) -> list[Entry]:
    """The other entries of ``entry``'s recurring series (same calendar and UID), or, for
    an entry that is no calendar event, the other entries with the same title."""
    from leadtime.store import same_series

    return [e for e in same_series(conn, entry) if e.id != entry.id]
