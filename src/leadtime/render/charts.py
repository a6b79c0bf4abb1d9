"""The small charts: the split bar, its legend, and the trend sparkline of weekly shares.

Colours never carry meaning alone: the bar's cells differ in shape (``█`` leadership,
``▒`` hands-on, ``│`` the target, ``·`` no data), and the legend says which is which.
Shares are placed as :func:`leadtime.units.percent` rounds them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from rich.text import Span, Text

from leadtime.reports.numbers import Verdict, band
from leadtime.reports.records import Report
from leadtime.text import safe
from leadtime.units import percent

__all__ = [
    "EMPTY_CELL",
    "HANDS_ON_CELL",
    "HANDS_ON_STYLE",
    "LEADERSHIP_CELL",
    "LEADERSHIP_STYLE",
    "TARGET_MARK",
    "legend",
    "report_chart",
    "share_chart",
    "spark",
    "split_bar",
    "trend_line",
]

LEADERSHIP_CELL, HANDS_ON_CELL, TARGET_MARK, EMPTY_CELL = "█", "▒", "│", "·"
SPARKS = "▁▂▃▄▅▆▇█"
# Blue and orange: told apart with every common colour-vision deficiency.
LEADERSHIP_STYLE, HANDS_ON_STYLE = "blue", "dark_orange"


def _cells(fraction: float, width: int) -> int:
    return int(Decimal(repr(fraction * width)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_bar(share: float | None, target: float, width: int = 20) -> Text:
    """The leadership/hands-on split as ``width`` cells, with the target marked.

    ``█`` cells are leadership, ``▒`` cells hands-on, and ``│`` is inserted between the
    cells at the target: 70% of 20 cells puts it after the 14th. Without classified time
    the cells are ``·``.
    """
    mark = min(max(_cells(target, width), 0), width)
    text = Text(no_wrap=True)
    if share is None:
        text.append(EMPTY_CELL * mark, style="dim")
        text.append(TARGET_MARK, style="bold")
        text.append(EMPTY_CELL * (width - mark), style="dim")
        return text
    lead = min(max(_cells(share, width), 0), width)
    plain, spans = _bar_cells(lead, mark, width)
    return Text(plain, no_wrap=True, spans=list(spans))


@lru_cache(maxsize=256)
def _bar_cells(lead: int, mark: int, width: int) -> tuple[str, tuple[Span, ...]]:
    """The characters of a bar and one span per character (as appending them one by one)."""
    chars: list[str] = []
    styles: list[str] = []
    for cell in range(width):
        if cell == mark:
            chars.append(TARGET_MARK)
            styles.append("bold")
        if cell < lead:
            chars.append(LEADERSHIP_CELL)
            styles.append(LEADERSHIP_STYLE)
        else:
            chars.append(HANDS_ON_CELL)
            styles.append(HANDS_ON_STYLE)
    if mark == width:
        chars.append(TARGET_MARK)
        styles.append("bold")
    return "".join(chars), tuple(Span(i, i + 1, style) for i, style in enumerate(styles))


def legend(target: float) -> Text:
    """What the bar's cells mean: ``█ leadership  ▒ hands-on  │ target 70.0%``."""
    text = Text("Bar: ")
    text.append(LEADERSHIP_CELL, style=LEADERSHIP_STYLE)
    text.append(" leadership  ")
    text.append(HANDS_ON_CELL, style=HANDS_ON_STYLE)
    text.append(" hands-on  ")
    text.append(TARGET_MARK, style="bold")
    text.append(f" target {percent(target)}%  ")
    text.append(EMPTY_CELL, style="dim")
    text.append(" no data")
    return text


def trend_line(report: Report) -> str:
    """The share of each week as a sparkline, oldest first (``·`` for a week without data).

    The eight levels are eighths of 0 to 100%: ``▁`` below 12.5%, ``█`` from 87.5%.
    """
    return "".join(spark(record.leadership_share) for record in report.weeks)


def spark(share: float | None) -> str:
    """One week's share as one of eight levels, ``·`` without data."""
    if share is None:
        return EMPTY_CELL
    return SPARKS[min(int(share * len(SPARKS)), len(SPARKS) - 1)]


# --------------------------------------------------------------------------- share chart

CHART_ROWS = 10  # each row is 10 points of share; a column's top is drawn to an eighth
_EIGHTHS = " ▁▂▃▄▅▆▇█"
_ASCII_EIGHTHS = " .._--==#"  # coarser, but each column still ends where its share is
BAND_CELL, ASCII_BAND_CELL = "░", ":"
CHART_STYLES = {
    Verdict.ON_TARGET: LEADERSHIP_STYLE,
    Verdict.TOO_HANDS_ON: HANDS_ON_STYLE,
    Verdict.TOO_HANDS_OFF: "magenta",
    Verdict.NOT_ENOUGH_DATA: "dim",
}
_AXIS = 6  # "100% ┤"


