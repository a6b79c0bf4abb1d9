"""The Entry value: what every source yields and what the store keeps.

Times are aware ``datetime`` objects in UTC; ``end`` is after ``start`` except for
zero-length calendar events (RFC 5545: a timed event without DTEND or DURATION).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
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
        return self._evolve(classification=classification)

    def _evolve(self, **changes: Any) -> Entry:
        """A copy with ``changes``, without validating again what was validated: an
        import classifies every instance, and ``dataclasses.replace`` costs several times
        more."""
        new = object.__new__(Entry)
        for name in _ENTRY_FIELDS:
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        return new


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC (as a plain ``datetime`` with ``UTC`` tzinfo)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}")
    return datetime.fromtimestamp(value.timestamp(), UTC)
