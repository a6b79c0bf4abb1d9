"""The small charts: the split bar, its legend, and the trend sparkline of weekly shares.

Colours never carry meaning alone: the bar's cells differ in shape (``█`` leadership,
``▒`` hands-on, ``│`` the target, ``·`` no data), and the legend says which is which.
Shares are placed as :func:`leadtime.units.percent` rounds them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from leadtime.render.grid import Styled
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


@lru_cache(maxsize=512)
def split_bar(share: float | None, target: float, width: int = 20) -> Styled:
    """The leadership/hands-on split as ``width`` cells, with the target marked.

    ``█`` cells are leadership, ``▒`` cells hands-on, and ``│`` is inserted between the
    cells at the target: 70% of 20 cells puts it after the 14th. Without classified time
    the cells are ``·``.
    """
    mark = min(max(_cells(target, width), 0), width)
    if share is None:
        return Styled(
            (
                (EMPTY_CELL * mark, "dim"),
                (TARGET_MARK, "bold"),
                (EMPTY_CELL * (width - mark), "dim"),
            )
        )
    lead = min(max(_cells(share, width), 0), width)
    return _bar(lead, mark, width)


@lru_cache(maxsize=256)
def _bar(lead: int, mark: int, width: int) -> Styled:
    """``lead`` leadership cells of ``width``, the target mark after ``mark`` cells."""
    runs: list[tuple[str, str]] = []
    for low, high in ((0, mark), (mark, width)):
        if low == mark:
            runs.append((TARGET_MARK, "bold"))
        filled = max(0, min(lead, high) - low)
        runs.append((LEADERSHIP_CELL * filled, LEADERSHIP_STYLE))
        runs.append((HANDS_ON_CELL * (high - low - filled), HANDS_ON_STYLE))
    return Styled(tuple(run for run in runs if run[0]))


def legend(target: float) -> Styled:
    """What the bar's cells mean: ``█ leadership  ▒ hands-on  │ target 70.0%``."""
    return Styled(
        (
            ("Bar: ", ""),
            (LEADERSHIP_CELL, LEADERSHIP_STYLE),
            (" leadership  ", ""),
            (HANDS_ON_CELL, HANDS_ON_STYLE),
            (" hands-on  ", ""),
            (TARGET_MARK, "bold"),
            (f" target {percent(target)}%  ", ""),
            (EMPTY_CELL, "dim"),
            (" no data", ""),
        )
    )


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
