"""The Entry value: what every source yields, and the rules of what the store keeps.

Times are aware ``datetime`` objects in UTC; ``end`` is after ``start`` except for
zero-length calendar events (RFC 5545: a timed event without DTEND or DURATION).
:func:`entry_problem` says whether an entry may be stored; every door (log, the timer,
edit, each import, restore) applies it, through :mod:`leadtime.app.entries`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from leadtime.clock import EARLIEST, LATEST

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


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


class SourceKind(StrEnum):
    """What a remembered source is (the ``kind`` of ``leadtime calendars``); how each is
    read is registered once in :mod:`leadtime.app.sources`."""

    ICS = "ics"  # an .ics file, standard input, or a feed (http, https, webcal)
    CALDAV = "caldav"  # a calendar on a CalDAV server (caldav+https://USER@HOST/PATH/)
    GIT = "git"  # a repository: the user's own commits as work sessions
    WATSON = "watson"  # Watson's history
    TIMEWARRIOR = "timewarrior"  # Timewarrior's history


DIRECT_ORIGINS = frozenset({Origin.LOG, Origin.TIMER, Origin.WATSON, Origin.TIMEWARRIOR})


class Exclusion(StrEnum):
    """Why an imported instance is kept but not counted (SPEC §4.1)."""

    CANCELLED = "cancelled"
    DECLINED = "declined"
    TRANSPARENT = "transparent"
    ALL_DAY = "all-day"


MANUAL = "manual"  # the ``decided_by`` of a classification the user chose


class _Frozen:
    """A value whose fields are set once, in ``__init__``, and compared as a whole.

    (Plain classes, not dataclasses: every command creates these, and building a dataclass
    costs more at start-up than a whole ``leadtime status``.)"""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Frozen)
        return self.values() == other.values()

    def __hash__(self) -> int:
        return hash(self.values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__name__}({fields})"

    def __getstate__(self) -> tuple[Any, ...]:
        return self.values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.FIELDS, state, strict=True):
            object.__setattr__(self, name, value)


class Classification(_Frozen):
    """A category, an optional activity, and what decided them."""

    __slots__ = ("activity", "category", "decided_by")
    FIELDS = ("category", "activity", "decided_by")
    category: Category
    activity: str | None
    decided_by: str | None  # a rule's name, MANUAL, or None when nothing matched

    def __init__(
        self,
        category: Category = Category.UNCLASSIFIED,
        activity: str | None = None,
        decided_by: str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "category", category)
        put(self, "activity", activity)
        put(self, "decided_by", decided_by)

    @property
    def manual(self) -> bool:
        return self.decided_by == MANUAL


UNCLASSIFIED = Classification()


class Entry(_Frozen):
    """A span of time with what it was: the one value every source yields."""

    FIELDS = (
        "start", "end", "title", "origin", "note", "location", "tags", "calendar", "uid",
        "recurrence_id", "organizer", "attendees", "excluded", "classification", "id",
    )  # fmt: skip
    __slots__ = FIELDS
    start: datetime
    end: datetime
    title: str
    origin: Origin
    note: str
    location: str
    tags: tuple[str, ...]
    calendar: str | None
    uid: str | None
    recurrence_id: str | None  # ISO 8601 UTC of the instance's original start
    organizer: str | None  # e-mail address, lower case, without "mailto:"
    attendees: int
    excluded: Exclusion | None
    classification: Classification
    id: str | None

    def __init__(
        self,
        start: datetime,
        end: datetime,
        title: str,
        origin: Origin = Origin.LOG,
        note: str = "",
        location: str = "",
        tags: tuple[str, ...] = (),
        calendar: str | None = None,
        uid: str | None = None,
        recurrence_id: str | None = None,
        organizer: str | None = None,
        attendees: int = 0,
        excluded: Exclusion | None = None,
        classification: Classification = UNCLASSIFIED,
        id: str | None = None,
    ) -> None:
        for name, value in (("start", start), ("end", end)):
            if value.tzinfo is None or value.utcoffset() != UTC.utcoffset(None):
                raise ValueError(f"Entry.{name} must be an aware UTC datetime, got {value!r}")
        if end < start:
            raise ValueError("Entry.end is before Entry.start")
        self._set(
            (start, end, title, origin, note, location, tags, calendar, uid, recurrence_id,
             organizer, attendees, excluded, classification, id)
        )  # fmt: skip

    def _set(self, values: tuple[Any, ...]) -> None:
        put = object.__setattr__
        for name, value in zip(self.FIELDS, values, strict=True):
            put(self, name, value)

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def replace(self, **changes: Any) -> Entry:
        """A copy with ``changes``, checked as a new entry is."""
        return Entry(**{name: changes.get(name, getattr(self, name)) for name in self.FIELDS})

    def with_classification(self, classification: Classification) -> Entry:
        """A copy classified otherwise; nothing else changes, so nothing is checked again (an
        import classifies every instance)."""
        new = object.__new__(Entry)
        new._set((*self.values()[:13], classification, self.id))
        return new


# --------------------------------------------------------------------------- what is kept

# An entry lies where its date is a day leadtime covers in every time zone
# (clock.EARLIEST, clock.LATEST: 1970 to 9998).
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
