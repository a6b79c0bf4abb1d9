"""``leadtime rules explain|coverage``: why an entry got its category, and what is missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leadtime.app.periods import Period, window
from leadtime.app.workspace import Workspace
from leadtime.entry import Category, Entry, Origin
from leadtime.errors import InputError

if TYPE_CHECKING:
    from leadtime.rules import Explanation


@dataclass(frozen=True)
class Explained:
    """The entry explained (None when a bare title was tried) and the rules' explanation."""

    entry: Entry | None
    title: str
    explanation: Explanation


def explain(ws: Workspace, target: str) -> Explained:
    """Explain an entry by id (or unique prefix), else ``target`` as a 1-hour logged title."""
    from leadtime.rules import features_of
    from leadtime.store import find_entry

    entry: Entry | None = None
    if len(target) >= 4 and " " not in target:
        try:
            with ws.database.read() as conn:
                entry = find_entry(conn, target)
        except InputError:
            entry = None
    zone = ws.classification_zone
    if entry is None:
        probe = Entry(start=ws.now, end=ws.now, title=target, origin=Origin.LOG)
        features = features_of(probe, zone)._replace(minutes=60.0)
    else:
        features = features_of(entry, zone)
    return Explained(entry, target, ws.rules.explain(features))


@dataclass(frozen=True)
class Coverage:
    total_minutes: float
    unclassified_minutes: float
    titles: tuple[tuple[str, float], ...]  # the titles carrying most unclassified time
    distinct: int  # how many distinct unclassified titles there are


def coverage(ws: Workspace, period: Period, top: int) -> Coverage:
    """The unclassified time of the period (default: 4 weeks and the current one)."""
    from leadtime.store import EntryFilter

    start, end = window(ws, period, default=4)
    found = ws.entries(EntryFilter(start, end))
    by_title: dict[str, float] = defaultdict(float)
    for e in found:
        if e.classification.category is Category.UNCLASSIFIED:
            by_title[e.title] += e.minutes
    ranked = sorted(by_title.items(), key=lambda item: (-item[1], item[0]))[:top]
    return Coverage(
        sum(e.minutes for e in found), sum(by_title.values()), tuple(ranked), len(by_title)
    )
