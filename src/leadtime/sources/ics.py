"""Read an iCalendar (.ics) file into entries: parsing and recurrence expansion.

This is the only module that imports ``icalendar``, ``recurring_ical_events`` and
``x_wr_timezone``. It knows nothing about the database or the command line: it turns
bytes into :class:`~leadtime.entry.Entry` values plus a list of problems.

Decisions a user can notice:

* Every instance that overlaps the window is returned, including those that do not
  count (cancelled, declined, free time, all-day); those carry ``Entry.excluded``.
* Floating times, and times whose TZID is unknown, are read in the configured zone.
* A timed event without DTEND and DURATION lasts zero minutes (RFC 5545). An event
  whose DTEND is before its DTSTART, or whose DURATION is negative, is kept as a
  zero-length event at DTSTART and reported.
* A series whose RRULE cannot be read keeps its first instance (plus RDATEs and
  overrides) and is reported.
* A rule that would produce more than ``max_instances_per_event`` instances is cut off
  there and reported; expansion is done in growing time slices so that even an endless
  ``FREQ=SECONDLY`` rule costs only as much as the cap.
* Two components with the same UID and RECURRENCE-ID: the one with the highest
  SEQUENCE wins, then the newest LAST-MODIFIED (or DTSTAMP), then the last in the file.
* An event without UID gets a stable one derived from DTSTART, SUMMARY and DTEND
  (``leadtime-<hash>``), so that importing the file again updates the same entries.
"""

from __future__ import annotations

import codecs
import hashlib
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadtime.entry import Entry, Exclusion, Origin
from leadtime.errors import InputError

__all__ = [
    "ImportProblem",
    "ParsedCalendar",
    "decode_calendar_bytes",
    "parse_calendar",
]

SYNTHETIC_UID_PREFIX = "leadtime-"
NO_TITLE = "(no title)"

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
# Properties whose problems are reported with their consequence by _sanitize.
_CHECKED = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something in a calendar file that could not be read as written."""

    file: str
    uid: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.uid}" if self.uid else self.file
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    """The result of reading one calendar file."""

    name: str | None  # X-WR-CALNAME if present
    entries: tuple[Entry, ...]  # every instance that overlaps the window, counted or excluded
    events_read: int  # VEVENT components in the file
    problems: tuple[ImportProblem, ...]


# --------------------------------------------------------------------------- decoding


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if data.count(0) * 3 > len(data):  # UTF-16 without a byte order mark
        encoding = "utf-16-be" if data[:1] == b"\x00" else "utf-16-le"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode(data: bytes) -> tuple[str, bool]:
    """Decoded, normalised text, and whether NUL characters had to be removed."""
    text = _decode_text(data)
    had_nul = "\x00" in text
    if had_nul:
        text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\r\n"), had_nul


def decode_calendar_bytes(data: bytes) -> str:
    """Decode the raw bytes of a calendar file into text that icalendar can parse.

    A byte order mark (UTF-8, UTF-16, UTF-32) decides the encoding; otherwise UTF-8 is
    tried, then Windows-1252 / Latin-1. NUL characters are removed, and CR-only or mixed
    line endings become CRLF.
    """
    return _decode(data)[0]


def _has_calendar(text: str) -> bool:
    return "BEGIN:VCALENDAR" in text[:65_536].upper()


# --------------------------------------------------------------------------- time helpers


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown time zone {name!r}", hint="use an IANA name") from exc


def _instant(value: date, zone: tzinfo) -> datetime:
    """The UTC instant of a date (local midnight), floating or aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        elif value.tzinfo is UTC:
            return value
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(UTC)


def _rid_text(value: date, zone: tzinfo) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    return _instant(value, zone).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


# --------------------------------------------------------------------------- component data


