"""Calendar object resources: what the server holds, and joining them into one calendar.

A CalDAV calendar is a collection of objects, each one VCALENDAR holding one event and its
overrides. :func:`join_objects` makes one VCALENDAR of many, so that
:func:`leadtime.sources.ics.parse_calendar` reads a whole calendar in one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Objects", "RemoteObject", "join_objects"]

# What the caller stores between syncs: href -> (ETag, raw iCalendar bytes).
Objects = Mapping[str, tuple[str | None, bytes]]


@dataclass(frozen=True)
class RemoteObject:
    """One calendar object resource: one VCALENDAR holding one event and its overrides."""

    href: str  # the server's path for it, e.g. /jane/work/abc.ics
    etag: str | None
    data: bytes


def join_objects(objects: Iterable[bytes]) -> bytes:
    """One VCALENDAR from many calendar objects, for one ``parse_calendar`` call.

    The calendar properties (VERSION, PRODID, X-WR-TIMEZONE, ...) are taken from the first
    object that has each; components are kept in order, and a VTIMEZONE shared by several
    objects is kept once (by TZID).
    """
    header: dict[str, list[str]] = {}
    zones: dict[str, list[str]] = {}
    components: list[list[str]] = []
    for data in objects:
        _split_object(data, header, zones, components)
    lines = ["BEGIN:VCALENDAR"]
    for prop in header.values():
        lines.extend(prop)
    for zone in zones.values():
        lines.extend(zone)
    for component in components:
        lines.extend(component)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _split_object(
    data: bytes,
    header: dict[str, list[str]],
    zones: dict[str, list[str]],
    components: list[list[str]],
) -> None:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    depth = 0
    current: list[str] | None = None  # the component or calendar property being collected
    tzid: str | None = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            continue
        upper = line.upper()
        if line[0] in " \t":  # a folded continuation of the previous line
            if current is not None:
                current.append(line)
            continue
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 1:
                continue
            if depth == 2:
                current = [line]
                tzid = None
                continue
        elif upper.startswith("END:"):
            depth -= 1
            if depth == 1 and current is not None:
                current.append(line)
                if upper == "END:VTIMEZONE":
                    zones.setdefault(tzid or f"#{len(zones)}", current)
                else:
                    components.append(current)
                current = None
                continue
            if depth <= 0:
                current = None
                continue
        if depth == 1:
            name = upper.split(":", 1)[0].split(";", 1)[0]
            current = [line] if name not in header else None
            if current is not None:
                header[name] = current
            continue
        if depth >= 2 and current is not None:
            if depth == 2 and upper.startswith("TZID"):
                tzid = line.split(":", 1)[-1].strip()
            current.append(line)
