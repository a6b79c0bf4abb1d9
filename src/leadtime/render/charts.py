"""The small charts: the split bar, its legend, and the trend sparkline of weekly shares.

Colours never carry meaning alone: the bar's cells differ in shape (``█`` leadership,
``▒`` hands-on, ``│`` the target, ``·`` no data), and the legend says which is which.
Shares are placed as :func:`leadtime.units.percent` rounds them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from rich.text import Span, Text

from leadtime.reports.records import Report
from leadtime.units import percent

__all__ = [
    "EMPTY_CELL",
    "HANDS_ON_CELL",
    "HANDS_ON_STYLE",
    "LEADERSHIP_CELL",
    "LEADERSHIP_STYLE",
    "TARGET_MARK",
    "legend",
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
