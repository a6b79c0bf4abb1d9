"""The Entry value: what every source yields, and the rules of what the store keeps.

Times are aware ``datetime`` objects in UTC; ``end`` is after ``start`` except for
zero-length calendar events (RFC 5545: a timed event without DTEND or DURATION).
:func:`entry_problem` says whether an entry may be stored; every door (log, the timer,
edit, each import, restore) applies it, through :mod:`leadtime.app.entries`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class Category(StrEnum):
    LEADERSHIP = "leadership"
    HANDS_ON = "hands-on"
    OTHER = "other"
    UNCLASSIFIED = "unclassified"


class Origin(StrEnum):
    """Where an entry comes from (the ``source`` of the rules, ``--source`` of the commands)."""

    LOG = "log"  # logged with ``leadtime log``
    TIMER = "timer"  # ``leadtime start`` / ``stop``
    ICS = "ics"  # a calendar event: an .ics file or feed, or a CalDAV calendar
    GIT = "git"  # a work session estimated from the user's own commits
    WATSON = "watson"  # a frame imported from Watson
    TIMEWARRIOR = "timewarrior"  # an interval imported from Timewarrior

    @property
    def direct(self) -> bool:
        """What the user recorded as done: it takes overlapping calendar time (SPEC §4.5)."""
        return self in DIRECT_ORIGINS

    @property
    def imported(self) -> bool:
        """Entries that a re-import of their source owns (and would undo an edit of)."""
        return self not in (Origin.LOG, Origin.TIMER)


DIRECT_ORIGINS = frozenset({Origin.LOG, Origin.TIMER, Origin.WATSON, Origin.TIMEWARRIOR})


class Exclusion(StrEnum):
    """Why an imported instance is kept but not counted (SPEC §4.1)."""

    CANCELLED = "cancelled"
    DECLINED = "declined"
    TRANSPARENT = "transparent"
    ALL_DAY = "all-day"


MANUAL = "manual"  # the ``decided_by`` of a classification the user chose


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category = Category.UNCLASSIFIED
    activity: str | None = None
    decided_by: str | None = None  # a rule's name, MANUAL, or None when nothing matched

    @property
    def manual(self) -> bool:
        return self.decided_by == MANUAL


UNCLASSIFIED = Classification()


@dataclass(frozen=True, slots=True)
class Entry:
    start: datetime
    end: datetime
    title: str
    origin: Origin = Origin.LOG
    note: str = ""
    location: str = ""
    tags: tuple[str, ...] = ()
    calendar: str | None = None
    uid: str | None = None
    recurrence_id: str | None = None  # ISO 8601 UTC of the instance's original start
    organizer: str | None = None  # e-mail address, lower case, without "mailto:"
    attendees: int = 0
    excluded: Exclusion | None = None
    classification: Classification = field(default=UNCLASSIFIED)
    id: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() != UTC.utcoffset(None):
                raise ValueError(f"Entry.{name} must be an aware UTC datetime, got {value!r}")
        if self.end < self.start:
            raise ValueError("Entry.end is before Entry.start")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def with_classification(self, classification: Classification) -> Entry:
        return replace(self, classification=classification)


# --------------------------------------------------------------------------- what is kept

# An entry lies where its date is a day leadtime covers in every time zone (1970 to 9998).
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)  # the earliest start
LATEST = datetime(9998, 12, 31, tzinfo=UTC)  # the latest end
MAX_TRACKED = timedelta(hours=24)  # what the user tracked (log, timer, Watson, Timewarrior)
MAX_EVENT = timedelta(days=366)  # a calendar event or a git session
MAX_ATTENDEES = 2**31 - 1  # what the attendees column holds on every database


def longest(origin: Origin) -> timedelta:
    """The longest an entry of ``origin`` may last."""
    return MAX_TRACKED if origin.direct else MAX_EVENT


def moment_text(moment: datetime) -> str:
    """``1970-01-01 00:00 UTC``: an instant in a message about the bounds."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as leadtime stores them: no commas (each becomes a space), single spaces, no
    empty or repeated tag (``"a,b"`` -> ``"a b"``). For tags that come from elsewhere;
    tags the user types are refused instead (``leadtime.app.entries.parse_tags``)."""
    out: list[str] = []
    for tag in tags:
        clean = " ".join(tag.replace(",", " ").split())
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


def entry_problem(entry: Entry) -> str | None:
    """Why ``entry`` cannot be stored as it is, or None when it can.

    An entry has a title; attendees between 0 and :data:`MAX_ATTENDEES`; tags that are
    not empty and hold no comma; it starts at :data:`EARLIEST` or later and ends by
    :data:`LATEST`; it lasts at most :func:`longest` for its origin, and more than zero
    minutes when the user tracked it. A logged or timed entry belongs to no calendar (it
    has no calendar, UID or RECURRENCE-ID), so that no import can take it over.
    """
    if not entry.title.strip():
        return "the title is empty"
    if not 0 <= entry.attendees <= MAX_ATTENDEES:
        return f"{entry.attendees} attendees is out of range"
    if any(not tag.strip() or "," in tag for tag in entry.tags):
        return "a tag is empty or holds a comma"
    if not entry.origin.imported and (entry.calendar or entry.uid or entry.recurrence_id):
        return f"a {entry.origin.value} entry belongs to no calendar"
    if entry.start < EARLIEST:
        return (
            f"the entry would start at {moment_text(entry.start)}; the earliest leadtime "
            f"keeps is {moment_text(EARLIEST)}"
        )
    if entry.end > LATEST:
        return (
            f"the entry would end at {moment_text(entry.end)}; the latest leadtime keeps "
            f"is {moment_text(LATEST)}"
        )
    length = entry.end - entry.start
    if entry.origin.direct and not length:
        return "the entry would last zero minutes"
    if length > longest(entry.origin):
        if entry.origin.direct:
            return f"the entry would last {length.total_seconds() / 3600:.1f} h; at most 24 h"
        return f"the entry would last {length.days} days; at most {MAX_EVENT.days}"
    return None


def utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC (as a plain ``datetime`` with ``UTC`` tzinfo)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}")
    return datetime.fromtimestamp(value.timestamp(), UTC)
