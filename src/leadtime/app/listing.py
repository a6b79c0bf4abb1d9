"""``leadtime ls``: the entries of a period, filtered."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadtime.app.periods import Period, window
from leadtime.app.workspace import Workspace
from leadtime.entry import Category, Entry, Origin


@dataclass(frozen=True)
class EntryQuery:
    """Which entries ``ls`` shows."""

    period: Period = field(default_factory=Period)
    category: Category | None = None
    source: Origin | None = None
    calendar: str | None = None
    tag: str | None = None
    excluded: bool = False  # True: the calendar events that do not count


def list_entries(ws: Workspace, query: EntryQuery) -> list[Entry]:
    """The entries overlapping the period (default: the current week), in time order."""
    from leadtime.store import EntryFilter

    start, end = window(ws, query.period, default=0)
    where = EntryFilter(
        start_ts=start,
        end_ts=end,
        origin=query.source.value if query.source else None,
        category=query.category.value if query.category else None,
        calendar=query.calendar,
        excluded=query.excluded,
        tag=query.tag.strip().lstrip("#") if query.tag else None,
    )
    found = ws.entries(where)
    if query.category:  # in memory too, where the stored categories are stale
        found = [e for e in found if e.classification.category is query.category]
    return found
