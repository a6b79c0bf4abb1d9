"""Reading what can be read from a calendar that icalendar rejects as a whole.

A file whose BEGIN/END lines do not match, or that icalendar cannot parse, is split into
its top-level blocks (VTIMEZONE, VEVENT, ...); the blocks that parse are found by
bisection, so a file with a few bad blocks costs only a few extra parses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from leadtime.errors import InputError
from leadtime.sources.ics.problems import Report
from leadtime.sources.ics.values import WrittenDuration


def from_ical(text: str) -> list[Any]:
    return [
        item
        for item in _calendar_class().from_ical(text, multiple=True)
        if getattr(item, "name", "") == "VCALENDAR"
    ]


@cache
def _calendar_class() -> Any:
    """icalendar's Calendar, reading DURATION values as :class:`WrittenDuration`."""
    import icalendar
    from icalendar.prop import TypesFactory, vDuration

    class Duration(vDuration):
        @staticmethod
        def from_ical(ical: str) -> timedelta:
            return WrittenDuration.of(vDuration.from_ical(ical), ical)  # type: ignore[no-untyped-call]

    types = TypesFactory()
    types["duration"] = Duration

    class Calendar(icalendar.Calendar):
        types_factory = types

    return Calendar


def parse_ical(text: str, report: Report) -> list[Any]:
    upper = text.upper()
    if upper.count("BEGIN:VEVENT") != upper.count("END:VEVENT"):
        return _checked(_salvage(text, report, "BEGIN:VEVENT and END:VEVENT do not match"), report)
    try:
        calendars = from_ical(text)
    except Exception as exc:
        calendars = _salvage(text, report, f"the file is damaged ({exc})")
    if not calendars:
        calendars = _salvage(text, report, "the calendar is not closed (no END:VCALENDAR)")
    return _checked(calendars, report)


def _checked(calendars: list[Any], report: Report) -> list[Any]:
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


def _split_blocks(text: str, report: Report) -> tuple[list[str], list[_Block]]:
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
    header: list[str], fixed: list[_Block], blocks: list[_Block], report: Report
) -> list[_Block]:
    """The blocks that parse, found by bisection (few parses when few blocks are bad)."""
    if not blocks:
        return []
    try:
        from_ical(_calendar_text(header, [*fixed, *blocks]))
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


def _salvage(text: str, report: Report, reason: str) -> list[Any]:
    """Read what can be read from a calendar that icalendar rejects as a whole."""
    report.add(None, f"{reason}; reading it part by part")
    header, blocks = _split_blocks(text, report)
    good_header: list[str] = []
    for line in header:
        try:
            from_ical(_calendar_text([*good_header, line], []))
            good_header.append(line)
        except Exception as exc:
            if not line.startswith((" ", "\t")):
                report.add(None, f"cannot read the line {line[:60]!r} ({exc}); skipped")
    zones = _good_blocks(good_header, [], [b for b in blocks if b.name == "VTIMEZONE"], report)
    others = _good_blocks(good_header, zones, [b for b in blocks if b.name != "VTIMEZONE"], report)
    try:
        return from_ical(_calendar_text(good_header, [*zones, *others]))
    except Exception as exc:
        raise InputError(
            f"{report.label}: not a readable calendar ({exc})",
            hint="check that the file is an iCalendar (.ics) export",
        ) from exc
