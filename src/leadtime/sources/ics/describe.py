"""What an instance takes from its component: title, people, status, length."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from leadtime.entry import Exclusion
from leadtime.sources.ics.values import address, as_list, instant, is_date, text_of

NO_TITLE = "(no title)"

# The nominal part of an RFC 5545 duration: weeks and days, before any "T".
_NOMINAL = re.compile(rb"^[+-]?P(?:(\d+)W)?(?:(\d+)D)?")


@dataclass(frozen=True, slots=True)
class Length:
    """How long every instance of a component lasts (RFC 5545 §3.3.6, §3.8.5.3).

    DTEND fixes one exact duration for the whole set. DURATION is nominal in its weeks
    and days (a day is a calendar day, 23 or 25 hours when the clocks change) and exact
    in its hours, minutes and seconds.
    """

    days: int
    exact: timedelta

    def end(self, start: datetime, zone: tzinfo) -> datetime:
        """The UTC end of an instance that starts at ``start`` (aware or floating)."""
        if self.days:
            start = start + timedelta(days=self.days)  # wall-clock days in start's zone
        return instant(start, zone) + self.exact


def length_of(component: Any, zone: tzinfo) -> Length | None:
    """The length of a timed component's instances; None where the library decides.

    The library adds the duration in wall time, so a 45-minute meeting at 01:30 lasts
    105 minutes on the night the clocks go back. All-day events, events without DTEND
    and DURATION, and RDATE periods (each with its own end) keep the library's reading.
    """
    start_prop = component.get("DTSTART")
    if start_prop is None or not isinstance(start_prop.dt, datetime):
        return None
    if any(isinstance(value, tuple) for value in _rdates(component)):
        return None
    end_prop = component.get("DTEND")
    if end_prop is not None:
        end = end_prop.dt
        if not isinstance(end, datetime):
            return None
        return Length(0, instant(end, zone) - instant(start_prop.dt, zone))
    duration_prop = component.get("DURATION")
    if duration_prop is None or not isinstance(duration_prop.dt, timedelta):
        return None
    duration: timedelta = duration_prop.dt
    # as written: PT24H is 24 hours, P1D a calendar day (icalendar writes both as P1D)
    days = getattr(duration, "days_written", None)
    if days is None:  # a value not read from text: its days, as icalendar writes them
        match = _NOMINAL.match(duration_prop.to_ical())
        days = int(match.group(1) or 0) * 7 + int(match.group(2) or 0) if match else 0
    return Length(days, duration - timedelta(days=days))


def _rdates(component: Any) -> list[date | tuple[Any, Any]]:
    values: list[date | tuple[Any, Any]] = []
    for prop in as_list(component.get("RDATE")):
        values.extend(getattr(part, "dt", part) for part in getattr(prop, "dts", ()))
    return values


@dataclass(slots=True)
class Info:
    """What an instance takes from its component; computed once per component."""

    title: str
    note: str
    location: str
    tags: tuple[str, ...]
    organizer: str | None
    attendees: int
    status: str | None
    transparent: bool
    declined: bool
    all_day: bool
    length: Length | None


def _tags(component: Any) -> tuple[str, ...]:
    tags: list[str] = []
    for prop in as_list(component.get("CATEGORIES")):
        cats = getattr(prop, "cats", None)
        values = cats if cats is not None else str(prop).split(",")
        for cat in values:
            text = str(cat).strip()
            if text and text not in tags:
                tags.append(text)
    return tuple(tags)


def describe(component: Any, me: frozenset[str], zone: tzinfo) -> Info:
    attendees = as_list(component.get("ATTENDEE"))
    declined = False
    if me:
        for attendee in attendees:
            params = getattr(attendee, "params", {})
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED" and address(attendee) in me:
                declined = True
                break
    organizer = component.get("ORGANIZER")
    status = component.get("STATUS")
    start = component.get("DTSTART")
    return Info(
        title=text_of(component, "SUMMARY") or NO_TITLE,
        note=text_of(component, "DESCRIPTION"),
        location=text_of(component, "LOCATION"),
        tags=_tags(component),
        organizer=address(organizer) or None if organizer is not None else None,
        attendees=len(attendees),
        status=str(status).strip().upper() if status is not None else None,
        transparent=text_of(component, "TRANSP").upper() == "TRANSPARENT",
        declined=declined,
        all_day=start is not None and is_date(start.dt),
        length=length_of(component, zone),
    )


def exclusion(info: Info, series_cancelled: bool) -> Exclusion | None:
    if info.status == "CANCELLED" or (series_cancelled and info.status is None):
        return Exclusion.CANCELLED
    if info.declined:
        return Exclusion.DECLINED
    if info.transparent:
        return Exclusion.TRANSPARENT
    if info.all_day:
        return Exclusion.ALL_DAY
    return None


_EMAIL = re.compile(r"[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+")


@dataclass(slots=True)
class People:
    """Who appears in a calendar: enough to guess whose calendar it is.

    Declined invitations are excluded only for the user's own addresses (``me``); a
    calendar with replies in it (ATTENDEE;PARTSTAT=...) but no ``me`` counts them all.
    """

    attendance: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, component: Any) -> None:
        seen: set[str] = set()
        for attendee in as_list(component.get("ATTENDEE")):
            if "PARTSTAT" in getattr(attendee, "params", {}):
                self.attendance = True
            seen.add(address(attendee))
        organizer = component.get("ORGANIZER")
        if organizer is not None:
            seen.update(address(value) for value in as_list(organizer))
        for who in seen:
            if _EMAIL.fullmatch(who):
                self.counts[who] = self.counts.get(who, 0) + 1

    def likely_me(self, calendar_name: str | None) -> str | None:
        """The calendar's name when it is an address (as Google names a user's primary
        calendar), else the address on most events (the first in order on a tie)."""
        if calendar_name and _EMAIL.fullmatch(calendar_name.strip()):
            return calendar_name.strip().lower()
        if not self.counts:
            return None
        return min(self.counts, key=lambda who: (-self.counts[who], who))
