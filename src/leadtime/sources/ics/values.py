"""Reading property values of icalendar components: instants, addresses, plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from leadtime.clock import zone
from leadtime.errors import InputError, UsageError


def zone_named(name: str) -> tzinfo:
    """The zone an import reads floating times in."""
    try:
        return zone(name)
    except UsageError as exc:
        raise InputError(exc.message, hint=exc.hint) from None


def instant(value: date, zone: tzinfo) -> datetime:
    """The UTC instant of a date (local midnight), floating or aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        elif value.tzinfo is UTC:
            return value
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(UTC)


def rid_text(value: date, zone: tzinfo) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    return instant(value, zone).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def number(value: Any, default: int = -1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def text_of(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def address(value: object) -> str:
    text = str(value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().lower()


def uid_of(component: Any) -> str | None:
    uid = component.get("UID")
    text = str(uid).strip() if uid is not None else ""
    return text or None


def moments(value: Any) -> Iterator[Any]:
    """The date and time values of a property, however icalendar holds them."""
    for item in as_list(value):
        if hasattr(item, "dts"):  # RDATE, EXDATE: a list of values
            for part in item.dts:
                yield getattr(part, "dt", part)
        else:
            yield getattr(item, "dt", item)


# The nominal part of an RFC 5545 duration: weeks and days, before any "T".
_NOMINAL = re.compile(r"^\s*([+-]?)P(?:(\d+)W)?(?:(\d+)D)?", re.IGNORECASE)


class WrittenDuration(timedelta):
    """A DURATION value that remembers its calendar days as written.

    RFC 5545 3.3.6: weeks and days are nominal (a day is 23 or 25 hours when the clocks
    change), hours, minutes and seconds exact. ``PT24H`` and ``P1D`` are the same
    timedelta, and icalendar writes both back as ``P1D``: only the text tells them apart.
    """

    days_written: int

    @classmethod
    def of(cls, value: timedelta, written: str) -> WrittenDuration:
        duration = cls(days=value.days, seconds=value.seconds, microseconds=value.microseconds)
        match = _NOMINAL.match(written)
        days = int(match.group(2) or 0) * 7 + int(match.group(3) or 0) if match else 0
        duration.days_written = -days if match and match.group(1) == "-" else days
        return duration