@dataclass(slots=True)
class _Info:
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


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _address(value: object) -> str:
    text = str(value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().lower()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tags(component: Any) -> tuple[str, ...]:
    tags: list[str] = []
    for prop in _as_list(component.get("CATEGORIES")):
        cats = getattr(prop, "cats", None)
        values = cats if cats is not None else str(prop).split(",")
        for cat in values:
            text = str(cat).strip()
            if text and text not in tags:
                tags.append(text)
    return tuple(tags)


def _info(component: Any, me: frozenset[str]) -> _Info:
    attendees = _as_list(component.get("ATTENDEE"))
    declined = False
    if me:
        for attendee in attendees:
            params = getattr(attendee, "params", {})
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED" and _address(attendee) in me:
                declined = True
                break
    organizer = component.get("ORGANIZER")
    status = component.get("STATUS")
    start = component.get("DTSTART")
    return _Info(
        title=_text(component, "SUMMARY") or NO_TITLE,
        note=_text(component, "DESCRIPTION"),
        location=_text(component, "LOCATION"),
        tags=_tags(component),
        organizer=_address(organizer) or None if organizer is not None else None,
        attendees=len(attendees),
        status=str(status).strip().upper() if status is not None else None,
        transparent=_text(component, "TRANSP").upper() == "TRANSPARENT",
        declined=declined,
        all_day=start is not None and _is_date(start.dt),
    )


def _exclusion(info: _Info, series_cancelled: bool) -> Exclusion | None:
    if info.status == "CANCELLED" or (series_cancelled and info.status is None):
        return Exclusion.CANCELLED
    if info.declined:
        return Exclusion.DECLINED
    if info.transparent:
        return Exclusion.TRANSPARENT
    if info.all_day:
        return Exclusion.ALL_DAY
    return None


# --------------------------------------------------------------------------- problems


@dataclass(slots=True)
class _Report:
    label: str
    problems: list[ImportProblem] = field(default_factory=list)

    def add(self, uid: str | None, reason: str) -> None:
        self.problems.append(ImportProblem(self.label, uid, reason))


def _uid_of(component: Any) -> str | None:
    uid = component.get("UID")
    text = str(uid).strip() if uid is not None else ""
    return text or None


# --------------------------------------------------------------------------- sanitising


def _broken(value: Any) -> bool:
    from icalendar.prop import vBroken

    return any(isinstance(item, vBroken) for item in _as_list(value))


def _sanitize(
    component: Any, zone: tzinfo, tz_name: str, report: _Report, seen_tzids: set[str]
) -> bool:
    """Repair what can be repaired in one VEVENT in place; False when it must be skipped."""
    uid = _uid_of(component)
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
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = component.get(name)
        if prop is None or isinstance(prop, list):
            continue
        tzid = prop.params.get("TZID")
        value = prop.dt
        if tzid and isinstance(value, datetime) and value.tzinfo is None and tzid not in seen_tzids:
            seen_tzids.add(tzid)
            report.add(uid, f"unknown time zone {str(tzid)!r}, using {tz_name}")
    end_prop = component.get("DTEND")
    if end_prop is not None:
        end = end_prop.dt if not isinstance(end_prop, list) else None
        if not isinstance(end, date):
            del component["DTEND"]
            report.add(uid, "unreadable DTEND; the event lasts zero minutes")
        elif _instant(end, zone) < _instant(start, zone):
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
    return True


def _synthetic_uid(component: Any) -> str:
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


def _number(value: Any, default: int = -1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _stamp(component: Any, zone: tzinfo) -> datetime:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        prop = component.get(name)
        try:
            if prop is not None and isinstance(prop.dt, date):
                return _instant(prop.dt, zone)
        except Exception:  # an unreadable stamp just does not rank
            continue
    return datetime.min.replace(tzinfo=UTC)


def _dedupe(
    components: list[tuple[int, Any]], zone: tzinfo, uid: str, report: _Report
) -> list[Any]:
    """Keep one component per RECURRENCE-ID (None for the master)."""
    groups: dict[object, list[tuple[int, Any]]] = {}
    for index, component in components:
        rid = component.get("RECURRENCE-ID")
        key: object = None if rid is None else _instant(rid.dt, zone)
        groups.setdefault(key, []).append((index, component))
    kept: list[Any] = []
    for rid_key, group in groups.items():
        if len(group) == 1:
            kept.append(group[0][1])
            continue
        best = max(
            group,
            key=lambda item: (
                _number(item[1].get("SEQUENCE")),
                _stamp(item[1], zone),
                item[0],
            ),
        )
        what = (
            "event" if not isinstance(rid_key, datetime) else f"instance {_rid_text(rid_key, zone)}"
        )
        report.add(
            uid,
            f"{len(group)} copies of the same {what}; kept SEQUENCE "
            f"{max(_number(best[1].get('SEQUENCE')), 0)}, the last modified",
        )
        kept.append(best[1])
    return kept


# --------------------------------------------------------------------------- expansion


def _rule_unit(rule: Any) -> float:
    """The shortest possible gap, in seconds, between two instances of one RRULE."""
    freq = str(_first(rule.get("FREQ")) or "").upper()
    interval = max(_number(_first(rule.get("INTERVAL")), 1), 1)
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
    until = _first(rule.get("UNTIL"))
    if isinstance(until, date):
        end = min(end, _instant(until, zone))
    units = max((end - start).total_seconds(), 0.0) / unit + 1
    count = _number(_first(rule.get("COUNT")), 0)
    return min(units, count) if count > 0 else units


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _estimate(master: Any, moment: datetime, zone: tzinfo) -> float:
    """Upper bound on the instances a master produces from DTSTART up to ``moment``."""
    start = _instant(master["DTSTART"].dt, zone)
    return sum(
        _rule_units(rule, start, moment, zone) for rule in _as_list(master.get("RRULE"))
    ) + len(_as_list(master.get("RDATE")))


def _make_series_class() -> type:
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
class _Expander:
    label: str
    calendar: str
    me: frozenset[str]
    zone: tzinfo
    tz_name: str
    window_start: datetime
    window_end: datetime
    cap: int
    report: _Report
    entries: list[Entry] = field(default_factory=list)
    infos: dict[int, _Info] = field(default_factory=dict)

    def info(self, component: Any) -> _Info:
        key = id(component)
        cached = self.infos.get(key)
        if cached is None:
            cached = self.infos[key] = _info(component, self.me)
        return cached

    def expand(self, series: Any, uid: str, master: Any | None) -> None:
        """Turn one series into entries, capped and windowed."""
        recurring = master is not None and ("RRULE" in master or "RDATE" in master)
        one_off = master is not None and not recurring and not series.modifications
        cancelled = master is not None and self.info(master).status == "CANCELLED"
        seen: set[str | None] = set()
        produced = 0
        capped = False
        for occurrence in self._occurrences(series, uid, master):
            entry = self._entry(occurrence, uid, one_off, cancelled)
            if entry is None or entry.recurrence_id in seen:
                continue
            seen.add(entry.recurrence_id)
            produced += 1
            if produced > self.cap:
                capped = True
                break
            if self._overlaps(entry):
                self.entries.append(entry)
        if capped:
            self.report.add(
                uid,
                f"the recurrence produces more than {self.cap} instances; "
                f"only the first {self.cap} were read",
            )

    def _overlaps(self, entry: Entry) -> bool:
        if entry.start == entry.end:
            return self.window_start <= entry.start < self.window_end
        return entry.start < self.window_end and entry.end > self.window_start

    def _occurrences(self, series: Any, uid: str, master: Any | None) -> Iterator[Any]:
        query_start = self.window_start - _SLACK
        query_end = self.window_end + _SLACK
        if master is None or "RRULE" not in master:
            yield from series.between(query_start, query_end)
            return
        if _estimate(master, query_end, self.zone) <= self.cap:
            yield from series.between(query_start, query_end)
            return
        # Dense or long series: walk forward in slices so that the cap bounds the work.
        first = _instant(master["DTSTART"].dt, self.zone) - _SLACK
        if _estimate(master, query_start, self.zone) > _PRE_WINDOW_BUDGET:
            cursor = first  # the rule would iterate too long before the window: count from DTSTART
        else:
            cursor = max(first, query_start)
        unit = timedelta(seconds=min(_rule_unit(rule) for rule in _as_list(master["RRULE"])))
        longest = max(unit * _SLICE_TARGET * 4, timedelta(seconds=1))
        step = max(unit * _SLICE_TARGET, timedelta(seconds=1))
        while cursor < query_end:
            stop = min(cursor + step, query_end)
            found = sorted(series.between(cursor, stop), key=self._order)
            yield from found
            cursor = stop
            # aim at about _SLICE_TARGET instances per slice: few calls, bounded memory
            factor = min(max(_SLICE_TARGET / max(len(found), 1), 0.5), 16.0)
            step = min(max(step * factor, timedelta(seconds=1)), longest)

    def _order(self, occurrence: Any) -> datetime:
        return _instant(occurrence.start, self.zone)

    def _entry(self, occurrence: Any, uid: str, one_off: bool, cancelled: bool) -> Entry | None:
        adapter = occurrence.adapter
        component = adapter._component  # the VEVENT this instance comes from
        info = self.info(component)
        zone = self.zone
        start = _instant(occurrence.start, zone)
        end = _instant(occurrence.end, zone)
        if end < start:
            end = start
        if one_off:
            rid: str | None = None
        elif occurrence.derived:
            original = occurrence.start
            shift = adapter.move_recurrences_by
            if shift:
                original = original - shift
            rid = _rid_text(original, zone)
        else:
            rid_prop = component.get("RECURRENCE-ID")
            rid = _rid_text(rid_prop.dt if rid_prop is not None else occurrence.start, zone)
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
            excluded=_exclusion(info, cancelled),
        )


# --------------------------------------------------------------------------- entry point


def _from_ical(text: str) -> list[Any]:
    import icalendar

    return [
        item
        for item in icalendar.Calendar.from_ical(text, multiple=True)
        if getattr(item, "name", "") == "VCALENDAR"
    ]


def _parse_ical(text: str, report: _Report) -> list[Any]:
    upper = text.upper()
    if upper.count("BEGIN:VEVENT") != upper.count("END:VEVENT"):
        return _checked(_salvage(text, report, "BEGIN:VEVENT and END:VEVENT do not match"), report)
    try:
        calendars = _from_ical(text)
    except Exception as exc:
        calendars = _salvage(text, report, f"the file is damaged ({exc})")
    if not calendars:
        calendars = _salvage(text, report, "the calendar is not closed (no END:VCALENDAR)")
    return _checked(calendars, report)


def _checked(calendars: list[Any], report: _Report) -> list[Any]:
    if not calendars:
        raise InputError(
            f"{report.label}: not a calendar (no BEGIN:VCALENDAR)",
            hint="check that the file is an iCalendar (.ics) export",
        )
    if len(calendars) > 1:
        report.add(None, f"{len(calendars)} calendars in one file; all are read")
    return calendars


@dataclass(slots=True)
class _Block:
    """The lines of one top-level component (VEVENT, VTIMEZONE, ...) of a broken file."""

    name: str
    lines: list[str]

    @property
    def uid(self) -> str | None:
        for line in self.lines:
            if line[:4].upper() == "UID:" or line[:4].upper() == "UID;":
                return line.split(":", 1)[-1].strip() or None
        return None


def _split_blocks(text: str, report: _Report) -> tuple[list[str], list[_Block]]:
    """Split a calendar into header lines and top-level blocks, closing unended ones."""
    header: list[str] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    depth = 0  # nesting inside the current block
    skipping = 0  # inside a VALARM, which leadtime does not need
    for line in text.split("\r\n"):
        upper = line.upper().rstrip()
        if upper.startswith("BEGIN:"):
            name = upper[6:].strip()
            if name == "VCALENDAR":
                continue
            if name == "VALARM" or skipping:
                skipping += 1
                continue
            if current is not None and depth == 1 and name == current.name:
                report.add(current.uid, f"missing END:{current.name}; closed at the next one")
                current.lines.append(f"END:{current.name}")
                blocks.append(current)
                current = None
            if current is None:
                current = _Block(name, [line])
                depth = 1
                continue
            depth += 1
        elif upper.startswith("END:"):
            name = upper[4:].strip()
            if skipping:
                skipping -= 1
                continue
            if name == "VCALENDAR":
                if current is not None:
                    report.add(current.uid, f"missing END:{current.name}; closed at the end")
                    current.lines.append(f"END:{current.name}")
                    blocks.append(current)
                    current = None
                continue
            if current is not None:
                depth -= 1
                current.lines.append(line)
                if depth == 0:
                    blocks.append(current)
                    current = None
                continue
        if skipping:
            continue
        if current is None:
            if line.strip():
                header.append(line)
        else:
            current.lines.append(line)
    if current is not None:
        report.add(current.uid, f"missing END:{current.name}; closed at the end")
        current.lines.append(f"END:{current.name}")
        blocks.append(current)
    return header, blocks


def _calendar_text(header: list[str], blocks: Iterable[_Block]) -> str:
    lines = ["BEGIN:VCALENDAR", *header]
    for block in blocks:
        lines.extend(block.lines)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _good_blocks(
    header: list[str], fixed: list[_Block], blocks: list[_Block], report: _Report
) -> list[_Block]:
    """The blocks that parse, found by bisection (few parses when few blocks are bad)."""
    if not blocks:
        return []
    try:
        _from_ical(_calendar_text(header, [*fixed, *blocks]))
        return blocks
    except Exception as exc:
        if len(blocks) == 1:
            block = blocks[0]
            report.add(block.uid, f"cannot read this {block.name} ({exc}); skipped")
            return []
    middle = len(blocks) // 2
    return _good_blocks(header, fixed, blocks[:middle], report) + _good_blocks(
        header, fixed, blocks[middle:], report
    )


def _salvage(text: str, report: _Report, reason: str) -> list[Any]:
    """Read what can be read from a calendar that icalendar rejects as a whole."""
    report.add(None, f"{reason}; reading it part by part")
    header, blocks = _split_blocks(text, report)
    good_header: list[str] = []
    for line in header:
        try:
            _from_ical(_calendar_text([*good_header, line], []))
            good_header.append(line)
        except Exception as exc:
            if not line.startswith((" ", "\t")):
                report.add(None, f"cannot read the line {line[:60]!r} ({exc}); skipped")
    zones = _good_blocks(good_header, [], [b for b in blocks if b.name == "VTIMEZONE"], report)
    others = _good_blocks(good_header, zones, [b for b in blocks if b.name != "VTIMEZONE"], report)
    try:
        return _from_ical(_calendar_text(good_header, [*zones, *others]))
    except Exception as exc:
        raise InputError(
            f"{report.label}: not a readable calendar ({exc})",
            hint="check that the file is an iCalendar (.ics) export",
        ) from exc


def _standardise(calendar: Any, report: _Report, uids: dict[str | None, int]) -> Any:
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
    try:
        zone = ZoneInfo(str(calendar["X-WR-TIMEZONE"]))
        walker = x_wr_timezone.UTCChangingWalker(zone)
        subcomponents = [
            walker.walk_event(component)
            if isinstance(component, Event) and _zone_matters(component, uids)
            else component
            for component in calendar.subcomponents
        ]
        return walker.copy_if_changed(calendar, {}, subcomponents)
    except Exception as exc:
        report.add(None, f"cannot use X-WR-TIMEZONE {str(calendar['X-WR-TIMEZONE'])!r} ({exc})")
        return calendar


# The properties x_wr_timezone converts, and those that make a UTC time's zone matter:
# a recurrence is expanded in local time, and a DURATION is added in local time.
_ZONED = ("DTSTART", "DTEND", "RDATE", "RECURRENCE-ID", "EXDATE")
_LOCAL_ARITHMETIC = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "DURATION")


