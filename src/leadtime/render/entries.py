"""Entry listings: the ``ls`` table grouped by day with daily totals, and the entry CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from leadtime.entry import MANUAL, Entry
from leadtime.render.formats import csv_cell
from leadtime.text import safe

if TYPE_CHECKING:
    from rich.console import RenderableType

    from leadtime.app.listing import DayGroup

CSV_FIELDS = (
    "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by",
)  # fmt: skip


def entries_csv(entries: Sequence[Entry]) -> str:
    from leadtime.app.transfer import entry_record

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        record = entry_record(entry)
        record["tags"] = ",".join(entry.tags)
        writer.writerow({key: csv_cell(value) for key, value in record.items()})
    return buffer.getvalue()


def _label(entry: Entry, now: datetime) -> str:
    c = entry.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    if c.decided_by == MANUAL:
        label += " (manual)"
    if entry.end > now:
        label += " (planned)"
    return label


def _times(entry: Entry, day: date, tz: str) -> str:
    """``14:00-14:45`` on ``day``; ``23:30-Thu 01:00`` or ``Wed 23:30-01:00`` across midnight."""
    from leadtime.units import zone

    place = zone(tz)

    def clock(moment: datetime) -> str:
        local = moment.astimezone(place)
        return f"{local:%H:%M}" if local.date() == day else f"{local:%a %H:%M}"

    return f"{clock(entry.start)}-{clock(entry.end)}"


def count_text(count: int) -> str:
    """``1 entry``, ``2 entries``."""
    return "1 entry" if count == 1 else f"{count} entries"


def _total_text(minutes: float, planned: float) -> str:
    """``4h15m``, or ``4h15m (1h planned)`` when some of it lies after now."""
    from leadtime.units import format_duration

    text = format_duration(minutes)
    if planned:
        text += f" ({format_duration(planned)} planned)"
    return text


def entries_table(
    groups: Sequence[DayGroup], tz: str, now: datetime, *, excluded: bool
) -> RenderableType:
    """``ls`` as a table: a heading per day (its date, how many entries, and its folded
    total, as ``report`` counts it), the day's entries below it, and a total line.

    The columns are laid out here, once, from the cells' widths on a terminal, and the
    listing is one text: a Rich table per day would cost seconds for two years of entries.
    """
    from rich.cells import cell_len

    from leadtime.units import format_duration

    if not groups:
        return "no entries excluded in this period" if excluded else "no entries in this period"
    names = ["id", "time", "length", "title", "tags", "category", "source"]
    if excluded:
        names.append("excluded because")
    rows: list[list[list[str]]] = []
    for group in groups:
        day_rows = []
        for e in group.entries:
            source = e.origin.value + (f":{e.calendar}" if e.calendar else "")
            row = [
                e.id or "",
                _times(e, group.day, tz),
                format_duration(e.minutes),
                safe(e.title, newlines=False),
                safe(" ".join(f"#{tag}" for tag in e.tags), newlines=False),
                safe(_label(e, now), newlines=False),
                safe(source, newlines=False),
            ]
            if excluded:
                row.append(e.excluded.value if e.excluded else "")
            day_rows.append(row)
        rows.append(day_rows)
    # one width per column across the days, so that the days line up
    widths = [
        max(cell_len(name), *(cell_len(row[i]) for day in rows for row in day))
        for i, name in enumerate(names)
    ]
    right = names.index("length")

    def line(cells: Sequence[str]) -> str:
        padded = []
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            room = " " * (width - cell_len(cell))
            last = index == len(cells) - 1
            padded.append(room + cell if index == right else cell + ("" if last else room))
        return " ".join(padded).rstrip()

    text = Text()
    for index, (group, day_rows) in enumerate(zip(groups, rows, strict=True)):
        heading = f"{group.day:%a %Y-%m-%d}  {count_text(len(group.entries))}"
        if not excluded:
            heading += f", {_total_text(group.total.minutes, group.total.planned.union)}"
        if index:
            text.append("\n")
        text.append(heading + "\n", style="bold")
        if index == 0:
            text.append(line(names) + "\n", style="bold")
        text.append("".join(line(row) + "\n" for row in day_rows))
    count = len({id(e) for group in groups for e in group.entries})
    if excluded:
        text.append(f"\n{count_text(count)}, none of them counted")
    else:
        minutes = sum(group.total.minutes for group in groups)
        planned = sum(group.total.planned.union for group in groups)
        text.append(f"\n{count_text(count)}, {_total_text(minutes, planned)}")
    return text
