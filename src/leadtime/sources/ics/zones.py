"""Time zones a calendar defines itself: each read once, by its own rules, within counts.

icalendar turns a VTIMEZONE whose TZID is not an IANA name (Outlook's ``W. Europe Standard
Time``, ``Customized Time Zone``, ...) into a dateutil ``tzical`` zone. That zone finds the
offset of a time by walking its STANDARD and DAYLIGHT rules from their DTSTART (1601 in
Outlook's: some 430 onsets of each part, searched one by one) and remembers only its last
ten answers; a rule that never matches again walks to the year 9999 at the first look-up
(seconds for ``FREQ=DAILY``, more for finer ones). icalendar also keeps the first
definition of a TZID for the whole process, so that a second file defining the same TZID
differently would be read by the first file's rules.

Here, right after parsing, each such zone is rebuilt from the file's own VTIMEZONE: the
onsets of its parts are walked once, from their DTSTART to a year past the last time that
needs them (the end of the window, or the latest time written in the zone), bounded by
counts as recurrence rules are (:func:`leadtime.sources.ics.walk.steps`), and a look-up is
a binary search. The zone answers as dateutil's does, time for time: the same part wins,
also for the times skipped or repeated when the clocks change.
Zones named by IANA names keep zoneinfo's rules, as icalendar reads them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.values import as_list
from leadtime.sources.ics.walk import Tally, bounded, steps

# The properties of an event whose times may be written in a zone of the file.
_ZONED = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
# How far past the last time that needs it a zone's onsets are read: a rule's walk may go a
# few months past the end of the window, and wall-clock times lie up to a day from UTC.
_MARGIN = timedelta(days=400)
_ZERO = timedelta(0)


@dataclass(slots=True)
class ZoneLimits:
    """What the rules of a file's time zones may examine: each rule, and all of them."""

    per_rule: int
    per_file: int
    spent: int = 0


def own_zones(calendar: Any, report: Report, *, window_end: datetime, limits: ZoneLimits) -> None:
    """Give the times of the calendar's events that icalendar read in a zone built from a
    VTIMEZONE of this calendar a zone rebuilt from that VTIMEZONE (see the module)."""
    from dateutil.tz.tz import _tzicalvtz

    defined: dict[str, Any] = {}
    for component in calendar.subcomponents:
        if getattr(component, "name", "") == "VTIMEZONE" and "TZID" in component:
            defined.setdefault(_clean(str(component["TZID"])), component)
    if not defined:
        return
    holders: list[tuple[Any, str]] = []  # (value holder, TZID of its zone)
    latest: dict[str, datetime] = {}
    for event in calendar.walk("VEVENT"):
        for name in _ZONED:
            for prop in as_list(event.get(name)):
                tzid = getattr(prop, "params", {}).get("TZID")
                key = _clean(str(tzid)) if tzid else ""
                if key not in defined:
                    continue
                for holder in getattr(prop, "dts", ()):
                    times = _times(getattr(holder, "dt", None))
                    if not any(isinstance(t.tzinfo, _tzicalvtz) for t in times):
                        continue
                    holders.append((holder, key))
                    wall = max(t.replace(tzinfo=None) for t in times)
                    if key not in latest or wall > latest[key]:
                        latest[key] = wall
    if not holders:
        return
    end = window_end.replace(tzinfo=None)
    zones: dict[str, tzinfo | None] = {}
    for key, last in latest.items():
        zones[key] = _rebuild(defined[key], max(last, end) + _MARGIN, limits, report)
    for holder, key in holders:
        zone = zones[key]
        if zone is not None:
            holder.dt = _moved(holder.dt, zone, _tzicalvtz)


def _clean(tzid: str) -> str:
    """A TZID as icalendar files its zones (``tzp.clean_timezone_id``)."""
    return tzid.strip("/")


def _times(value: Any) -> list[datetime]:
    """The aware times in a value: a date-time, or the start and end of a period."""
    parts = value if isinstance(value, tuple) else (value,)
    return [p for p in parts if isinstance(p, datetime) and p.tzinfo is not None]


def _moved(value: Any, zone: tzinfo, built: type) -> Any:
    """The value with its times in ``zone`` instead of a zone built by icalendar."""
    if isinstance(value, tuple):
        return tuple(_moved(part, zone, built) for part in value)
    if isinstance(value, datetime) and isinstance(value.tzinfo, built):
        return value.replace(tzinfo=zone)
    return value


