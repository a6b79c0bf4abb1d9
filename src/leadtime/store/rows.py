"""The rows the store hands out as tuples, named for the code that reads them."""

from __future__ import annotations

from typing import NamedTuple


class SpanRow(NamedTuple):
    """A counted entry as a report reads it: Unix seconds and its classification."""

    start: int
    end: int
    origin: str
    category: str
    activity: str | None
    tags: str  # comma-joined, "" for none


class FeatureRow(NamedTuple):
    """What the rules look at, for every entry the rules classify (no manual choice)."""

    id: str
    title: str
    note: str
    location: str
    tags: str  # comma-joined
    calendar: str | None
    origin: str
    organizer: str | None
    attendees: int
    start: int
    end: int
