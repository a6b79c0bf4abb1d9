"""Text tables without Rich: styled text, word wrapping, and a grid of columns.

The terminal views lay out their tables here. A table that fits its width prints exactly
as a Rich table with the same columns, box and padding prints (the tests compare them); a
table that does not fit narrows the columns that allow it, in the order they give, by
cutting their text with ``…`` or wrapping it onto more lines. What a view gives up, and
when, is the view's decision (see ``docs/views.md``); this module only carries it out.

Widths are terminal cells: a wide (East Asian) character takes two, a combining mark none.
Text here is already clean (:func:`leadtime.text.safe`): no control characters reach it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from leadtime.render.terminal import Line, Terminal, line_text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

__all__ = [
    "BOXES",
    "Block",
    "Box",
    "Column",
    "Grid",
    "Line",
    "Row",
    "Styled",
    "cell_len",
    "cut",
    "first_fitting",
    "fitted_lines",
    "plain_lines",
    "wrap",
]

ELLIPSIS = "…"

# --------------------------------------------------------------------------- cell widths


_ZERO_WIDTH = ("Mn", "Me", "Cf", "Zl", "Zp")


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    """Cells of one character: 0 for marks, format characters (the soft hyphen prints) and
    skin-tone modifiers, 2 for wide and full-width ones, 1 otherwise."""
    if char == "\u00ad":
        return 1
    if unicodedata.category(char) in _ZERO_WIDTH or "\U0001f3fb" <= char <= "\U0001f3ff":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _fit(text: str, width: int) -> tuple[int, int]:
    """How many characters of ``text`` fit in ``width`` cells, and the cells left over
    (one, where a wide character would have been split)."""
    taken = 0
    for index, char in enumerate(text):
        size = _char_width(char)
        if taken + size > width:
            return index, width - taken
        taken += size
    return len(text), width - taken


# --------------------------------------------------------------------------- styled text


class Styled:
    """Text in runs of one style each: ``Styled((("on target", "bold blue"),))``.

    (A plain class rather than a dataclass: the report prints without Rich to start fast,
    and a dataclass costs more to define than this module's other code takes to load.)
    """

    __slots__ = ("plain", "runs")

    def __init__(self, runs: tuple[tuple[str, str], ...]) -> None:
        self.runs = runs
        self.plain = "".join(text for text, _ in runs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Styled) and self.runs == other.runs

    def __hash__(self) -> int:
        return hash(self.runs)

    def __repr__(self) -> str:
        return f"Styled({self.runs!r})"

    @classmethod
    def of(cls, text: str, style: str = "") -> Styled:
        return cls(((text, style),))

    def __add__(self, other: Styled | str) -> Styled:
        return Styled(self.runs + _runs(other))

    def styled(self, style: str) -> Styled:
        """Every run with ``style`` under its own (a row's style beneath its cells')."""
        if not style:
            return self
        return Styled(tuple((text, f"{style} {own}".strip()) for text, own in self.runs))

    def slice(self, start: int, end: int) -> Styled:
        """Characters ``start`` to ``end``, with their styles."""
        found: list[tuple[str, str]] = []
        offset = 0
        for text, style in self.runs:
            low, high = max(start - offset, 0), min(end - offset, len(text))
            if low < high:
                found.append((text[low:high], style))
            offset += len(text)
        return Styled(tuple(found))


Cell = str | Styled


def _runs(cell: Cell) -> tuple[tuple[str, str], ...]:
    return ((cell, ""),) if isinstance(cell, str) else cell.runs


def _plain(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.plain


def _slice(cell: Cell, start: int, end: int) -> Cell:
    return cell[start:end] if isinstance(cell, str) else cell.slice(start, end)


@overload
def cut(cell: str, width: int) -> str: ...
@overload
def cut(cell: Styled, width: int) -> Styled | str: ...
def cut(cell: Cell, width: int) -> Cell:
    """``cell`` cut to ``width`` cells with ``…`` at the end (unchanged when it fits)."""
    text = _plain(cell)
    if cell_len(text) <= width:
        return cell
    if width <= 0:
        return ""
    if isinstance(cell, str) and text.isascii():
        return text[: width - 1] + ELLIPSIS
    kept, left = _fit(text, width - 1)
    mark = " " * left + ELLIPSIS
    if isinstance(cell, str):
        return cell[:kept] + mark
    return cell.slice(0, kept) + Styled.of(mark, _style_at(cell, kept))


def _style_at(cell: Styled, index: int) -> str:
    offset = 0
    for text, style in cell.runs:
        offset += len(text)
        if index < offset:
            return style
    return ""


_WORD = re.compile(r"\s*\S+\s*")


def _breaks(text: str, width: int) -> list[int]:
    """Where to break ``text`` so that each line fits ``width`` cells: words move to the
    next line whole, a word longer than a line is folded (Rich's ``divide_line``)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:
            pieces = _chop(word, width)
            for index, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if index == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _chop(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` cells."""
    pieces: list[str] = []
    piece, taken = "", 0
    for char in text:
        size = _char_width(char)
        if piece and taken + size > width:
            pieces.append(piece)
            piece, taken = "", 0
        piece += char
        taken += size
    pieces.append(piece)
    return pieces


def wrap(cell: Cell, width: int) -> list[Cell]:
    """``cell`` word-wrapped to lines of at most ``width`` cells (its own newlines kept).

    Whitespace at a break stays at the end of the line as far as it fits, as Rich leaves it.
    """
    text = _plain(cell)
    lines: list[Cell] = []
    offset = 0
    for paragraph in text.split("\n"):
        stops = [*_breaks(paragraph, max(width, 1)), len(paragraph)]
        begin = 0
        for stop in stops:
            piece = _slice(cell, offset + begin, offset + stop)
            plain = _plain(piece)
            extra = len(plain) - max(width, 0)
            if extra > 0:  # trailing whitespace beyond the width goes
                spaces = len(plain) - len(plain.rstrip())
                piece = _slice(piece, 0, len(plain) - min(spaces, extra))
            lines.append(piece)
            begin = stop
        offset += len(paragraph) + 1
    return lines


def _rstrip(cell: Cell) -> Cell:
    text = _plain(cell)
    return _slice(cell, 0, len(text.rstrip()))


def _truncate(cell: Cell, width: int) -> Cell:
    """Cut to ``width`` cells without a mark (Rich's default for text that was wrapped)."""
    text = _plain(cell)
    if cell_len(text) <= width:
        return cell
    kept, left = _fit(text, width)
    return _slice(cell, 0, kept) + " " * left


def _line(cell: Cell, width: int, align: Literal["left", "right", "center"]) -> Line:
    """One line of a cell, justified in ``width`` cells (padding is plain)."""
    if align != "left":
        cell = _rstrip(cell)
    cell = _truncate(cell, width)
    room = width - cell_len(_plain(cell))
    runs = [run for run in _runs(cell) if run[0]]
    if room <= 0:
        return runs
    if align == "left":
        return [*runs, (" " * room, "")]
    if align == "right":
        return [(" " * room, ""), *runs]
    left = room // 2
    return [*([(" " * left, "")] if left else []), *runs, (" " * (room - left), "")]


def plain_lines(cell: Cell, width: int) -> list[Line]:
    """Text printed at ``width`` columns: wrapped, not padded (as Rich prints a Text)."""
    return [[run for run in _runs(_truncate(line, width)) if run[0]] for line in wrap(cell, width)]


def centred_lines(cell: Cell, width: int) -> list[Line]:
    """Text wrapped to ``width`` and each line centred (a table's title)."""
    return [_line(line, width, "center") for line in wrap(cell, width)]


# --------------------------------------------------------------------------- blocks


class Block:
    """Something printed as lines of text at a given width: a view, or part of one.

    Prints itself on a Rich console too (the views that still go through Rich, the SVG
    picture), at the console's width.
    """

    def lines(self, width: int) -> list[Line]:
        raise NotImplementedError

    def text(self, width: int = 80, terminal: Terminal | None = None) -> str:
        """The block at ``width`` columns: plain text, or styled for ``terminal``."""
        return "".join(line_text(line, terminal) + "\n" for line in self.lines(width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        styles: dict[str, Any] = {}
        newline = Segment.line()
        for line in self.lines(options.max_width):
            for text, style in line:
                if style and style not in styles:
                    styles[style] = console.get_style(style)
                yield Segment(text, styles[style] if style else None)
            yield newline


# --------------------------------------------------------------------------- the grid


class Box(NamedTuple):
    """The characters of a table's frame, as Rich's boxes name them (left, line, divider,
    right for each kind of line); a space is an invisible frame."""

    top: str
    head: str  # the header's row
    head_row: str  # the line under the header
    middle: str  # a row
    row: str  # the line between sections
    bottom: str


BOXES = {
    "rounded": Box("╭─┬╮", "│ ││", "├─┼┤", "│ ││", "├─┼┤", "╰─┴╯"),
    "simple-head": Box("    ", "    ", " ── ", "    ", "    ", "    "),
    "simple-heavy": Box("    ", "    ", " ━━ ", "    ", "    ", "    "),
    "simple": Box("    ", "    ", " ── ", "    ", "    ", "    "),
}


class Column(NamedTuple):
    """One column.

    ``least`` and ``most`` bound its natural width (the widest cell): a cell wider than
    ``most`` is cut with ``…``. When the table is too wide, columns with a ``give`` narrow
    (lowest ``give`` first) down to ``floor``: ``overflow="cut"`` cuts their text with
    ``…``, ``"wrap"`` wraps it onto more lines. A ``snap`` column that must narrow goes
    straight to its floor (so that its text wraps where the floor was chosen to break it).
    """

    heading: str
    right: bool = False
    least: int = 0
    most: int | None = None
    give: int = 0  # 0: never narrowed
    floor: int = 1
    overflow: Literal["cut", "wrap"] = "cut"
    snap: bool = False


class Row(NamedTuple):
    cells: Sequence[Cell]
    style: str = ""
    end_section: bool = False  # a line (or a blank line) after it


class Grid(Block):
    """A table: a title, a header and rows, drawn in a :data:`BOXES` frame (or none).

    ``edge`` draws the frame's outer lines; ``pad_edge`` pads the outer columns;
    ``collapse`` leaves one space of padding between columns instead of two. Every cell
    has ``padding`` spaces (one, as in Rich's tables) on each side otherwise.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        *,
        title: Cell | None = None,
        title_style: str = "bold",
        box: Box | None = None,
        edge: bool = True,
        pad_edge: bool = True,
        collapse: bool = False,
        header_style: str = "bold",
        padding: int = 1,
    ) -> None:
        self.columns, self.rows = columns, rows
        self.title, self.title_style, self.header_style = title, title_style, header_style
        self.box, self.edge, self.pad_edge = box, edge, pad_edge
        self.collapse, self.padding = collapse, padding
        self._natural: list[int] | None = None

    # ------------------------------------------------------------------ measuring

    def _padding(self, index: int) -> tuple[int, int]:
        left = 0 if self.collapse and index else self.padding
        right = self.padding
        if not self.pad_edge:
            if index == 0:
                left = 0
            if index == len(self.columns) - 1:
                right = 0
        return left, right

    def frame_width(self) -> int:
        """Cells the table takes besides its columns' content: padding, dividers, edges."""
        count = len(self.columns)
        padding = sum(sum(self._padding(i)) for i in range(count))
        dividers = (count - 1) if self.box is not None else 0
        edges = 2 if self.box is not None and self.edge else 0
        return padding + dividers + edges

    def natural(self) -> list[int]:
        """Each column's content width when nothing is narrowed."""
        if self._natural is None:
            widths = []
            for index, column in enumerate(self.columns):
                cells = [row.cells[index] for row in self.rows]
                texts = [cell if isinstance(cell, str) else cell.plain for cell in cells]
                widest = max(map(cell_len, [column.heading, *texts]))
                if column.most is not None:
                    widest = min(widest, column.most)
                widths.append(max(widest, column.least))
            self._natural = widths
        return list(self._natural)

    def fitted(self, width: int) -> list[int]:
        """Content widths for a table at most ``width`` cells wide: the natural ones, then
        the giving columns narrowed, lowest ``give`` first; columns of the same ``give``
        narrow together, the widest first. Wider than ``width`` when even that is not
        enough."""
        widths = list(self.natural())
        excess = sum(widths) + self.frame_width() - width
        for give in sorted({column.give for column in self.columns if column.give}):
            group = [i for i, column in enumerate(self.columns) if column.give == give]
            floors = {i: min(self.columns[i].floor, widths[i]) for i in group}
            while excess > 0:
                room = [i for i in group if widths[i] > floors[i]]
                if not room:
                    break
                widest = max(room, key=lambda i: (widths[i] - floors[i], -i))
                taken = widths[widest] - floors[widest] if self.columns[widest].snap else 1
                widths[widest] -= taken
                excess -= taken
        return widths

    def least_width(self) -> int:
        """The narrowest this table can be made."""
        widths = self.natural()
        return self.frame_width() + sum(
            min(column.floor, w) if column.give else w
            for column, w in zip(self.columns, widths, strict=True)
        )

    # ------------------------------------------------------------------ drawing

    def lines(self, width: int) -> list[Line]:
        widths = self.fitted(width)
        padded = [w + sum(self._padding(i)) for i, w in enumerate(widths)]
        out: list[Line] = []
        if self.title is not None:
            title = Styled.of(self.title) if isinstance(self.title, str) else self.title
            table_width = min(sum(widths) + self.frame_width(), width)
            out.extend(centred_lines(title.styled(self.title_style), table_width))
        box = self.box
        if box is not None and self.edge:
            out.append([(self._rule(box.top, padded), "")])
        headings = [Styled.of(column.heading, self.header_style) for column in self.columns]
        out.extend(self._row(headings, widths, box.head if box else None))
        if box is not None:
            out.append([(self._rule(box.head_row, padded), "")])
        last = len(self.rows) - 1
        for index, row in enumerate(self.rows):
            cells = row.cells
            if row.style:
                cells = [
                    (Styled.of(c) if isinstance(c, str) else c).styled(row.style) for c in cells
                ]
            out.extend(self._row(cells, widths, box.middle if box else None))
            if row.end_section and index < last and box is not None:
                out.append([(self._rule(box.row, padded), "")])
        if box is not None and self.edge:
            out.append([(self._rule(box.bottom, padded), "")])
        return out

    def _rule(self, chars: str, padded: list[int]) -> str:
        inner = chars[2].join(chars[1] * w for w in padded)
        return f"{chars[0]}{inner}{chars[3]}" if self.edge else inner

    def _row(self, cells: Sequence[Cell], widths: list[int], chars: str | None) -> list[Line]:
        """The lines of one row: each cell justified (wrapped or cut when it is too wide),
        padded, between the frame's dividers; short cells are filled with blank lines."""
        single = self._single_line(cells, widths, chars)
        if single is not None:
            return [single]
        rendered: list[list[Line]] = []
        for index, (cell, column, size) in enumerate(zip(cells, self.columns, widths, strict=True)):
            text = cell if isinstance(cell, str) else cell.plain
            if cell_len(text) <= size:
                pieces = [cell]
            elif column.overflow == "wrap" and size >= 1:
                pieces = wrap(cell, size)
            else:
                pieces = [cut(cell, size)]
            left, right = self._padding(index)
            align: Literal["left", "right"] = "right" if column.right else "left"
            rendered.append(
                [
                    [(" " * left, ""), *_line(piece, size, align), (" " * right, "")]
                    for piece in pieces
                ]
            )
        edge = chars is not None and self.edge
        out: list[Line] = []
        for number in range(max(len(found) for found in rendered)):
            line: Line = [(chars[0], "")] if edge and chars else []
            for index, found in enumerate(rendered):
                if number < len(found):
                    line.extend(found[number])
                else:
                    line.append((" " * (widths[index] + sum(self._padding(index))), ""))
                if chars is not None and index < len(rendered) - 1:
                    line.append((chars[2], ""))
            if edge and chars:
                line.append((chars[3], ""))
            out.append(_merged(line))
        return out

    def _single_line(
        self, cells: Sequence[Cell], widths: list[int], chars: str | None
    ) -> Line | None:
        """The row as one line when every cell fits its column (None otherwise): the same
        line as :meth:`_row` makes, made with a few string operations, for long tables."""
        edge = chars is not None and self.edge
        divider = chars[2] if chars is not None else ""
        last = len(cells) - 1
        line: Line = []
        buffer = chars[0] if edge and chars else ""
        for index, cell in enumerate(cells):
            size = widths[index]
            left, right = self._padding(index)
            at_right = self.columns[index].right
            if isinstance(cell, str):
                length = len(cell) if cell.isascii() else cell_len(cell)
                if length > size and self.columns[index].overflow == "cut":
                    cell = cut(cell, size)
                    length = cell_len(cell)
                if length > size or (at_right and cell.endswith(" ")):
                    return None
                room = " " * (size - length)
                buffer += " " * left + (room + cell if at_right else cell + room) + " " * right
            else:
                length = cell_len(cell.plain)
                if length > size and self.columns[index].overflow == "cut":
                    cell = cut(cell, size)
                    length = cell_len(cell if isinstance(cell, str) else cell.plain)
                if isinstance(cell, str):
                    return None  # a styled cell cut to nothing: the careful way
                if length > size or (at_right and cell.plain.endswith(" ")):
                    return None
                room = " " * (size - length)
                buffer += " " * left + (room if at_right else "")
                for text, style in cell.runs:
                    if not text:
                        continue
                    if not style:
                        buffer += text
                        continue
                    if buffer:
                        line.append((buffer, ""))
                        buffer = ""
                    if line and line[-1][1] == style:
                        line[-1] = (line[-1][0] + text, style)
                    else:
                        line.append((text, style))
                buffer += ("" if at_right else room) + " " * right
            if index < last:
                buffer += divider
        if edge and chars:
            buffer += chars[3]
        if buffer:
            line.append((buffer, ""))
        return line


def first_fitting(grids: Iterable[Grid], width: int) -> Grid:
    """The first of ``grids`` that can be made ``width`` cells wide, or else the last: a view
    lists its layouts from the widest to the narrowest."""
    grid = None
    for grid in grids:
        if grid.least_width() <= width:
            return grid
    if grid is None:
        raise ValueError("no layout to choose from")
    return grid


def fitted_lines(grid: Grid, width: int) -> list[Line]:
    """The grid's lines, each cut to ``width`` with ``…`` when even the narrowest layout
    is wider (a terminal narrower than any view is meant for)."""
    lines = grid.lines(width)
    if all(sum(cell_len(text) for text, _ in line) <= width for line in lines):
        return lines
    found = []
    for line in lines:
        short = cut(Styled(tuple(line)), width)
        found.append(list(short.runs) if isinstance(short, Styled) else [(short, "")])
    return found


def _merged(line: Line) -> Line:
    """Adjacent runs of one style as one run."""
    found: Line = []
    for text, style in line:
        if not text:
            continue
        if found and found[-1][1] == style:
            found[-1] = (found[-1][0] + text, style)
        else:
            found.append((text, style))
    return found
