"""The terminal report: a Rich table of the weeks, with the split bar, and the footer.

Nothing here computes: numbers come from :mod:`leadtime.reports` and are only formatted.
Shares are shown as :func:`leadtime.units.percent` displays them, the same value the verdict
was judged on. User and calendar text (activity labels, tags) goes through
:func:`leadtime.render.console.safe` and into :class:`rich.text.Text`, never through markup.
Colours never carry meaning alone: the bar's cells differ in shape, the verdict is words.
The bar, its legend and the trend line are drawn by :mod:`leadtime.render.charts` (their
names are re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from leadtime.render.charts import (
    HANDS_ON_STYLE,
    LEADERSHIP_STYLE,
    TARGET_MARK,
    legend,
    spark,
    split_bar,
    trend_line,
)
from leadtime.render.console import safe
from leadtime.render.layout import cell_segments, same_line, stacked_cells, table_width
from leadtime.render.words import (
    breakdown_rows,
    coverage_sentence,
    hours_text,
    period,
    planned_sentences,
    share_text,
    unclassified_warning,
)
from leadtime.reports.check import target_text
from leadtime.reports.numbers import CATEGORIES, Verdict
from leadtime.reports.records import Report, WeekRecord, aggregate_record
from leadtime.units import percent

__all__ = [
    "HANDS_ON_STYLE",
    "LEADERSHIP_STYLE",
    "VERDICT_STYLES",
    "legend",
    "report_table",
    "split_bar",
    "trend_line",
]

WEEK_COLUMN = 24  # labels longer than this are cut with an ellipsis
COMPACT_FROM = 8  # weeks: from here the table is compact and gets a trend line
HEADINGS = {"leadership": "Leadership", "hands-on": "Hands-on", "other": "Other",
            "unclassified": "Unclass."}  # fmt: skip
SHORT_HEADINGS = {"leadership": "Lead.", "hands-on": "Hands", "other": "Oth.",
                  "unclassified": "Uncl."}  # fmt: skip
VERDICT_STYLES = {
    Verdict.ON_TARGET: "bold blue",
    Verdict.TOO_HANDS_ON: "bold dark_orange",
    Verdict.TOO_HANDS_OFF: "bold magenta",
    Verdict.NOT_ENOUGH_DATA: "dim",
}
IN_PROGRESS, SO_FAR = " (in progress)", " (so far)"


def _verdict_text(record: WeekRecord, progress: str) -> Text:
    text = Text(record.verdict.label, style=VERDICT_STYLES[record.verdict])
    if not record.complete:
        text.append(progress, style="italic")
    return text


# --------------------------------------------------------------------------- report


def report_table(report: Report) -> RenderableType:
    """The report as a Rich table with a footer of totals, folding, plan and warnings.

    One row per week: hours per category, the leadership share, a split bar against the
    target and the verdict (the current week is marked in progress). The last row is the
    period as a whole. From 8 weeks on the table is compact and a trend line of the weekly
    share follows it. With a breakdown (``report.by``) a row per label follows each week. On a
    narrow console the table gives way in steps (a shorter bar, no edge, no Other and
    Unclassified columns, short headings, no bar) so that the share and the verdict are
    never cut.
    """
    return _ReportView(report, report.by)


_BAR = 6  # the index the split column takes when it is shown
_VERDICT_MIN_WIDTH = 13
_SECONDARY = frozenset({3, 4})  # Other, Unclass.: the first to go on a narrow terminal
_HOURS = frozenset({1, 2})  # Leadership, Hands-on: the last to go


@dataclass(frozen=True)
class _Layout:
    bar: int  # cells of the split bar; 0: no bar
    edge: bool
    dropped: frozenset[int] = frozenset()
    so_far: bool = False  # "(so far)" for "(in progress)"
    short: bool = False  # short headings


# The bar goes last: the edge and the secondary columns give way first, so that the split
# stays visible on an 80-column terminal.
_WIDE = [_Layout(20, True), _Layout(10, True)]
_COMPACT = [_Layout(10, True)]
_NARROW = [
    _Layout(10, False),
    _Layout(10, False, _SECONDARY),
    _Layout(10, False, _SECONDARY, so_far=True),
    _Layout(10, False, _SECONDARY, so_far=True, short=True),
    _Layout(0, False),
    _Layout(0, False, _SECONDARY),
    _Layout(0, False, _SECONDARY, so_far=True),
    _Layout(0, False, _SECONDARY, so_far=True, short=True),
    _Layout(0, False, _SECONDARY | _HOURS, so_far=True, short=True),
]


@dataclass(frozen=True)
class _Row:
    """The cells of one table row except the bar, and the share the bar shows."""

    cells: tuple[Text, ...]  # week, four categories, share, verdict
    share: float | None
    short_verdict: Text | None = None  # the verdict with "(so far)"
    activity: bool = False  # a label line under a week (dim, blank share and verdict)
    end_section: bool = False

    def shown(self, so_far: bool) -> tuple[Text, ...]:
        if so_far and self.short_verdict is not None:
            return (*self.cells[:-1], self.short_verdict)
        return self.cells


@dataclass(frozen=True)
class _ReportView:
    report: Report
    by: str | None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        compact = len(self.report.weeks) >= COMPACT_FROM
        rows, total = self._rows()
        heading = Text(f"Split {TARGET_MARK} {percent(self.report.target)}%")
        everything = [*rows, *([total] if total else [])]
        chosen: _Layout | None = None
        widths: list[int] = []
        for layout in [*(_COMPACT if compact else _WIDE), *_NARROW]:
            widths = self._widths(everything, layout, heading, bool(rows))
            if table_width(widths, layout.edge) <= options.max_width:
                chosen = layout
                break
        if chosen is None:  # too narrow even so: Rich shrinks and wraps the columns
            chosen = _NARROW[-1]
            yield self._table(rows, total, chosen, compact, None)
        else:
            fast = None
            if not self.by and rows and (compact or not chosen.edge):
                fast = self._laid_out(console, options, rows, total, chosen, compact, widths)
            yield self._table(rows, total, chosen, compact, widths) if fast is None else fast
        yield from self._footer(compact, bool(chosen.bar))

    @staticmethod
    def _widths(rows: list[_Row], layout: _Layout, heading: Text, bars: bool) -> list[int]:
        # Every cell is a single line, so a column's natural width is its widest cell.
        headings = SHORT_HEADINGS if layout.short else HEADINGS
        names = ["Week", *(headings[c] for c in CATEGORIES), "Share", "Verdict"]
        natural = [cell_len(name) for name in names]
        for row in rows:
            for index, cell in enumerate(row.shown(layout.so_far)):
                width = cell.cell_len
                if width > natural[index]:
                    natural[index] = width
        natural[0] = min(natural[0], WEEK_COLUMN)
        natural[-1] = max(natural[-1], _VERDICT_MIN_WIDTH)
        widths = [w for index, w in enumerate(natural) if index not in layout.dropped]
        if layout.bar:
            cells = layout.bar + 1 if bars else 0  # cells and the target mark
            widths.insert(_BAR - len(layout.dropped), max(cells, heading.cell_len))
        return widths

    def _rows(self) -> tuple[list[_Row], _Row | None]:
        report = self.report
        rows: list[_Row] = []
        blank = Text("")
        for record in report.weeks:
            unclassified = Text(hours_text(record.minutes["unclassified"]))
            if record.unclassified_warning:
                unclassified.stylize("bold")
            labels = list(breakdown_rows(record, self.by))
            cells = (
                Text(record.week),
                *(Text(hours_text(record.minutes[category])) for category in CATEGORIES[:3]),
                unclassified,
                Text(share_text(record.leadership_share)),
                _verdict_text(record, IN_PROGRESS),
            )
            short = None if record.complete else _verdict_text(record, SO_FAR)
            rows.append(
                _Row(
                    cells, record.leadership_share, short, end_section=bool(self.by) and not labels
                )
            )
            for n, (category, label, minutes) in enumerate(labels, start=1):
                hours = [blank] * len(CATEGORIES)
                hours[CATEGORIES.index(category)] = Text(hours_text(minutes))
                name = Text(f"  {' '.join(safe(label).split())}", no_wrap=True, overflow="ellipsis")
                rows.append(
                    _Row(
                        (name, *hours, blank, blank),
                        None,
                        activity=True,
                        end_section=n == len(labels),
                    )
                )
        if not report.weeks:
            return rows, None
        totals = report.totals
        overall = aggregate_record(report).verdict
        total = _Row(
            (
                Text("Total", style="bold"),
                *(Text(hours_text(totals[category])) for category in CATEGORIES),
                Text(share_text(report.average_share)),
                Text(overall.label, style=VERDICT_STYLES[overall]),
            ),
            report.average_share,
        )
        return rows, total

    def _table(
        self,
        rows: list[_Row],
        total: _Row | None,
        layout: _Layout,
        compact: bool,
        widths: list[int] | None,
    ) -> Table:
        """The table; ``widths`` fixes every column's width (None: Rich measures the cells)."""
        report = self.report
        by = f", by {self.by}" if self.by else ""
        edge, dropped = layout.edge, layout.dropped
        table = Table(
            title=Text(f"leadtime report {period(report)} ({report.timezone}), hours{by}"),
            box=box.SIMPLE_HEAD if compact or not edge else box.ROUNDED,
            show_edge=edge,
            pad_edge=edge,
            header_style="bold",
            title_style="bold",
        )
        fixed = iter(widths) if widths is not None else None

        def width() -> int | None:
            return next(fixed) if fixed is not None else None

        headings = SHORT_HEADINGS if layout.short else HEADINGS
        table.add_column("Week", no_wrap=True, max_width=WEEK_COLUMN, width=width())
        for index, category in enumerate(CATEGORIES, start=1):
            if index not in dropped:
                table.add_column(headings[category], justify="right", no_wrap=True, width=width())
        table.add_column("Share", justify="right", no_wrap=True, width=width())
        if layout.bar:
            table.add_column(
                f"Split {TARGET_MARK} {percent(report.target)}%", no_wrap=True, width=width()
            )
        # With fixed widths every cell fits its column: nothing wraps, and saying so saves
        # Rich the search for places to wrap the verdicts.
        table.add_column(
            "Verdict", min_width=_VERDICT_MIN_WIDTH, no_wrap=widths is not None, width=width()
        )
        bar_at = _BAR - len(dropped)

        def cells(row: _Row) -> list[Text]:
            shown = row.shown(layout.so_far)
            found = [cell for index, cell in enumerate(shown) if index not in dropped]
            if layout.bar:
                bar = Text("") if row.activity else split_bar(row.share, report.target, layout.bar)
                found.insert(bar_at, bar)
            return found

        if widths is not None and not self.by and rows:
            # Fixed widths and one line per week: the weeks can go in as one row of
            # multi-line cells, which Rich lays out once instead of once per week.
            columns = zip(*(cells(row) for row in rows), strict=True)
            right = [column.justify == "right" for column in table.columns]
            table.add_row(
                *(
                    stacked_cells(column, size, at_right)
                    for column, size, at_right in zip(columns, widths, right, strict=True)
                )
            )
        else:
            for row in rows:
                table.add_row(
                    *cells(row), style="dim" if row.activity else None, end_section=row.end_section
                )
        if total is not None:
            table.add_section()
            table.add_row(*cells(total))
        return table

    def _laid_out(
        self,
        console: Console,
        options: ConsoleOptions,
        rows: list[_Row],
        total: _Row | None,
        layout: _Layout,
        compact: bool,
        widths: list[int],
    ) -> Segments | None:
        """The table with the weeks laid out here, one line each, from the fixed widths.

        Rich lays out the title, the header, the first week and the total (a table of one
        week); the other weeks' lines are made the same way as the first, which must come
        out exactly as Rich made it (None otherwise: let Rich lay out every week). For 520
        weeks this is a tenth of the time Rich takes. Only for the tables without a border
        (every column divider is a space).
        """
        table = self._table(rows[:1], total, layout, compact, widths)
        lines = list(Segment.split_lines(console.render(table, options)))
        # from the end: the first week, the blank line before the total, the total, the edge
        at = len(lines) - (4 if layout.edge else 3)
        dropped = layout.dropped
        bar_at = _BAR - len(dropped)
        right = [column.justify == "right" for column in table.columns]
        cached: dict[tuple[object, ...], list[Segment]] = {}
        edge = layout.edge
        last = len(widths) - 1

        def line(row: _Row) -> list[Segment] | None:
            shown = row.shown(layout.so_far)
            cells = [cell for index, cell in enumerate(shown) if index not in dropped]
            if layout.bar:
                cells.insert(bar_at, split_bar(row.share, self.report.target, layout.bar))
            found: list[Segment] = []
            plain = " " if edge else ""
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
                room = width - cell.cell_len
                if room < 0:
                    return None
                if edge or index:
                    plain += " "
                if not cell.style and not cell.spans:
                    plain += " " * room + cell.plain if right[index] else cell.plain + " " * room
                else:
                    key = (cell.plain, cell.style, *cell.spans, width, right[index])
                    styled = cached.get(key)
                    if styled is None:
                        styled = cached[key] = cell_segments(console, cell, room, right[index])
                    found.append(Segment(plain))
                    found.extend(styled)
                    plain = ""
                if index < last or edge:  # the right padding, then the divider or the edge
                    plain += "  "
            found.append(Segment(plain))
            return found

        made = [line(row) for row in rows]
        if at < 0 or made[0] is None or not same_line(made[0], lines[at]):
            return None
        segments: list[Segment] = []
        newline = Segment.line()
        for part in (lines[:at], made, lines[at + 1 :]):
            for found in part:
                if found is None:
                    return None
                segments.extend(found)
                segments.append(newline)
        return Segments(segments)

    def _footer(self, compact: bool, bar: bool) -> Iterator[RenderableType]:
        report = self.report
        yield Text(
            f"Target {target_text(report)} leadership; share = leadership / (leadership + "
            f"hands-on).\nDouble-booked time folded: {hours_text(report.double_booked_minutes)} h."
        )
        if bar:
            yield legend(report.target)
        if compact:
            trend = Text("Trend ", style="bold")
            trend.append(trend_line(report))
            trend.append(
                f"  share per week, oldest first; target {percent(report.target)}% is "
                f"{spark(report.target)}"
            )
            yield trend
        for sentence in planned_sentences(report):
            yield Text(sentence[0].upper() + sentence[1:] + ".")
        coverage = coverage_sentence(report)
        if coverage:
            yield Text(coverage[0].upper() + coverage[1:] + ".")
        warning = unclassified_warning(report)
        if warning:
            yield Text(f"Warning: {warning}", style="bold")
