"""Cleaning VEVENT components before expansion.

Broken properties are removed with their consequence reported, copies of one event
(same UID and RECURRENCE-ID) are reduced to one, and X-WR-TIMEZONE is applied to the
events whose meaning it changes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.values import as_list, instant, moments, number, rid_text, uid_of

SYNTHETIC_UID_PREFIX = "leadtime-"

# Properties whose problems are reported with their consequence by sanitize.
_CHECKED = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})


def _broken(value: Any) -> bool:
    from icalendar.prop import vBroken

    return any(isinstance(item, vBroken) for item in as_list(value))


def clean(component: Any, report: Report) -> bool:
    """Remove the unreadable properties of one VEVENT; False when it must be skipped.

    This comes first, before anything reads the event's times (X-WR-TIMEZONE, checks):
    one bad value must cost its own event, not the reading of every other one.
    """
    uid = uid_of(component)
    for name, message in getattr(component, "errors", ()) or ():
        if str(name).upper() not in _CHECKED:
            report.add(uid, f"cannot read {name}: {message}")
    start_prop = component.get("DTSTART")
    if start_prop is None:
        report.add(uid, "event has no DTSTART; skipped")
        return False
    if _broken(start_prop) or isinstance(start_prop, list):
        report.add(uid, "event has an unreadable DTSTART; skipped")
        return False
    start = start_prop.dt
    if not isinstance(start, date):
        report.add(uid, "event has an unreadable DTSTART; skipped")
        return False
    rid = component.get("RECURRENCE-ID")
    if rid is not None and (_broken(rid) or isinstance(rid, list) or not isinstance(rid.dt, date)):
        report.add(uid, "override has an unreadable RECURRENCE-ID; skipped")
        return False
    for name in ("DTEND", "DURATION", "RRULE", "RDATE", "EXDATE"):
        if name in component and _broken(component[name]):
            del component[name]
            consequence = {
                "DTEND": "the event lasts zero minutes",
                "DURATION": "the event lasts zero minutes",
                "RRULE": "only the first instance is kept",
            }.get(name, "ignored")
            report.add(uid, f"unreadable {name}; {consequence}")
    return True


def check(component: Any, zone: tzinfo, tz_name: str, report: Report, seen_tzids: set[str]) -> None:
    """Settle the times of one cleaned VEVENT in place, reporting what had to change.

    A floating DTSTART or DTEND beside a zoned one is read in the configured zone (as
    any floating time is), once, here: the checks and the expansion then agree.
    """
    uid = uid_of(component)
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = component.get(name)
        if prop is None or isinstance(prop, list):
            continue
        tzid = prop.params.get("TZID")
        value = prop.dt
        if tzid and isinstance(value, datetime) and value.tzinfo is None and tzid not in seen_tzids:
            seen_tzids.add(tzid)
            report.add(uid, f"unknown time zone {str(tzid)!r}, using {tz_name}")
    _settle_floating(component, zone)
    start = component["DTSTART"].dt
    end_prop = component.get("DTEND")
    if end_prop is not None:
        end = end_prop.dt if not isinstance(end_prop, list) else None
        if not isinstance(end, date):
            del component["DTEND"]
            report.add(uid, "unreadable DTEND; the event lasts zero minutes")
        elif instant(end, zone) < instant(start, zone):
            del component["DTEND"]
            report.add(uid, "DTEND is before DTSTART; the event lasts zero minutes")
        component.pop("DURATION", None)
    elif "DURATION" in component:
        duration = component["DURATION"].dt
        if not isinstance(duration, timedelta):
            del component["DURATION"]
            report.add(uid, "unreadable DURATION; the event lasts zero minutes")
        elif duration < timedelta(0):
            del component["DURATION"]
            report.add(uid, "negative DURATION; the event lasts zero minutes")


def _settle_floating(component: Any, zone: tzinfo) -> None:
    """Give the floating one of a floating and a zoned DTSTART/DTEND the configured zone."""
    start_prop, end_prop = component.get("DTSTART"), component.get("DTEND")
    if end_prop is None or isinstance(end_prop, list):
        return
    start, end = start_prop.dt, end_prop.dt
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return
    if (start.tzinfo is None) == (end.tzinfo is None):
        return
    name, value = ("DTSTART", start) if start.tzinfo is None else ("DTEND", end)
    del component[name]
    component.add(name, value.replace(tzinfo=zone))


def synthetic_uid(component: Any) -> str:
    parts = []
    for name in ("DTSTART", "SUMMARY", "DTEND"):
        value = component.get(name)
        if value is None:
            parts.append(b"")
        else:
            try:
                parts.append(value.to_ical())
            except Exception:  # an odd value still yields a stable key
                parts.append(str(value).encode())
    digest = hashlib.sha256(b"\x1f".join(parts)).hexdigest()[:20]
    return SYNTHETIC_UID_PREFIX + digest


def _stamp(component: Any, zone: tzinfo) -> datetime:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        prop = component.get(name)
        try:
            if prop is not None and isinstance(prop.dt, date):
                return instant(prop.dt, zone)
        except Exception:  # an unreadable stamp just does not rank
            continue
    return datetime.min.replace(tzinfo=UTC)


def dedupe(components: list[tuple[int, Any]], zone: tzinfo, uid: str, report: Report) -> list[Any]:
    """Keep one component per RECURRENCE-ID (None for the master)."""
    groups: dict[object, list[tuple[int, Any]]] = {}
    for index, component in components:
        rid = component.get("RECURRENCE-ID")
        key: object = None if rid is None else instant(rid.dt, zone)
        groups.setdefault(key, []).append((index, component))
    kept: list[Any] = []
    for rid_key, group in groups.items():
        if len(group) == 1:
            kept.append(group[0][1])
            continue
        best = max(
            group,
            key=lambda item: (
                number(item[1].get("SEQUENCE")),
                _stamp(item[1], zone),
                item[0],
            ),
        )
        what = (
            "event" if not isinstance(rid_key, datetime) else f"instance {rid_text(rid_key, zone)}"
        )
        report.add(
            uid,
            f"{len(group)} copies of the same {what}; kept SEQUENCE "
            f"{max(number(best[1].get('SEQUENCE')), 0)}, the last modified",
        )
        kept.append(best[1])
    return kept


def standardise(calendar: Any, report: Report, uids: dict[str | None, int]) -> Any:
    """Read floating and UTC times of a calendar with X-WR-TIMEZONE in that zone.

    This is ``x_wr_timezone.to_standard``, applied only to the events it can change the
    meaning of (``uids`` counts the events of each UID in the file): an event with a
    floating time, or with a UTC time and a recurrence, a DURATION, an override, a
    generated UID or a UID it shares. A lone event whose times are all UTC instants or
    carry a TZID means the same either way, and is not copied.
    """
    import x_wr_timezone
    from icalendar import Event

    if calendar.get("X-WR-TIMEZONE") is None:
        return calendar
    name = str(calendar["X-WR-TIMEZONE"])
    try:
        walker = x_wr_timezone.UTCChangingWalker(ZoneInfo(name))
    except Exception as exc:
        report.add(None, f"cannot use X-WR-TIMEZONE {name!r} ({exc})")
        return calendar
    subcomponents = []
    zones: dict[int, bool] = {}  # whether each zone of the file is UTC
    for component in calendar.subcomponents:
        if isinstance(component, Event) and _zone_matters(component, uids, zones):
            try:
                component = walker.walk_event(component)
            except Exception as exc:  # this event keeps its times as written
                report.add(uid_of(component), f"cannot use X-WR-TIMEZONE {name!r} ({exc})")
        subcomponents.append(component)
    return walker.copy_if_changed(calendar, {}, subcomponents)


# The properties x_wr_timezone converts, and those that make a UTC time's zone matter:
# a recurrence is expanded in local time, and a DURATION is added in local time.
_ZONED = ("DTSTART", "DTEND", "RDATE", "RECURRENCE-ID", "EXDATE")
_LOCAL_ARITHMETIC = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "DURATION")


def _is_utc(moment: datetime, zones: dict[int, bool]) -> bool:
    """Whether an aware time is written in UTC. A zone built from a VTIMEZONE finds its
    name by walking its own rules from their DTSTART (1601 in Outlook's): it is asked once
    per file (``zones``), not once per time."""
    zone = moment.tzinfo
    if zone is UTC or isinstance(zone, ZoneInfo):
        return (moment.tzname() or "").upper() == "UTC"
    known = zones.get(id(zone))
    if known is None:
        known = zones[id(zone)] = (moment.tzname() or "").upper() == "UTC"
    return known


def _zone_matters(event: Any, uids: dict[str | None, int], zones: dict[int, bool]) -> bool:
    """Whether X-WR-TIMEZONE can change what ``event`` means (see :func:`standardise`)."""
    utc = False
    for name in _ZONED:
        for moment in moments(event.get(name)):
            if not isinstance(moment, datetime):
                continue
            if moment.tzinfo is None:
                return True  # floating: X-WR-TIMEZONE decides the instant
            utc = utc or _is_utc(moment, zones)
    if not utc:
        return False
    uid = uid_of(event)
    return uid is None or uids.get(uid, 0) != 1 or any(name in event for name in _LOCAL_ARITHMETIC)
