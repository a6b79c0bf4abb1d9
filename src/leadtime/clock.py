"""Time, owned in one place: time zones, wall times, ISO weeks, local formatting, and the
years leadtime keeps.

Every other module asks here, so that a zone name, an ambiguous wall time or a year bound
means the same thing whichever command reads it:

* a zone is an IANA name; an unknown one is a usage error naming the closest real one;
* a wall time that a daylight-saving jump skips (Berlin 2026-03-29 02:30) is moved forward
  by the jump (03:30 CEST); one that happens twice (Berlin 2026-10-25 02:30) is the later
  of the two (02:30 CET) — for ``--at``, ``--from``, ``LEADTIME_NOW`` and ``--now`` alike;
* a week is an ISO week, Monday 00:00 to Monday 00:00 in the report zone;
* leadtime keeps the years 1970 to 9998 (Unix time, and room for a week at the end).

Cheap to import: every command loads it (``zoneinfo`` and ``pendulum`` load on first use).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from leadtime.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------- the years kept

FIRST_YEAR, LAST_YEAR = 1970, 9998
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)  # the earliest start: 1970 in every zone
LATEST = datetime(9998, 12, 31, tzinfo=UTC)  # the latest end
FIRST_MONDAY = date(1970, 1, 5)  # the first whole week leadtime keeps
LAST_MONDAY = date(9998, 12, 27)
RANGE_HINT = f"leadtime covers {FIRST_YEAR} to {LAST_YEAR}"


def in_years(year: int) -> bool:
    """Whether ``year`` is one leadtime keeps."""
    return FIRST_YEAR <= year <= LAST_YEAR


# --------------------------------------------------------------------------- zones

ZONE_HINT = "use an IANA name such as Europe/Berlin, America/New_York or UTC"


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``.

    Raises:
        UsageError: no such zone, with the closest name as a hint ("Berlin" -> Europe/Berlin).
    """
    from zoneinfo import ZoneInfo

    try:
        if not name or name != name.strip() or "\x00" in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        close = closest_zone(name)
        hint = f"did you mean {close}?" if close else ZONE_HINT
        raise UsageError(f"unknown time zone {name!r}", hint=hint) from None


def machine_zone() -> str:
    """The machine's IANA zone name: ``$TZ``, ``/etc/timezone`` or ``/etc/localtime``; else UTC."""
    import os
    from zoneinfo import ZoneInfo

    candidates: list[str] = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            candidates.append(handle.read().strip())
    except (OSError, UnicodeDecodeError):
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            ZoneInfo(name)
        except (ValueError, OSError, KeyError):
            continue
        return name
    return "UTC"


def check_zone_name(name: str) -> str:
    """``name`` when it is a known IANA zone (see :func:`zone`)."""
    zone(name)
    return name


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    from zoneinfo import available_timezones

    return tuple(sorted(available_timezones()))


def closest_zone(name: str) -> str | None:
    """The IANA zone a misspelt or partial name most likely means: ``Berlin``, ``berlin``,
    ``europe/berln`` -> ``Europe/Berlin``; None when nothing is close."""
    wanted = name.strip().replace(" ", "_").lower()
    if not wanted:
        return None
    names = _zone_names()
    by_lower = {n.lower(): n for n in names}
    if wanted in by_lower:
        return by_lower[wanted]
    by_city: dict[str, str] = {}
    for full in names:
        if "/" in full and not full.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(full.rsplit("/", 1)[1].lower(), full)
    if wanted in by_city:
        return by_city[wanted]
    import difflib

    close = difflib.get_close_matches(wanted, [*by_lower, *by_city], n=1, cutoff=0.8)
    if not close:
        return None
    return by_lower.get(close[0]) or by_city[close[0]]


# --------------------------------------------------------------------------- instants


def utc(value: datetime) -> datetime:
    """An aware datetime as UTC (a plain ``datetime`` with ``UTC`` tzinfo)."""
    if value.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, not the naive {value!r}")
    return datetime.fromtimestamp(value.timestamp(), UTC)


def wall_time(day: date, clock: time, tz: str) -> datetime:
    """The UTC instant of a wall time on a day in ``tz``: a time a DST jump skips is moved
    forward by the jump, one that happens twice is the later occurrence."""
    naive = datetime.combine(day, clock)
    local = naive.replace(tzinfo=zone(tz))
    if local.utcoffset() == local.replace(fold=1).utcoffset():
        return utc(local)  # the common case: no clock change at that wall time
    import pendulum  # its rule, for the rare wall time in a gap or a fold

    edge = pendulum.datetime(
        day.year, day.month, day.day, clock.hour, clock.minute, clock.second,
        clock.microsecond, tz=tz,
    )  # fmt: skip
    return utc(edge)


def parse_iso(text: str, tz: str) -> datetime:
    """An ISO 8601 instant as UTC: with an offset (or ``Z``) as written, without one as a
    wall time in ``tz`` (see :func:`wall_time`).

    Raises:
        ValueError: not ISO 8601.
    """
    value = datetime.fromisoformat(text.strip().upper().replace(" ", "T", 1))
    if value.tzinfo is None:
        return wall_time(value.date(), value.time(), tz)
    return utc(value)


def local_date(moment: datetime, tz: str) -> date:
    """The calendar day in ``tz`` at the aware instant ``moment``."""
    if moment.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, not the naive {moment!r}")
    return moment.astimezone(zone(tz)).date()


def local_midnight(day: date, tz: str) -> int:
    """Unix seconds of ``day`` 00:00 local time in ``tz`` (where midnight does not exist,
    a daylight-saving gap at 00:00, the instant the day begins: the end of the gap)."""
    return int(datetime.combine(day, time(), tzinfo=zone(tz)).timestamp())


def format_local(moment: datetime, tz: str) -> str:
    """An aware instant as ``2026-11-20 14:00`` in the time zone ``tz``."""
    if moment.tzinfo is None:
        raise ValueError(f"an aware datetime is needed, not the naive {moment!r}")
    return moment.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------- weeks

WEEK = timedelta(days=7)


def week_of(day: date) -> date:
    """The Monday of the ISO week that contains ``day``."""
    return day - timedelta(days=day.weekday())


def iso_label(monday: date) -> str:
    """The ISO label of the week that contains ``monday``: ``2026-W47``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def iso_monday(year: int, week: int) -> date:
    """Monday of ISO week ``week`` of ``year``.

    Raises:
        ValueError: the year has no such week (the message says which weeks it has).
    """
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        if 1 <= year <= 9999:
            # 28 December always lies in the last ISO week of its year.
            raise ValueError(
                f"{year} has weeks 1 to {date(year, 12, 28).isocalendar().week}"
            ) from None
        raise ValueError("the year is out of range") from None
