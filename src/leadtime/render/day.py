"""``leadtime day``: the day's timeline as a table, and its JSON form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from leadtime.clock import zone
from leadtime.jsonout import instant
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
from leadtime.reports.numbers import CATEGORIES
from leadtime.text import safe
from leadtime.units import round_half_up

if TYPE_CHECKING:
    from leadtime.app.day import Day, Stretch
    from leadtime.entry import Entry


def _clock(moment: datetime, day: Day) -> str:
    """``14:00`` on the day itself, ``Thu 23:00`` on another day."""
    local = moment.astimezone(zone(day.tz))
    return f"{local:%H:%M}" if local.date() == day.day else f"{local:%a %H:%M}"


def _range(start: datetime, end: datetime, day: Day) -> str:
    return f"{_clock(start, day)}-{_clock(end, day)}"


def _category(entry: Entry) -> str:
    c = entry.classification
    return c.category.value + (f":{c.activity}" if c.activity else "")


def _names(stretch: Stretch) -> str:
    return ", ".join(f"{e.id} '{e.title}'" for e in stretch.entries)


def day_table(day: Day) -> DayTable:
    """The timeline (entries and gaps in time order), the double-booked stretches and the
    day's split; laid out for a width when printed (:class:`DayTable`)."""
    return DayTable(day)


class DayTable(Block):
    """``day`` at a width: titles are cut with … first, then categories; the gaps between
    the columns narrow last. Times, lengths and ids stay whole."""

    def __init__(self, day: Day) -> None:
        self.day = day

    def lines(self, width: int) -> list[Line]:
        from leadtime.render.words import share_text
        from leadtime.units import format_duration

        day = self.day
        out = plain_lines(Styled.of(f"{day.day:%a %Y-%m-%d} ({day.tz})", "bold"), width)
        if not day.entries and not day.gaps:
            out.extend(plain_lines("no entries on this day", width))
            return out
        out.extend(fitted_lines(first_fitting(self._timelines(), width), width))
        parts: list[str | Styled] = []
        if day.double_booked:
            parts.append(Styled.of("\ndouble-booked (counted once)", "bold"))
            for stretch in day.double_booked:
                parts.append(
                    safe(
                        f"  {_range(stretch.start, stretch.end, day)}  "
                        f"{format_duration(stretch.minutes)}  {_names(stretch)}",
                        newlines=False,
                    )
                )
        done, planned = day.total.done, day.total.planned
        pairs = [f"{name} {format_duration(done.minutes[name])}" for name in CATEGORIES]
        split = f"split: {'  '.join(pairs)}"
        # one category a line where the split does not fit: a name stays with its hours
        parts.append("\n" + (split if len(split) <= width else "\n  ".join(["split:", *pairs])))
        share = done.leadership_share
        shown = share_text(share) if share is not None else "no classified time"
        parts.append(f"leadership share: {shown}")
        line = f"counted {format_duration(done.union)}"
        if planned.union:
            line += f", planned {format_duration(planned.union)}"
        if day.working_minutes:
            gaps = sum(gap.minutes for gap in day.gaps)
            line += (
                f"; working hours {format_duration(day.working_minutes)}, "
                f"{format_duration(gaps)} of them without an entry"
            )
        parts.append(line)
        for part in parts:
            out.extend(plain_lines(part, width))
        return out

    def _rows(self) -> list[list[str]]:
        from leadtime.units import format_duration

        day = self.day
        rows: list[tuple[datetime, int, list[str]]] = []
        for e in day.entries:
            label = _category(e) + (" (planned)" if e.end > day.now else "")
            cells = [
                _range(e.start, e.end, day),
                format_duration(e.minutes),
                safe(e.title, newlines=False),
                safe(label, newlines=False),
                e.id or "",
            ]
            rows.append((e.start, 0, cells))
        for gap in day.gaps:
            title = "(no entry: working time ahead)" if gap.start >= day.now else "(no entry)"
            cells = [_range(gap.start, gap.end, day), format_duration(gap.minutes), title, "", ""]
            rows.append((gap.start, 1, cells))
        return [cells for _, _, cells in sorted(rows, key=lambda row: (row[0], row[1]))]

    def _timelines(self) -> Iterator[Grid]:
        rows = [Row(cells) for cells in self._rows()]
        for give, collapse in ((0, False), (1, False), (1, True)):
            yield Grid(
                [
                    Column("time"),
                    Column("length", right=True),
                    Column("title", give=give, floor=12),
                    Column("category", give=2 * give, floor=12),
                    Column("id"),
                ],
                rows,
                box=None,
                pad_edge=False,
                collapse=collapse,
            )


def _local(moment: datetime, tz: str) -> str:
    return moment.astimezone(zone(tz)).isoformat()


def _minutes(value: float) -> float:
    return round_half_up(value, 1)


def day_json(day: Day) -> dict[str, Any]:
    """The day as JSON, in the one convention (:mod:`leadtime.jsonout`): instants in UTC
    with ``Z`` (``start``, ``end``) and, beside them, the same times in the report zone
    with their offset (``local_start``, ``local_end``); minutes to 0.1."""
    done, planned = day.total.done, day.total.planned
    share = done.leadership_share
    return {
        "date": day.day.isoformat(),
        "timezone": day.tz,
        "entries": [
            {
                "id": e.id,
                "start": instant(e.start),
                "end": instant(e.end),
                "local_start": _local(e.start, day.tz),
                "local_end": _local(e.end, day.tz),
                "minutes": _minutes(e.minutes),
                "title": e.title,
                "tags": list(e.tags),
                "category": e.classification.category.value,
                "activity": e.classification.activity,
                "origin": e.origin.value,
                "planned": e.end > day.now,
            }
            for e in day.entries
        ],
        "gaps": [
            {
                "start": instant(g.start),
                "end": instant(g.end),
                "local_start": _local(g.start, day.tz),
                "local_end": _local(g.end, day.tz),
                "minutes": _minutes(g.minutes),
            }
            for g in day.gaps
        ],
        "double_booked": [
            {
                "start": instant(s.start),
                "end": instant(s.end),
                "local_start": _local(s.start, day.tz),
                "local_end": _local(s.end, day.tz),
                "minutes": _minutes(s.minutes),
                "entries": [e.id for e in s.entries],
            }
            for s in day.double_booked
        ],
        "minutes": {name: _minutes(done.minutes[name]) for name in CATEGORIES},
        "planned_minutes": {name: _minutes(planned.minutes[name]) for name in CATEGORIES},
        "leadership_share": None if share is None else round_half_up(share, 4),
        "counted_minutes": _minutes(done.union),
        "planned_total_minutes": _minutes(planned.union),
        "double_booked_minutes": _minutes(done.double_booked + planned.double_booked),
        "working_minutes": _minutes(day.working_minutes),
        "gap_minutes": _minutes(sum(g.minutes for g in day.gaps)),
    }
