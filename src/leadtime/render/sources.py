"""``leadtime calendars``: the remembered sources as a table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from leadtime.render.grid import Block, Column, Grid, Line, Row, first_fitting, fitted_lines
from leadtime.text import safe

if TYPE_CHECKING:
    from leadtime.store.sources import SourceInfo

__all__ = ["CalendarsTable", "calendars_table"]


def calendars_table(found: Sequence[SourceInfo], tz: str) -> CalendarsTable:
    """Name, kind, address (secrets masked), last import and counts of each source; laid
    out for a width when printed."""
    return CalendarsTable(tuple(found), tz)


class CalendarsTable(Block):
    """As the width shrinks the addresses are cut with … first, then the names, then the
    gaps narrow, and at last the kind goes (the address shows it); the time of the last
    import and the counts stay whole."""

    def __init__(self, found: tuple[SourceInfo, ...], tz: str) -> None:
        self.found, self.tz = found, tz

    def lines(self, width: int) -> list[Line]:
        return fitted_lines(first_fitting(self._layouts(), width), width)

    def _layouts(self) -> Iterator[Grid]:
        from leadtime.app.sources import source_label
        from leadtime.clock import format_local

        rows = [
            Row(
                [
                    safe(c.name, newlines=False),
                    c.kind,
                    safe(source_label(c.source), newlines=False),
                    format_local(c.last_import, self.tz) if c.last_import else "-",
                    str(c.events),
                    str(c.instances),
                    str(c.excluded),
                ]
            )
            for c in self.found
        ]
        for give, collapse, narrow in (
            (0, False, False),
            (1, False, False),
            (1, True, False),
            (1, True, True),
        ):
            columns = [
                Column("calendar", give=2 * give, floor=8 if narrow else 10),
                Column("kind"),
                Column("source", give=give, floor=12),
                Column("last import"),
                Column("events", right=True),
                Column("counted", right=True),
                Column("excl." if narrow else "excluded", right=True),
            ]
            shown = [0, 2, 3, 4, 5, 6] if narrow else list(range(7))
            yield Grid(
                [columns[i] for i in shown],
                [Row([row.cells[i] for i in shown]) for row in rows],
                box=None,
                pad_edge=False,
                collapse=collapse,
            )
