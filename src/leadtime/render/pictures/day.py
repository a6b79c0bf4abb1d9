"""``leadtime day --format html``: the day as a timeline with its gaps and double-booking."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

from leadtime.clock import local_midnight, zone
from leadtime.render.day import day_json
from leadtime.render.pictures import charts
from leadtime.render.pictures.page import Cell, Markup, document, figure, section, table
from leadtime.render.words import share_text
from leadtime.reports.numbers import CATEGORIES
from leadtime.units import format_duration

if TYPE_CHECKING:
    from leadtime.app.day import Day

GAPS, DOUBLE = "no entry", "double-booked"
LANES = (*CATEGORIES, GAPS, DOUBLE)


def _hours(moment: datetime, midnight: int) -> float:
    """Hours since the day's local midnight (negative before it, past 24 after it)."""
    return (moment.timestamp() - midnight) / 3600


def _clock(moment: datetime, day: Day) -> str:
    local = moment.astimezone(zone(day.tz))
    return f"{local:%H:%M}" if local.date() == day.day else f"{local:%a %H:%M}"


def _span(start: datetime, end: datetime, day: Day) -> str:
    return f"{_clock(start, day)}-{_clock(end, day)}"


def _chart(day: Day) -> Markup:
    midnight = local_midnight(day.day, day.tz)
    rows: list[dict[str, Any]] = []
    for entry in day.entries:
        category = entry.classification.category.value
        rows.append(
            {
                "lane": category,
                "kind": category,
                "planned": entry.end > day.now,
                "start": _hours(entry.start, midnight),
                "end": _hours(entry.end, midnight),
            }
        )
    for gap in day.gaps:
        rows.append(
            {
                "lane": GAPS,
                "kind": "gap",
                "planned": gap.start >= day.now,
                "start": _hours(gap.start, midnight),
                "end": _hours(gap.end, midnight),
            }
        )
    for stretch in day.double_booked:
        rows.append(
            {
                "lane": DOUBLE,
                "kind": "double-booked",
                "planned": False,
                "start": _hours(stretch.start, midnight),
                "end": _hours(stretch.end, midnight),
            }
        )
    for row in rows:
        row["start"], row["end"] = max(row["start"], 0.0), min(row["end"], 24.0)
    first = math.floor(min((row["start"] for row in rows), default=8.0))
    last = math.ceil(max((row["end"] for row in rows), default=18.0))
    first, last = max(min(first, 8), 0), min(max(last, first + 4), 24)
    spec = charts.timeline(rows, lanes=LANES, first=first, last=last)
    done = day.total.done
    label = (
        f"Timeline of {day.day:%A %Y-%m-%d} from {first:02d}:00 to {last:02d}:00, one lane per "
        f"category: {len(day.entries)} entries, {len(day.gaps)} gaps in the working hours, "
        f"{len(day.double_booked)} double-booked stretches; counted "
        f"{format_duration(done.union)}."
    )
    return figure(
        charts.render(spec, label=label),
        "The day's entries on one lane per category (paler: planned, after now), the gaps "
        "in the working hours, and the stretches where entries overlap (counted once).",
        name="day-chart",
    )


def _timeline_table(day: Day) -> Markup:
    rows: list[tuple[datetime, int, list[object]]] = []
    for entry in day.entries:
        c = entry.classification
        label = c.category.value + (f":{c.activity}" if c.activity else "")
        rows.append(
            (
                entry.start,
                0,
                [
                    _span(entry.start, entry.end, day),
                    Cell(format_duration(entry.minutes), number=True),
                    Cell(entry.title, css="wrap"),
                    label + (" (planned)" if entry.end > day.now else ""),
                    entry.id or "",
                ],
            )
        )
    for gap in day.gaps:
        what = "(no entry: working time ahead)" if gap.start >= day.now else "(no entry)"
        rows.append(
            (
                gap.start,
                1,
                [
                    _span(gap.start, gap.end, day),
                    Cell(format_duration(gap.minutes), number=True),
                    what,
                    "",
                    "",
                ],
            )
        )
    ordered = [cells for _, _, cells in sorted(rows, key=lambda row: (row[0], row[1]))]
    headings = ["Time", Cell("Length", number=True), "Title", "Category", "Id"]
    return table("The day's entries and gaps in time order", headings, ordered, css="timeline")


def _double_table(day: Day) -> Markup:
    rows = [
        [
            _span(stretch.start, stretch.end, day),
            Cell(format_duration(stretch.minutes), number=True),
            Cell("; ".join(f"{e.title} ({e.id})" for e in stretch.entries), css="wrap"),
        ]
        for stretch in day.double_booked
    ]
    return table(
        "Double-booked stretches (counted once)",
        ["Time", Cell("Length", number=True), "Entries"],
        rows,
        css="double",
    )


def _split_table(day: Day) -> Markup:
    done, planned = day.total.done, day.total.planned
    rows = [
        [
            name,
            Cell(format_duration(done.minutes[name]), number=True),
            Cell(format_duration(planned.minutes[name]), number=True),
        ]
        for name in CATEGORIES
    ]
    footer = [
        "Counted",
        Cell(format_duration(done.union), number=True),
        Cell(format_duration(planned.union), number=True),
    ]
    return table(
        "The day's split, counted as the report counts it",
        ["Category", Cell("Done", number=True), Cell("Planned", number=True)],
        rows,
        footer=footer,
        css="split",
    )


def _headline(day: Day) -> str:
    done = day.total.done
    parts = [f"counted {format_duration(done.union)}"]
    if day.total.planned.union:
        parts.append(f"{format_duration(day.total.planned.union)} planned")
    share = done.leadership_share
    parts.append("no classified time" if share is None else f"{share_text(share)} leadership")
    if day.working_minutes:
        gaps = sum(gap.minutes for gap in day.gaps)
        parts.append(
            f"{format_duration(gaps)} of {format_duration(day.working_minutes)} working hours "
            "without an entry"
        )
    if day.double_booked:
        minutes = day_json(day)["double_booked_minutes"]
        parts.append(f"{format_duration(minutes)} double-booked")
    return f"{day.day:%a %Y-%m-%d}: " + ", ".join(parts) + "."


def day_page(day: Day) -> str:
    """The HTML day: the timeline chart and the same as tables."""
    parts: list[Markup] = []
    if day.entries or day.gaps:
        parts.append(section("Timeline", _chart(day), _timeline_table(day), name="timeline"))
    else:
        parts.append(section("Timeline", "No entries on this day.", name="timeline"))
    if day.double_booked:
        parts.append(section("Double-booked", _double_table(day), name="double-booked"))
    parts.append(section("Split", _split_table(day), name="split"))
    made = day.now.astimezone(zone(day.tz)).strftime("%Y-%m-%d %H:%M %Z")
    return document(
        f"leadtime day {day.day.isoformat()}",
        meta=f"{day.day:%A} · {day.tz}",
        headline=_headline(day),
        parts=parts,
        made=made,
    )
