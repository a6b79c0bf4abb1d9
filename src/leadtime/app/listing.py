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
    from leadtime.store.queries import list_entries as listed
    from leadtime.store.schema import EntryFilter

    start, end = window(ws, query.period, default=0)
    where = EntryFilter(
        start_ts=start,
        end_ts=end,
        origin=query.source.value if query.source else None,
        category=query.category.value if query.category else None,
        calendar=query.calendar,
        excluded=query.excluded,
    )
    with ws.database.read() as conn:
        found = listed(conn, where)
    if query.tag:
        wanted = query.tag.strip().lstrip("#").casefold()
        found = [e for e in found if any(t.casefold() == wanted for t in e.tags)]
    return found
