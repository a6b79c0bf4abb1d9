"""The units every part of leadtime reads and writes the same way: durations, weekdays,
time zone names and half-up rounding.

``"1:30"``, ``"1h30"`` and ``"90m"`` mean the same on the command line, in a rules file and
in a setting, and 65 minutes prints as ``1h05m`` in every listing. Cheap to import: no
third-party module is loaded here.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from leadtime.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    import re
    from fractions import Fraction

# --------------------------------------------------------------------------- durations

DURATION_HINT = "use 45m, 90m, 1h, 1h30, 1h30m, 1.5h, 1:30, 45min, 2 hours or 90 (minutes)"

_HOUR_UNITS = "h|hr|hrs|hour|hours"
_MINUTE_UNITS = "m|min|mins|minute|minutes"

_MAX_DIGITS = 9  # no duration anyone types has more; longer numbers are refused, not overflowed


@lru_cache(maxsize=1)
def _duration_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``1h30``, ``1h 30m``, ``1.5h``, ``2 hours``, ``45min`` (an hours part, a minutes
    part, or both), and ``1:30``; compiled on first use, not by every command."""
    import re

    spelled = re.compile(
        rf"""
        (?:(?P<hours>\d+(?:\.\d+)?)\s*(?:{_HOUR_UNITS}))?
        \s*
        (?:(?P<minutes>\d+)\s*(?:{_MINUTE_UNITS})?)?
        """,
        re.VERBOSE,
    )
    return spelled, re.compile(r"(?P<hours>\d+):(?P<minutes>[0-5]\d)")


def read_duration(text: str) -> timedelta | None:
    """The duration ``text`` spells, or ``None`` when it spells none.

    Accepted forms (any case, spaces allowed between parts): minutes with a unit (``45m``,
    ``45min``, ``30 minutes``), hours with a unit (``1h``, ``2 hours``, decimal ``1.5h`` or
    ``1,5h``, rounded to the nearest minute), hours then minutes (``1h30``, ``1h30m``,
    ``1h 30m``, minutes below 60), ``h:mm`` (``1:30``) and a bare number of minutes (``90``).

    Raises:
        ValueError: the form is right but a part is not (``1h75``: minutes above 59).
    """
    text = " ".join(text.lower().split()).replace(",", ".")
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return timedelta(minutes=int(text)) if len(text) <= _MAX_DIGITS else None
    spelled, clock_form = _duration_patterns()
    if any(len(run) > _MAX_DIGITS for run in _digit_runs(text)):
        return None
    clock = clock_form.fullmatch(text)
    if clock:
        return timedelta(hours=int(clock["hours"]), minutes=int(clock["minutes"]))
    match = spelled.fullmatch(text)
    if match is None:
        return None
    hours_text, minutes_text = match["hours"], match["minutes"]
    if hours_text is None:
        # Bare numbers were handled above, so the minutes carry a unit here.
        return None if minutes_text is None else timedelta(minutes=int(minutes_text))
    if minutes_text is None:
        minutes = (Decimal(hours_text) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return timedelta(minutes=int(minutes))
    if "." in hours_text:
        return None  # ``1.5h30m`` mixes two ways of writing the part of an hour
    if int(minutes_text) >= 60:
        raise ValueError("the minutes after the hours must be below 60")
    return timedelta(hours=int(hours_text), minutes=int(minutes_text))


def _digit_runs(text: str) -> list[str]:
    import re

    return re.findall(r"\d+", text)


def parse_duration(text: str) -> timedelta:
    """Read a length of time typed by the user (see :func:`read_duration` for the forms).

    Only the form is checked: zero or very long durations are the caller's to refuse.

    Raises:
        UsageError: the text is not one of the forms.
    """
    try:
        value = read_duration(text)
    except ValueError as error:
        raise UsageError(
            f"cannot read {text!r} as a duration: {error}", hint=DURATION_HINT
        ) from None
    if value is None:
        raise UsageError(f"cannot read {text!r} as a duration", hint=DURATION_HINT)
    return value


def format_duration(minutes: float | Fraction) -> str:
    """Write a number of minutes compactly, rounded to the whole minute, halves up.

    ``0m``, ``45m``, ``1h``, ``1h05m``, ``1h30m``, ``26h``; negative values get a leading
    ``-``. Every result for a positive number is read back by :func:`parse_duration`.
    """
    if isinstance(minutes, float) and not math.isfinite(minutes):
        raise ValueError(f"cannot format {minutes!r} minutes")
    whole = int(decimal_of(minutes).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 60)
    if hours == 0:
        return f"{sign}{rest}m"
    if rest == 0:
        return f"{sign}{hours}h"
    return f"{sign}{hours}h{rest:02d}m"


def format_hours(minutes: float | Fraction) -> str:
    """Minutes as hours with one decimal, halves up: ``510.5`` -> ``8.5``."""
    hours = decimal_of(minutes) / 60
    return str(hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- weekdays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Monday is 0, as in date.weekday()
WEEKDAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        WEEKDAY_NAMES[_name] = _index


def weekday_number(name: str) -> int | None:
    """``mon``/``monday`` (any case) -> 0 ... ``sun`` -> 6; None for anything else."""
    return WEEKDAY_NAMES.get(name.strip().lower())


def weekday_name(number: int) -> str:
    """0 -> ``Mon``."""
    return WEEKDAYS[number].capitalize()


# --------------------------------------------------------------------------- rounding


def decimal_of(value: float | int | Fraction | Decimal) -> Decimal:
    """A number as a Decimal: a float by its shortest form (64.95 stays 64.95), a Fraction
    to 28 significant digits."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value.numerator) / Decimal(value.denominator)  # a Fraction


def round_half_up(value: float | Fraction, places: int) -> float:
    """``value`` rounded to ``places`` decimals, halves away from zero (as it reads: 0.25 -> 0.3).

    Works on the shortest decimal form of the float, so ``round_half_up(64.95, 1) == 65.0``.
    """
    quantum = Decimal(1).scaleb(-places)
    return float(decimal_of(value).quantize(quantum, rounding=ROUND_HALF_UP))


def percent(share: float | Fraction) -> Decimal:
    """A share as displayed and judged: percent with one decimal, halves up.

    ``percent(0.6495) == Decimal("65.0")``, ``percent(0.6494) == Decimal("64.9")``.
    """
    return (decimal_of(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_number(value: float | Decimal) -> str:
    """A setting or a bound as people write it: ``70.0`` -> ``70``, ``0.7`` -> ``0.7``,
    ``0.6999999999999999`` -> ``0.7`` (at most four decimals, halves up)."""
    rounded = decimal_of(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    text = f"{rounded.normalize():f}"
    return "0" if text in ("-0", "") else text
