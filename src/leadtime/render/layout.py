"""Laying out table lines by hand, exactly as Rich would: for the long report tables,
where Rich's own layout of every row costs more than the report."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

__all__ = ["cell_segments", "same_line", "stacked_cells", "table_width"]


def cell_segments(console: Console, cell: Text, room: int, right: bool) -> list[Segment]:
    """A styled cell justified in its column, as Rich renders it: the cell's own style
    covers the spaces that justify it."""
    cell = cell.copy()
    if room:
        if right:
            cell.pad_left(room)
        else:
            cell.pad_right(room)
    # Rich renders a cell's own style as a span over the whole line, as a join makes it
    return list(Text("").join([cell]).render(console))


def same_line(made: list[Segment], rendered: list[Segment]) -> bool:
    """Whether two lines print the same: the same text in the same styles."""

    def runs(line: list[Segment]) -> list[tuple[str, Style]]:
        found: list[tuple[str, Style]] = []
        for segment in line:
            style = segment.style or Style.null()
            if found and found[-1][1] == style and not style:
                found[-1] = (found[-1][0] + segment.text, style)
            elif segment.text:
                found.append((segment.text, style))
        return found

    return runs(made) == runs(rendered)


def stacked_cells(cells: Iterable[Text], width: int, right: bool) -> Text:
    """One-line cells as the lines of one cell, each rendered as it would be on its own.

    A cell's own style also covers the spaces that justify it, so a styled cell is padded
    to ``width`` first; in the joined text its style becomes a span over those spaces too.
    """
    lines = []
    for cell in cells:
        if cell.style and cell.cell_len < width:
            cell = cell.copy()
            if right:
                cell.pad_left(width - cell.cell_len)
            else:
                cell.pad_right(width - cell.cell_len)
        lines.append(cell)
    return Text("\n").join(lines)


def table_width(widths: list[int], edge: bool) -> int:
    """The width of a table whose columns are ``widths`` wide (one space of padding each
    side, none at the edges without them) with a vertical line between the columns."""
    padding = 2 * len(widths) - (0 if edge else 2)
    return sum(widths) + padding + len(widths) - 1 + (2 if edge else 0)
