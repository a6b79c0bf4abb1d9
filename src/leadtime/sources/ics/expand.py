"""Series expansion: recurring-ical-events occurrences to :class:`Entry` values.

Series are expanded in the window only, one instance at a time, so that the instance caps
bound what a dense rule costs; :mod:`leadtime.sources.ics.walk` bounds the candidates a
rule examines, so that a rule that rarely or never matches costs no more than its
frequency allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from leadtime.entry import Entry, Origin
from leadtime.sources.ics.describe import Info, describe, exclusion
from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.values import instant, rid_text
from leadtime.sources.ics.walk import Limits, walked

# Widening of the query window: floating and all-day values are compared in wall time.
_SLACK = timedelta(days=2)


@dataclass(slots=True)
class Budget:
    """What expanding one file may cost: instances produced and candidates examined.

    Both are counts, never seconds: a file imports the same instances on a fast and on a
    loaded machine. Recurring series that find either spent are not expanded; their UIDs
    are kept for one problem at the end (see :meth:`Expander.finish`).
    """

    instances: int
    candidates: int
    left: int = 0
    candidates_left: int = 0
    skipped: list[str] = field(default_factory=list)
    why: str = ""

    def __post_init__(self) -> None:
        self.left = self.instances
        self.candidates_left = self.candidates


@dataclass(slots=True)
class Expander:
    label: str
    calendar: str
    me: frozenset[str]
    zone: tzinfo
    tz_name: str
    window_start: datetime
    window_end: datetime
    cap: int  # instances of one series
    candidates: int  # candidates one rule may examine
    limits: Limits  # read by the series class while a rule is walked
    report: Report
    budget: Budget
    entries: list[Entry] = field(default_factory=list)
    infos: dict[int, Info] = field(default_factory=dict)

    def info(self, component: Any) -> Info:
        key = id(component)
        cached = self.infos.get(key)
        if cached is None:
            cached = self.infos[key] = describe(component, self.me, self.zone)
        return cached

    def expand(self, series: Any, uid: str, master: Any | None) -> None:
        """Turn one series into entries, capped and windowed."""
        recurring = master is not None and ("RRULE" in master or "RDATE" in master)
        one_off = master is not None and not recurring and not series.modifications
        cancelled = master is not None and self.info(master).status == "CANCELLED"
        budget = self.budget
        ruled = master is not None and "RRULE" in master
        if ruled and (budget.left <= 0 or budget.candidates_left <= 0):
            budget.skipped.append(uid)
            return
        cap = min(self.cap, budget.left) if ruled else self.cap
        self.limits.candidates = min(self.candidates, budget.candidates_left)
        seen: set[str | None] = set()
        produced = 0
        stop = ""
        for occurrence in self._occurrences(series):
            entry = self._entry(occurrence, uid, one_off, cancelled)
            if entry is None or entry.recurrence_id in seen:
                continue
            seen.add(entry.recurrence_id)
            produced += 1
            if produced > cap:
                produced = cap
                stop = f"the recurrence produces more than {cap} instances; "
                if cap < self.cap:
                    budget.why = f"the file produces more than {budget.instances} instances"
                    stop = f"{budget.why}; "
                stop += f"only the first {cap} were read"
                break
            if self._overlaps(entry):
                self.entries.append(entry)
        if ruled:
            cut = self._charge(series, produced)
            stop = stop or cut
        if stop:
            self.report.add(uid, stop)

    def _charge(self, series: Any, produced: int) -> str:
        """Take what a series cost from the file's budget; what was cut, if anything."""
        budget = self.budget
        examined, cut = walked(series)
        budget.left -= produced
        budget.candidates_left -= examined
        if cut is None:
            return ""
        until = rid_text(cut, self.zone)
        if self.limits.candidates < self.candidates:  # the file's budget ran out here
            budget.candidates_left = 0
            budget.why = (
                f"the file's recurrence rules examine more than {budget.candidates} candidate times"
            )
            return f"{budget.why}; only the instances up to {until} were read"
        return (
            f"the recurrence rule examines more than {self.candidates} candidate times "
            f"before the end of the window; only its instances up to {until} were read"
        )

    def finish(self) -> None:
        """Report the recurring series that were not expanded at all."""
        skipped = self.budget.skipped
        if skipped:
            named = ", ".join(skipped[:5]) + (", ..." if len(skipped) > 5 else "")
            self.report.add(
                None,
                f"{self.budget.why}; recurring events not expanded ({len(skipped)}): {named}",
            )

    def _overlaps(self, entry: Entry) -> bool:
        if entry.start == entry.end:
            return self.window_start <= entry.start < self.window_end
        return entry.start < self.window_end and entry.end > self.window_start

    def _occurrences(self, series: Any) -> Iterator[Any]:
        """The series' occurrences in the window (widened by a slack), one at a time."""
        return iter(series.between(self.window_start - _SLACK, self.window_end + _SLACK))

    def _entry(self, occurrence: Any, uid: str, one_off: bool, cancelled: bool) -> Entry | None:
        adapter = occurrence.adapter
        component = adapter._component  # the VEVENT this instance comes from
        info = self.info(component)
        zone = self.zone
        start = instant(occurrence.start, zone)
        if info.length is not None and isinstance(occurrence.start, datetime):
            end = info.length.end(occurrence.start, zone)
        else:
            end = instant(occurrence.end, zone)
        if end < start:
            end = start
        if one_off:
            rid: str | None = None
        elif occurrence.derived:
            original = occurrence.start
            shift = adapter.move_recurrences_by
            if shift:
                original = original - shift
            rid = rid_text(original, zone)
        else:
            rid_prop = component.get("RECURRENCE-ID")
            rid = rid_text(rid_prop.dt if rid_prop is not None else occurrence.start, zone)
        return Entry(
            start=start,
            end=end,
            title=info.title,
            origin=Origin.ICS,
            note=info.note,
            location=info.location,
            tags=info.tags,
            calendar=self.calendar,
            uid=uid,
            recurrence_id=rid,
            organizer=info.organizer,
            attendees=info.attendees,
            excluded=exclusion(info, cancelled),
        )


def build_series(series_class: type, components: list[Any], uid: str, report: Report) -> Any | None:
    from recurring_ical_events import EventAdapter

    try:
        return series_class([EventAdapter(c) for c in components])
    except Exception as exc:
        masters = [c for c in components if "RECURRENCE-ID" not in c and "RRULE" in c]
        if masters:
            for master in masters:
                del master["RRULE"]
            report.add(uid, f"cannot expand RRULE ({exc}); only the first instance is kept")
            try:
                return series_class([EventAdapter(c) for c in components])
            except Exception as second:
                exc = second
        report.add(uid, f"cannot read the event ({exc}); skipped")
        return None
