"""Entry listings: the ``ls`` table grouped by day, and the entry CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from leadtime.entry import MANUAL, Entry
from leadtime.render.formats import csv_cell
from leadtime.text import safe

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


def print_entries(entries: Sequence[Entry], tz: str, now: datetime, *, excluded: bool) -> None:
    from rich.table import Table

    from leadtime.render.console import console
    from leadtime.timeparse import format_local
    from leadtime.units import format_duration

    out = console()
    if not entries:
        out.print("no entries excluded in this period" if excluded else "no entries in this period")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("id", "start", "time", "title", "category", "source"):
        table.add_column(name, justify="right" if name == "time" else "left")
    if excluded:
        table.add_column("excluded because")
    total = 0.0
    for e in entries:
        c = e.classification
        label = c.category.value + (f":{c.activity}" if c.activity else "")
        if c.decided_by == MANUAL:
            label += " (manual)"
        if e.end > now:
            label += " (planned)"
        source = e.origin.value + (f":{e.calendar}" if e.calendar else "")
        row = [
            e.id or "",
            format_local(e.start, tz),
            format_duration(e.minutes),
            safe(e.title, newlines=False),
            safe(label, newlines=False),
            safe(source, newlines=False),
        ]
        if excluded:
            row.append(e.excluded.value if e.excluded else "")
        table.add_row(*row)
        total += e.minutes
    out.print(table)
    count = "1 entry" if len(entries) == 1 else f"{len(entries)} entries"
    out.print(f"{count}, {format_duration(total)}")