def share_chart(report: Report, *, width: int, ascii: bool = False) -> Text:
    """The leadership share of each week as a column, inside the shaded target band.

    One column per week (two cells when there is room), oldest on the left; when the
    weeks do not fit in ``width`` the most recent that fit are drawn and the first line
    says so. Each column rises to the week's share, its top drawn to an eighth of a row
    (10 points a row); a week without classified time is a ``·`` on the base line. The
    band ``target ± tolerance`` shades the empty cells of the rows it covers. Colours follow
    the verdict (as in the table), but the height alone tells the share; ``ascii`` draws
    with ASCII characters only.
    """
    eighths = _ASCII_EIGHTHS if ascii else _EIGHTHS
    band_cell = ASCII_BAND_CELL if ascii else BAND_CELL
    axis, tick = ("|", "+") if ascii else ("│", "┤")
    room = max(width - _AXIS, 1)
    weeks = report.weeks
    step = 2 if len(weeks) * 2 <= room else 1
    shown = weeks[-(room // step) :] if weeks else ()
    low, high = (float(value) / 100 for value in band(report.target, report.tolerance))
    text = Text(no_wrap=True)
    if len(shown) < len(weeks):
        text.append(f"the last {len(shown)} of {len(weeks)} weeks (widen the terminal for more)\n")
    for row in range(CHART_ROWS, 0, -1):
        bottom, top = (row - 1) / CHART_ROWS, row / CHART_ROWS
        label = f"{row * 10}%" if row % 2 == 0 else ""
        text.append(f"{label:>4} {tick if label else axis}", style="dim")
        shaded = bottom < high and top > low  # the row overlaps the band
        for record in shown:
            share = record.leadership_share
            level = 0 if share is None else _level(share, bottom)
            cell = eighths[level] if level else (band_cell if shaded else " ")
            style = CHART_STYLES[record.verdict] if level else ("dim" if shaded else "")
            text.append(cell, style=style)
            if step == 2:
                text.append(band_cell if shaded else " ", style="dim")
        text.append("\n")
    base = "+" if ascii else "└"
    text.append("   0%" + base, style="dim")
    for record in shown:
        empty = "." if ascii else EMPTY_CELL
        text.append(empty if record.leadership_share is None else ("-" if ascii else "─"),
                    style="dim")  # fmt: skip
        if step == 2:
            text.append("-" if ascii else "─", style="dim")
    if shown:
        first, last = shown[0].week, shown[-1].week
        gap = max(len(shown) * step - len(first) - len(last), 1)
        text.append("\n" + " " * _AXIS + (first + " " * gap + last if first != last else first))
    return text


def _level(share: float, bottom: float) -> int:
    """How many eighths of the row starting at ``bottom`` a column of ``share`` fills."""
    inside = (share - bottom) * CHART_ROWS
    if inside <= 0:
        return 0
    return min(int(Decimal(repr(inside * 8)).quantize(Decimal(1), rounding=ROUND_HALF_UP)), 8)


def report_chart(report: Report, *, width: int, ascii: bool = False) -> Text:
    """``report --chart``: the headline sentence, :func:`share_chart` and what its cells
    mean, as one text."""
    from leadtime.render.words import headline, period
    from leadtime.reports.check import target_text

    low, high = band(report.target, report.tolerance)
    text = Text(f"Leadership share per week, {period(report)} ({report.timezone})\n", style="bold")
    text.append(safe(headline(report), newlines=False) + ".\n")
    text.append_text(share_chart(report, width=width, ascii=ascii))
    column = "#" if ascii else "█"
    text.append(f"\n{ASCII_BAND_CELL if ascii else BAND_CELL} ", style="dim")
    target = target_text(report).replace("±", "+/-") if ascii else target_text(report)
    text.append(f"target {target} ({low:.1f}%-{high:.1f}%)  ")
    text.append(column, style=CHART_STYLES[Verdict.ON_TARGET])
    text.append(" on target  ")
    text.append(column, style=CHART_STYLES[Verdict.TOO_HANDS_ON])
    text.append(" too hands-on  ")
    text.append(column, style=CHART_STYLES[Verdict.TOO_HANDS_OFF])
    text.append(" too hands-off  ")
    text.append("." if ascii else EMPTY_CELL, style="dim")
    text.append(" no data")
    return text
