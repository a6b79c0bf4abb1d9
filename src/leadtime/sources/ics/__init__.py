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
  there and reported; instances are produced one at a time, so that even an endless
  ``FREQ=SECONDLY`` rule costs only as much as the cap.
* A rule examines at most ``max_candidates_per_event`` candidate times from its DTSTART
  (seconds of a ``FREQ=SECONDLY`` rule, minutes, hours, days for ``FREQ=DAILY`` and
  coarser, divided by its INTERVAL; see :mod:`~leadtime.sources.ics.walk`): a rule that
  would need more to reach the end of the window is read up to there and reported, and
  a rule that never matches again stops at the end of the window, not in the year 9999.
* A whole file may produce at most ``max_instances_per_file`` instances and examine at
  most ``max_candidates_per_file`` candidates (by default 2,000,000 plus 4,000,000 per
  MB); recurring events past either limit are named in a problem and not expanded,
  one-off events are still read. Every bound is a count: the same file imports the same
  instances on a fast and on a loaded machine.
* A time zone the file defines itself (a VTIMEZONE whose TZID is not an IANA name, as
  Outlook's ``W. Europe Standard Time``) is read by its own rules, each file by its own
  definition; its onsets are read once, each rule examining at most
  ``max_candidates_per_event`` candidates and all of a file's zone rules at most
  ``max_candidates_per_file`` (see :mod:`~leadtime.sources.ics.zones`).
* Two components with the same UID and RECURRENCE-ID: the one with the highest
  SEQUENCE wins, then the newest LAST-MODIFIED (or DTSTAMP), then the last in the file.
* An event without UID gets a stable one derived from DTSTART, SUMMARY and DTEND
  (``leadtime-<hash>``), so that importing the file again updates the same entries.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from leadtime.entry import Entry
from leadtime.errors import InputError
from leadtime.sources.ics.clean import check, clean, dedupe, standardise, synthetic_uid
from leadtime.sources.ics.decode import decode, decode_calendar_bytes, has_calendar
from leadtime.sources.ics.describe import People
from leadtime.sources.ics.expand import Budget, Expander, build_series
from leadtime.sources.ics.problems import ImportProblem, Report
from leadtime.sources.ics.salvage import parse_ical
from leadtime.sources.ics.values import address, uid_of, zone_named
from leadtime.sources.ics.walk import Limits, make_series_class
from leadtime.sources.ics.zones import ZoneLimits, own_zones

__all__ = [
    "ImportProblem",
    "ParsedCalendar",
    "decode_calendar_bytes",
    "parse_calendar",
]

# Candidate times a file's rules may examine: a fixed part and a part per byte of the file.
_CANDIDATES_PER_FILE = 250_000
_CANDIDATES_PER_BYTE = 1


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    """The result of reading one calendar file."""

    name: str | None  # X-WR-CALNAME if present
    entries: tuple[Entry, ...]  # every instance that overlaps the window, counted or excluded
    events_read: int  # VEVENT components in the file
    problems: tuple[ImportProblem, ...]
    # some event carries an ATTENDEE with PARTSTAT: declined meetings can be told apart
    attendance: bool = False
    # X-WR-CALNAME when it is an e-mail address, else the most frequent attendee or
    # organizer address: a guess at ``me`` to suggest when it is not configured
    likely_me: str | None = None


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
    max_instances_per_file: int = 100_000,
    max_candidates_per_event: int = 100_000,
    max_candidates_per_file: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedCalendar:
    """Parse an .ics file and expand every event into instances within a window.

    ``label`` names the file in problems, ``calendar`` is stored on each entry, ``me``
    are the user's addresses (for declined invitations), ``tz`` the zone for floating
    times and unknown TZIDs. The window ``[window_start, window_end)`` is in aware UTC;
    open-ended series are expanded up to ``window_end``. ``progress(done, total)`` is
    called once per series. ``max_instances_per_file`` and ``max_candidates_per_file``
    bound what the whole file may cost; recurring events past them are reported and not
    expanded. Raises :class:`InputError` only when the data is
    not a calendar at all; everything else becomes an :class:`ImportProblem`.
    """
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("window bounds must be aware datetimes")
    if max_candidates_per_file is None:
        max_candidates_per_file = _CANDIDATES_PER_FILE + _CANDIDATES_PER_BYTE * len(data)
    budget = Budget(instances=max_instances_per_file, candidates=max_candidates_per_file)
    zone = zone_named(tz)
    report = Report(label)
    if not data.strip(b" \t\r\n\x00"):
        raise InputError(f"{label}: empty file, not a calendar")
    text, had_nul = decode(data)
    if had_nul:
        report.add(None, "the file contains NUL bytes; they were removed")
    if not has_calendar(text):
        raise InputError(
            f"{label}: not a calendar (no BEGIN:VCALENDAR)",
            hint="check that the file is an iCalendar (.ics) export",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendars = parse_ical(text, report)
        return _read(
            calendars,
            report=report,
            calendar=calendar,
            me=frozenset(address(m) for m in me if m.strip()),
            zone=zone,
            tz_name=tz,
            window_start=window_start.astimezone(UTC),
            window_end=window_end.astimezone(UTC),
            cap=max_instances_per_event,
            candidates=max_candidates_per_event,
            budget=budget,
            zone_limits=ZoneLimits(max_candidates_per_event, max_candidates_per_file),
            progress=progress,
        )


def _clean(calendar: Any, report: Report) -> int:
    """Clean every VEVENT of a calendar, drop those that cannot be read; how many there were."""
    events = 0
    skipped: set[int] = set()
    for component in calendar.walk("VEVENT"):
        events += 1
        try:
            if not clean(component, report):
                skipped.add(id(component))
        except Exception as exc:
            report.add(uid_of(component), f"cannot read the event ({exc}); skipped")
            skipped.add(id(component))
    if skipped:
        _drop(calendar, skipped)
    return events


def _drop(component: Any, ids: set[int]) -> None:
    component.subcomponents = [c for c in component.subcomponents if id(c) not in ids]
    for sub in component.subcomponents:
        _drop(sub, ids)


def _read(
    calendars: Iterable[Any],
    *,
    report: Report,
    calendar: str,
    me: frozenset[str],
    zone: tzinfo,
    tz_name: str,
    window_start: datetime,
    window_end: datetime,
    cap: int,
    candidates: int,
    budget: Budget,
    zone_limits: ZoneLimits,
    progress: Callable[[int, int], None] | None,
) -> ParsedCalendar:
    name: str | None = None
    events_read = 0
    by_uid: dict[str, list[tuple[int, Any]]] = {}
    seen_tzids: set[str] = set()
    people = People()
    index = 0
    calendars = list(calendars)
    uids: dict[str | None, int] = {}
    for cal in calendars:
        for component in cal.walk("VEVENT"):
            uid = uid_of(component)
            uids[uid] = uids.get(uid, 0) + 1
    for cal in calendars:
        if name is None and cal.get("X-WR-CALNAME") is not None:
            name = str(cal.get("X-WR-CALNAME")).strip() or None
        if str(cal.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
            report.add(None, f"CALSCALE {cal.get('CALSCALE')} is read as GREGORIAN")
            del cal["CALSCALE"]
        own_zones(cal, report, window_end=window_end, limits=zone_limits)
        events_read += _clean(cal, report)
        cal = standardise(cal, report, uids)
        for component in cal.walk("VEVENT"):
            index += 1
            try:
                check(component, zone, tz_name, report, seen_tzids)
                people.add(component)
                uid = uid_of(component)
                if uid is None:
                    uid = synthetic_uid(component)
                    component["UID"] = uid
                    report.add(uid, "event has no UID; using a stable generated one")
                by_uid.setdefault(uid, []).append((index, component))
            except Exception as exc:
                report.add(uid_of(component), f"cannot read the event ({exc}); skipped")

    limits = Limits()
    series_class = make_series_class(limits)
    expander = Expander(
        label=report.label,
        calendar=calendar,
        me=me,
        zone=zone,
        tz_name=tz_name,
        window_start=window_start,
        window_end=window_end,
        cap=cap,
        candidates=candidates,
        limits=limits,
        report=report,
        budget=budget,
    )
    total = len(by_uid)
    for done, (uid, components) in enumerate(by_uid.items(), start=1):
        try:
            kept = dedupe(components, zone, uid, report)
            series = build_series(series_class, kept, uid, report)
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
    expander.finish()

    entries = sorted(expander.entries, key=lambda e: (e.start, e.uid or "", e.recurrence_id or ""))
    return ParsedCalendar(
        name=name,
        entries=tuple(entries),
        events_read=events_read,
        problems=tuple(report.problems),
        attendance=people.attendance,
        likely_me=people.likely_me(name),
    )
