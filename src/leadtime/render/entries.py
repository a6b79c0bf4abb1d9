"""Entry listings: the ``ls`` table grouped by day with daily totals, and the entry CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from leadtime.entry import MANUAL, Entry
from leadtime.render.formats import csv_cell
from leadtime.render.grid import (
    Block,
    Column,
    Grid,
    Line,
    Row,
    Styled,
    first_fitting,
    fitted_lines,
    plain_lines,
)
from leadtime.text import safe

if TYPE_CHECKING:
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
    from leadtime.clock import zone

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
) -> EntriesTable | str:
    """``ls`` as a table: a heading per day (its date, how many entries, and its folded
    total, as ``report`` counts it), the day's entries below it, and a total line; laid out
    for a width when printed (:class:`EntriesTable`)."""
    if not groups:
        return "no entries excluded in this period" if excluded else "no entries in this period"
    return EntriesTable(tuple(groups), tz, now, excluded)


class EntriesTable(Block):
    """The ``ls`` table. The columns line up across the days. As the width shrinks the
    titles are cut with …, then tags and sources, then categories; then the sources and
    the tags go (a last line says so). Ids, times and lengths stay whole."""

    def __init__(
        self, groups: tuple[DayGroup, ...], tz: str, now: datetime, excluded: bool
    ) -> None:
        self.groups, self.tz, self.now, self.excluded = groups, tz, now, excluded

    def lines(self, width: int) -> list[Line]:
        rows = [row for group in self.groups for row in self._rows(group)]
        grid = first_fitting(self._layouts(rows), width)
        shown = [column.heading for column in grid.columns]
        laid = [_rstripped(line) for line in fitted_lines(grid, width)]
        header, body = laid[0], iter(laid[1:])
        out: list[Line] = []
        for index, group in enumerate(self.groups):
            heading = f"{group.day:%a %Y-%m-%d}  {count_text(len(group.entries))}"
            if not self.excluded:
                heading += f", {_total_text(group.total.minutes, group.total.planned.union)}"
            if index:
                out.append([])
            out.extend(plain_lines(Styled.of(heading, "bold"), width))
            if index == 0:
                out.append(header)
            out.extend(next(body) for _ in group.entries)
        count = len({id(e) for group in self.groups for e in group.entries})
        if self.excluded:
            total = f"{count_text(count)}, none of them counted"
        else:
            minutes = sum(group.total.minutes for group in self.groups)
            planned = sum(group.total.planned.union for group in self.groups)
            total = f"{count_text(count)}, {_total_text(minutes, planned)}"
        out.append([])
        out.extend(plain_lines(total, width))
        left_out = [name for name in ("tags", "source") if name not in shown]
        if left_out:
            names = " and ".join("sources" if name == "source" else name for name in left_out)
            note = f"{names} are left out at this width (--format csv has every field)"
            out.extend(plain_lines(note[0].upper() + note[1:], width))
        return out

    def _rows(self, group: DayGroup) -> Iterator[list[str]]:
        from leadtime.units import format_duration

        for e in group.entries:
            source = e.origin.value + (f":{e.calendar}" if e.calendar else "")
            row = [
                e.id or "",
                _times(e, group.day, self.tz),
                format_duration(e.minutes),
                safe(e.title, newlines=False),
                safe(" ".join(f"#{tag}" for tag in e.tags), newlines=False),
                safe(_label(e, self.now), newlines=False),
                safe(source, newlines=False),
            ]
            if self.excluded:
                row.append(e.excluded.value if e.excluded else "")
            yield row

    def _layouts(self, rows: list[list[str]]) -> Iterator[Grid]:
        """From the widest to the narrowest: everything; titles cut, then tags, sources and
        the reason for exclusion, then categories; without sources; without tags either."""
        names = ["id", "time", "length", "title", "tags", "category", "source"]
        if self.excluded:
            names.append("excluded because")
        floors = {"title": (20, 1), "tags": (6, 2), "source": (8, 2), "category": (14, 3),
                  "excluded because": (8, 2)}  # fmt: skip
        for kept, title_floor in (
            (names, None),
            (names, 20),
            ([n for n in names if n != "source"], 12),
            ([n for n in names if n not in ("source", "tags")], 10),
        ):
            if title_floor:  # a column nothing fills takes no room when room is short
                kept = [n for n in kept if any(row[names.index(n)] for row in rows) or n == "id"]
            columns = []
            for name in kept:
                floor, give = floors.get(name, (0, 0))
                if name == "title" and title_floor:
                    floor = title_floor
                columns.append(
                    Column(name, right=name == "length", give=give if title_floor else 0,
                           floor=floor)
                )  # fmt: skip
            index = [names.index(name) for name in kept]
            yield Grid(
                columns,
                [Row([row[i] for i in index]) for row in rows],
                box=None,
                pad_edge=False,
                collapse=True,
            )


def _rstripped(line: Line) -> Line:
    """A line without the spaces that pad its last column."""
    found = list(line)
    while found and not found[-1][0].strip():
        found.pop()
    if found:
        text, style = found[-1]
        found[-1] = (text.rstrip(), style)
    return found
