"""Working hours: when the user works, as weekly ranges of local time (SPEC §10).

The setting reads ``"mon-fri 09:00-17:00"``, or several groups separated by ``;`` with
several ranges each: ``"mon-thu 08:30-12:00,13:00-17:30; fri 08:30-14:00"``. Days are
``mon``..``sun`` (full names too), a range of days (``mon-fri``; ``fri-mon`` wraps over the
weekend) or a list (``mon,wed,fri``). Times are 24-hour ``HH:MM``; ``24:00`` ends a day.
Ranges of the same day that overlap are merged. ``none`` (or an empty text) means no
working hours.

Working hours only measure coverage and capacity; they never drop an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from leadtime.clock import zone
from leadtime.units import WEEKDAYS, weekday_number

__all__ = ["DEFAULT_WORK_HOURS", "WorkHours"]

DEFAULT_WORK_HOURS = "mon-fri 09:00-17:00"
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_DAY_MINUTES = 24 * 60


def _clock(text: str, whole: str) -> int:
    """``08:30`` -> 510 minutes after midnight."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"work hours {whole!r}: {text.strip()!r} is not a time (use HH:MM)")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"work hours {whole!r}: {text.strip()!r} is not a time of day")
    return hours * 60 + minutes


def _day(text: str, whole: str) -> int:
    number = weekday_number(text)
    if number is None:
        raise ValueError(f"work hours {whole!r}: {text!r} is not a weekday (use mon..sun)")
    return number


def _days(text: str, whole: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first_text, _, last_text = part.partition("-")
            first, last = _day(first_text, whole), _day(last_text, whole)
            days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
        else:
            days.append(_day(part, whole))
    return days


@dataclass(frozen=True)
class WorkHours:
    """Working time per weekday: ``days[0]`` (Monday) .. ``days[6]`` (Sunday), each a
    sorted tuple of disjoint ``(start, end)`` minutes after local midnight."""

    days: tuple[tuple[tuple[int, int], ...], ...]

    @classmethod
    def parse(cls, text: str) -> WorkHours:
        """Read the setting (see the module docstring).

        Raises:
            ValueError: the text is not in that form; the message names the part.
        """
        found: list[list[tuple[int, int]]] = [[] for _ in WEEKDAYS]
        cleaned = text.strip()
        if cleaned.lower() in ("", "none"):
            return cls(tuple(() for _ in WEEKDAYS))
        for group in cleaned.split(";"):
            parts = group.split(None, 1)
            if len(parts) != 2:
                raise ValueError(
                    f"work hours {text!r}: {group.strip()!r} needs days and times, "
                    "as in 'mon-fri 09:00-17:00'"
                )
            day_text, ranges_text = parts
            days = _days(day_text.lower(), text)
            for item in ranges_text.split(","):
                start_text, dash, end_text = item.partition("-")
                if not dash:
                    raise ValueError(
                        f"work hours {text!r}: {item.strip()!r} is not a range (use 09:00-17:00)"
                    )
                start, end = _clock(start_text, text), _clock(end_text, text)
                if end <= start:
                    raise ValueError(f"work hours {text!r}: {item.strip()!r} ends before it starts")
                for day in days:
                    found[day].append((start, end))
        return cls(tuple(_merged(ranges) for ranges in found))

    @property
    def weekly_minutes(self) -> int:
        """Working minutes in a week without a clock change."""
        return sum(end - start for ranges in self.days for start, end in ranges)

    def intervals(self, monday: date, tz: str) -> list[tuple[int, int]]:
        """The working time of the week of ``monday`` as Unix seconds ``[start, end)``.

        Local times in ``tz``: 09:00-17:00 is eight hours on the day the clocks change
        too. A time inside a clock change's gap is read as the clocks before it (02:30 on
        a spring-forward night is 03:30 after); a range the gap swallows is left out.
        """
        place = zone(tz)
        result: list[tuple[int, int]] = []
        for offset, ranges in enumerate(self.days):
            day = monday + timedelta(days=offset)
            for start, end in ranges:
                start_ts = _instant(day, start, place)
                end_ts = _instant(day, end, place)
                if end_ts > start_ts:
                    if result and result[-1][1] >= start_ts:  # 17:00-24:00 then 00:00-09:00
                        result[-1] = (result[-1][0], max(result[-1][1], end_ts))
                    else:
                        result.append((start_ts, end_ts))
        return result


def _instant(day: date, minutes: int, place: tzinfo) -> int:
    if minutes == _DAY_MINUTES:
        day, minutes = day + timedelta(days=1), 0
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=place)
    return int(moment.timestamp())


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)