def _zone_matters(event: Any, uids: dict[str | None, int]) -> bool:
    """Whether X-WR-TIMEZONE can change what ``event`` means (see :func:`_standardise`)."""
    utc = False
    for name in _ZONED:
        for moment in _moments(event.get(name)):
            if not isinstance(moment, datetime):
                continue
            zone_name = moment.tzname()
            if zone_name is None:
                return True  # floating: X-WR-TIMEZONE decides the instant
            if zone_name.upper() == "UTC":
                utc = True
    if not utc:
        return False
    uid = _uid_of(event)
    return uid is None or uids.get(uid, 0) != 1 or any(name in event for name in _LOCAL_ARITHMETIC)


def _moments(value: Any) -> Iterator[Any]:
    """The date and time values of a property, however icalendar holds them."""
    for item in _as_list(value):
        if hasattr(item, "dts"):  # RDATE, EXDATE: a list of values
            for part in item.dts:
                yield getattr(part, "dt", part)
        else:
            yield getattr(item, "dt", item)


def _build_series(
    series_class: type, components: list[Any], uid: str, report: _Report
) -> Any | None:
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


def parse_calendar(
    data: bytes,
    *,
    label: str,
    calendar: str,
    me: Sequence[str],
    tz: str,
    window_start: datetime,
    window_end: datetime,
    max_instances_per_event: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedCalendar:
    """Parse an .ics file and expand every event into instances within a window.

    ``label`` names the file in problems, ``calendar`` is stored on each entry, ``me``
    are the user's addresses (for declined invitations), ``tz`` the zone for floating
    times and unknown TZIDs. The window ``[window_start, window_end)`` is in aware UTC;
    open-ended series are expanded up to ``window_end``. ``progress(done, total)`` is
    called once per series. Raises :class:`InputError` only when the data is not a
    calendar at all; everything else becomes an :class:`ImportProblem`.
    """
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("window bounds must be aware datetimes")
    zone = _zone(tz)
    report = _Report(label)
    if not data.strip(b" \t\r\n\x00"):
        raise InputError(f"{label}: empty file, not a calendar")
    text, had_nul = _decode(data)
    if had_nul:
        report.add(None, "the file contains NUL bytes; they were removed")
    if not _has_calendar(text):
        raise InputError(
            f"{label}: not a calendar (no BEGIN:VCALENDAR)",
            hint="check that the file is an iCalendar (.ics) export",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendars = _parse_ical(text, report)
        return _read(
            calendars,
            report=report,
            calendar=calendar,
            me=frozenset(_address(m) for m in me if m.strip()),
            zone=zone,
            tz_name=tz,
            window_start=window_start.astimezone(UTC),
            window_end=window_end.astimezone(UTC),
            cap=max_instances_per_event,
            progress=progress,
        )


def _read(
    calendars: Iterable[Any],
    *,
    report: _Report,
    calendar: str,
    me: frozenset[str],
    zone: tzinfo,
    tz_name: str,
    window_start: datetime,
    window_end: datetime,
    cap: int,
    progress: Callable[[int, int], None] | None,
) -> ParsedCalendar:
    name: str | None = None
    events_read = 0
    by_uid: dict[str, list[tuple[int, Any]]] = {}
    seen_tzids: set[str] = set()
    index = 0
    calendars = list(calendars)
    uids: dict[str | None, int] = {}
    for cal in calendars:
        for component in cal.walk("VEVENT"):
            uid = _uid_of(component)
            uids[uid] = uids.get(uid, 0) + 1
    for cal in calendars:
        if name is None and cal.get("X-WR-CALNAME") is not None:
            name = str(cal.get("X-WR-CALNAME")).strip() or None
        if str(cal.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
            report.add(None, f"CALSCALE {cal.get('CALSCALE')} is read as GREGORIAN")
            del cal["CALSCALE"]
        cal = _standardise(cal, report, uids)
        for component in cal.walk("VEVENT"):
            events_read += 1
            index += 1
            try:
                if not _sanitize(component, zone, tz_name, report, seen_tzids):
                    continue
                uid = _uid_of(component)
                if uid is None:
                    uid = _synthetic_uid(component)
                    component["UID"] = uid
                    report.add(uid, "event has no UID; using a stable generated one")
                by_uid.setdefault(uid, []).append((index, component))
            except Exception as exc:
                report.add(_uid_of(component), f"cannot read the event ({exc}); skipped")

    series_class = _make_series_class()
    expander = _Expander(
        label=report.label,
        calendar=calendar,
        me=me,
        zone=zone,
        tz_name=tz_name,
        window_start=window_start,
        window_end=window_end,
        cap=cap,
        report=report,
    )
    total = len(by_uid)
    for done, (uid, components) in enumerate(by_uid.items(), start=1):
        try:
            kept = _dedupe(components, zone, uid, report)
            series = _build_series(series_class, kept, uid, report)
            if series is not None:
                master = next((c for c in kept if "RECURRENCE-ID" not in c), None)
                before = len(expander.entries)
                try:
                    expander.expand(series, uid, master)
                except Exception as exc:
                    del expander.entries[before:]
                    report.add(uid, f"cannot expand the event ({exc}); skipped")
        except Exception as exc:
            report.add(uid, f"cannot read the event ({exc}); skipped")
        if progress is not None:
            progress(done, total)

    entries = sorted(expander.entries, key=lambda e: (e.start, e.uid or "", e.recurrence_id or ""))
    return ParsedCalendar(
        name=name,
        entries=tuple(entries),
        events_read=events_read,
        problems=tuple(report.problems),
    )
