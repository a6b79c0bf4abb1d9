"""Series expansion: recurring-ical-events occurrences to :class:`Entry` values.

Rules are expanded in the window only, and dense or endless ones in growing time slices
so that the instance cap bounds the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from leadtime.entry import Entry, Origin
from leadtime.sources.ics.describe import Info, describe, exclusion
from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.values import (
    as_list,
    first,
    instant,
    number,
    rid_text,
)

# Shortest length of one period of each frequency, in seconds (used for upper bounds).
_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3_600,
    "DAILY": 86_400,
    "WEEKLY": 604_800,
    "MONTHLY": 28 * 86_400,
    "YEARLY": 365 * 86_400,
}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
# Instances a single time slice should produce when a dense rule is expanded lazily.
_SLICE_TARGET = 2_048
# Rule iterations before the window that we accept to pay for on every slice.
_PRE_WINDOW_BUDGET = 50_000
# Widening of the query window: floating and all-day values are compared in wall time.
_SLACK = timedelta(days=2)


def _rule_unit(rule: Any) -> float:
    """The shortest possible gap, in seconds, between two instances of one RRULE."""
    freq = str(first(rule.get("FREQ")) or "").upper()
    interval = max(number(first(rule.get("INTERVAL")), 1), 1)
    unit = float(_FREQ_SECONDS.get(freq, 1) * interval)
    if rule.get("BYSECOND"):
        unit = min(unit, 1.0)
    elif rule.get("BYMINUTE"):
        unit = min(unit, 60.0)
    elif rule.get("BYHOUR"):
        unit = min(unit, 3_600.0)
    elif any(rule.get(part) for part in _DAY_PARTS):
        unit = min(unit, 86_400.0)
    return unit


def _rule_units(rule: Any, start: datetime, until_default: datetime, zone: tzinfo) -> float:
    """An upper bound on instances (and rule iterations) of one RRULE up to a moment."""
    unit = _rule_unit(rule)
    end = until_default
    until = first(rule.get("UNTIL"))
    if isinstance(until, date):
        end = min(end, instant(until, zone))
    units = max((end - start).total_seconds(), 0.0) / unit + 1
    count = number(first(rule.get("COUNT")), 0)
    return min(units, count) if count > 0 else units


def _estimate(master: Any, moment: datetime, zone: tzinfo) -> float:
    """Upper bound on the instances a master produces from DTSTART up to ``moment``."""
    start = instant(master["DTSTART"].dt, zone)
    return sum(
        _rule_units(rule, start, moment, zone) for rule in as_list(master.get("RRULE"))
    ) + len(as_list(master.get("RDATE")))


def make_series_class() -> type:
    """A Series whose occurrences tell whether a rule generated them (for RECURRENCE-ID)."""
    from recurring_ical_events import Occurrence, Series

    class _Occurrence(Occurrence):  # type: ignore[misc]
        """An occurrence that remembers whether a rule generated it."""

        def __init__(self, adapter: Any, start: Any, end: Any, derived: bool) -> None:
            super().__init__(adapter, start, end)
            self.adapter = adapter
            self.derived = derived

    class _Series(Series):  # type: ignore[misc]
        def occurrence(self, adapter: Any, start: Any = None, end: Any = None) -> Any:
            return _Occurrence(adapter, start, end, start is not None)

    return _Series


@dataclass(slots=True)
class Budget:
    """What expanding one file may cost: instances in all, and seconds on ``clock``.

    Recurring series that find the budget spent are not expanded; their UIDs are kept
    for one problem at the end (see :meth:`Expander.finish`). The clock counts only once
    a runaway rule has been cut at its cap: a file without one costs what its size
    says, and a busy machine must not cut a calendar short.
    """

    instances: int
    seconds: float
    clock: Callable[[], float]
    deadline: float = 0.0
    left: int = 0
    skipped: list[str] = field(default_factory=list)
    why: str = ""
    armed: bool = False

    def start(self) -> None:
        self.deadline = self.clock() + self.seconds
        self.left = self.instances

    def out_of_time(self) -> bool:
        if not self.armed or self.clock() <= self.deadline:
            return False
        self.why = f"reading took more than {self.seconds:g} s"
        return True


@dataclass(slots=True)
class Expander:
    label: str
    calendar: str
    me: frozenset[str]
    zone: tzinfo
    tz_name: str
    window_start: datetime
    window_end: datetime
    cap: int
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
        if ruled and (budget.left <= 0 or budget.out_of_time()):
            budget.skipped.append(uid)
            return
        cap = min(self.cap, budget.left) if ruled else self.cap
        seen: set[str | None] = set()
        produced = 0
        stop = ""
        for count, occurrence in enumerate(self._occurrences(series, master, cap), start=1):
            if count % 1024 == 0 and budget.out_of_time():
                stop = f"{budget.why}; only the first {produced} instances were read"
                break
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
            budget.left -= produced
            budget.armed = budget.armed or produced >= cap
        if stop:
            self.report.add(uid, stop)

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

    def _occurrences(self, series: Any, master: Any | None, cap: int) -> Iterator[Any]:
        query_start = self.window_start - _SLACK
        query_end = self.window_end + _SLACK
        if master is None or "RRULE" not in master:
            yield from series.between(query_start, query_end)
            return
        if _estimate(master, query_end, self.zone) <= cap:
            yield from series.between(query_start, query_end)
            return
        # Dense or long series: walk forward in slices so that the cap bounds the work.
        first = instant(master["DTSTART"].dt, self.zone) - _SLACK
        if _estimate(master, query_start, self.zone) > _PRE_WINDOW_BUDGET:
            cursor = first  # the rule would iterate too long before the window: count from DTSTART
        else:
            cursor = max(first, query_start)
        unit = timedelta(seconds=min(_rule_unit(rule) for rule in as_list(master["RRULE"])))
        longest = max(unit * _SLICE_TARGET * 4, timedelta(seconds=1))
        step = max(unit * _SLICE_TARGET, timedelta(seconds=1))
        lookback = getattr(series, "_subtract_from_start", None)
        if isinstance(lookback, timedelta):
            # The library looks back by the event's length for instances that overlap the
            # slice; for a dense rule that is thousands of instances again on every slice.
            # The first slice looks back at most one step, the others not at all: what
            # started before them was read by the slice before.
            series._subtract_from_start = min(lookback, step)
        yielded: set[tuple[int, object]] = set()
        while cursor < query_end:
            stop = min(cursor + step, query_end)
            found = sorted(series.between(cursor, stop), key=self._order)
            new = 0
            for occurrence in found:
                key = (id(occurrence.adapter), occurrence.start)
                if key not in yielded:
                    yielded.add(key)
                    new += 1
                    yield occurrence
            if isinstance(lookback, timedelta):
                series._subtract_from_start = timedelta(0)
            cursor = stop
            # aim at about _SLICE_TARGET instances per slice: few calls, bounded memory
            factor = min(max(_SLICE_TARGET / max(new, 1), 0.5), 16.0)
            step = min(max(step * factor, timedelta(seconds=1)), longest)

    def _order(self, occurrence: Any) -> datetime:
        return instant(occurrence.start, self.zone)

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