def _rebuild(component: Any, end: datetime, limits: ZoneLimits, report: Report) -> tzinfo | None:
    """The zone of a VTIMEZONE, its onsets read up to ``end``; None if it cannot be built."""
    from dateutil.tz.tz import _tzicalvtz

    try:
        zone = component.to_tz(lookup_tzid=False)  # dateutil's parts, as icalendar builds them
    except Exception:  # icalendar could not build it either: the times stay as they are
        return None
    if not isinstance(zone, _tzicalvtz):
        return None
    tzid = str(component["TZID"])
    onsets = []
    for part in zone._comps:
        tally = Tally()
        per_rule = min(limits.per_rule, max(limits.per_file - limits.spent, 0))
        onsets.append(_onsets(part.rrule, end, per_rule, tally))
        limits.spent += tally.walked
        if tally.cut is not None:
            kind = "DAYLIGHT" if part.isdst else "STANDARD"
            if per_rule < limits.per_rule:
                what = f"the file's time zone rules examine more than {limits.per_file}"
                what += " candidate times"
            else:
                what = f"its {kind} rule examines more than {limits.per_rule} candidate times"
                what += " before the end of the window"
            report.add(
                None,
                f"time zone {tzid!r}: {what}; only its changes up to "
                f"{tally.cut.isoformat()} were read",
            )
    return _own_zone_class()(zone._tzid, zone._comps, onsets)  # type: ignore[no-any-return]


def _onsets(rules: Any, end: datetime, candidates: int, tally: Tally) -> list[datetime]:
    """The onsets of one part of a zone (a dateutil rruleset of wall times) up to ``end``."""
    if rules is None:
        return []
    times = {t for t in rules._rdate if t <= end}
    for rule in rules._rrule:
        times.update(_walk(rule, end, candidates, tally))
    skipped = {t for t in rules._exdate if t <= end}
    for rule in rules._exrule:
        skipped.update(_walk(rule, end, candidates, tally))
    return sorted(times - skipped)


def _walk(rule: Any, end: datetime, candidates: int, tally: Tally) -> Iterable[datetime]:
    first = rule._dtstart
    return list(steps(bounded(rule), first, first, end, candidates, tally))


@cache
def _own_zone_class() -> type:
    from dateutil.tz.tz import _tzicalvtz

    class OwnZone(_tzicalvtz):  # type: ignore[misc]
        """A dateutil ``tzical`` zone whose onsets are known in advance, up to a bound.

        It picks the part (STANDARD or DAYLIGHT) in force at a wall time as dateutil does:
        the part whose latest onset at or before that time is the latest, the first part
        on a tie, an onset being the wall time written in the part (in the offset before
        it). For the second of two repeated times (``fold=1``) a part that sets the clocks
        back has its onsets moved back by the time it gives back. Before the first onset,
        the first STANDARD part is in force (with none, dateutil fails; here the first
        part is).
        """

        def __init__(self, tzid: str, comps: list[Any], onsets: list[list[datetime]]) -> None:
            super().__init__(tzid, comps)
            self._onsets = onsets
            self._before = next((c for c in comps if not c.isdst), comps[0])
            # Every onset with the part it brings in, a tie going to the first part. The
            # onsets carry this zone, so that they compare with a time in it as wall times,
            # without a look-up.
            self._keys: list[datetime] = []
            self._winners: list[Any] = []
            for moment, index in sorted((t, i) for i, times in enumerate(onsets) for t in times):
                if not self._winners or self._keys[-1] != moment.replace(tzinfo=self):
                    self._keys.append(moment.replace(tzinfo=self))
                    self._winners.append(comps[index])

        def _find_comp(self, dt: datetime) -> Any:
            if len(self._comps) == 1:
                return self._comps[0]
            if dt.fold:
                return self._second_reading(dt.replace(tzinfo=None))
            if dt.tzinfo is not self:
                dt = dt.replace(tzinfo=self)
            index = bisect_right(self._keys, dt)
            return self._winners[index - 1] if index else self._before

        def _second_reading(self, wall: datetime) -> Any:
            best, best_at = None, None
            for comp, onsets in zip(self._comps, self._onsets, strict=True):
                at = wall - comp.tzoffsetdiff if comp.tzoffsetdiff < _ZERO else wall
                index = bisect_right(onsets, at)
                if index and (best_at is None or best_at < onsets[index - 1]):
                    best, best_at = comp, onsets[index - 1]
            return best if best is not None else self._before

        def __reduce__(self) -> Any:
            return OwnZone, (self._tzid, self._comps, self._onsets)

    return OwnZone
