"""The terminal report: a table of the weeks, with the split bar, and the footer.

Nothing here computes: numbers come from :mod:`leadtime.reports` and are only formatted.
Shares are shown as :func:`leadtime.units.percent` displays them, the same value the verdict
was judged on. User and calendar text (activity labels, tags) goes through
:func:`leadtime.text.safe`. Colours never carry meaning alone: the bar's cells differ in
shape, the verdict is words. The bar, its legend and the trend line are drawn by
:mod:`leadtime.render.charts`; the table by :mod:`leadtime.render.grid`, without Rich.

The width policy (``docs/views.md``): every number stays; as the width shrinks the table
gives way in this order: the bar narrows (20 to 10 cells), the frame goes, "(in progress)"
becomes "(so far)", the gaps between columns narrow, the headings shorten, the bar goes,
the verdict wraps after its label, breakdown labels are cut with ``…``. Only below about 50
columns do the Other and Unclassified columns go, and the footer then gives their totals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, NamedTuple

from leadtime.render.charts import (
    HANDS_ON_STYLE,
    LEADERSHIP_STYLE,
    TARGET_MARK,
    legend,
    spark,
    split_bar,
    trend_line,
)
from leadtime.render.grid import (
    BOXES,
    Block,
    Column,
    Grid,
    Line,
    Row,
    Styled,
    fitted_lines,
    plain_lines,
)
from leadtime.render.terminal import Terminal
from leadtime.render.words import (
    SEVERAL_TAGS,
    breakdown_rows,
    coverage_sentence,
    hours_text,
    hours_words,
    period,
    planned_sentences,
    share_text,
    unclassified_warning,
)
from leadtime.reports.numbers import CATEGORIES, Verdict, target_text
from leadtime.reports.records import Report, WeekRecord, aggregate_record
from leadtime.text import safe
from leadtime.units import percent

__all__ = [
    "HANDS_ON_STYLE",
    "LEADERSHIP_STYLE",
    "VERDICT_STYLES",
    "ReportTable",
    "legend",
    "report_table",
    "show_report",
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
_VERDICT_LEAST = 13  # the verdict column is never narrower (as wide as "too hands-off")
_SECONDARY = ("other", "unclassified")


class _Layout(NamedTuple):
    """One way to lay the table out; the views try them in order until one fits."""

    bar: int  # cells of the split bar; 0: no bar
    edge: bool  # the frame's outer lines (rounded, or blank for the compact table)
    so_far: bool = False  # "(so far)" for "(in progress)"
    tight: bool = False  # two spaces between columns instead of three
    short: bool = False  # short headings
    narrowed: bool = False  # labels cut with …, the verdict wrapped after its label
    secondary: bool = True  # the Other and Unclassified columns
    words: bool = False  # the verdict may wrap between any two words


_WIDE = [_Layout(20, True), _Layout(10, True)]
_COMPACT = [_Layout(10, True)]
_NARROW = [
    _Layout(10, False),
    _Layout(10, False, so_far=True),
    _Layout(10, False, so_far=True, tight=True),
    _Layout(10, False, so_far=True, tight=True, short=True),
    _Layout(0, False, so_far=True, tight=True, short=True),
    _Layout(0, False, so_far=True, tight=True, short=True, narrowed=True),
    _Layout(0, False, so_far=True, tight=True, short=True, narrowed=True, secondary=False),
    _Layout(0, False, True, True, True, narrowed=True, secondary=False, words=True),
]


def report_table(report: Report) -> ReportTable:
    """The report as a table with a footer of totals, folding, plan and warnings.

    One row per week: hours per category, the leadership share, a split bar against the
    target and the verdict (the current week is marked in progress). The last row is the
    period as a whole. From 8 weeks on the table is compact and a trend line of the weekly
    share follows it. With a breakdown (``report.by``) a row per label follows each week.
    The table is laid out for a width when it is printed (:meth:`ReportTable.lines`).
    """
    return ReportTable(report)


def show_report(report: Report, file: IO[str] | None = None) -> None:
    """Print the report table to ``file`` (standard output) at the terminal's width, in
    colour where the terminal takes it (:class:`~leadtime.render.terminal.Terminal`)."""
    terminal = Terminal.detect(file)
    terminal.write(report_table(report).lines(terminal.width), file)


class _Week(NamedTuple):
    """One row's cells: week, four categories, share, verdict (and with "(so far)")."""

    cells: tuple[str | Styled, ...]
    short_verdict: str | Styled
    share: float | None
    label: bool = False  # a breakdown line under a week: dim, no share, bar or verdict
    end_section: bool = False


def _verdict(record: WeekRecord, progress: str) -> Styled:
    style = VERDICT_STYLES[record.verdict]
    if record.complete:
        return Styled.of(record.verdict.label, style)
    return Styled(((record.verdict.label, style), (progress, f"{style} italic")))


class ReportTable(Block):
    """The report laid out for a width: the table, then the footer."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def lines(self, width: int) -> list[Line]:
        report = self.report
        compact = len(report.weeks) >= COMPACT_FROM
        weeks, total = self._weeks()
        grid: Grid | None = None
        layout = _NARROW[-1]
        for layout in [*(_COMPACT if compact else _WIDE), *_NARROW]:
            grid = self._grid(weeks, total, layout, compact)
            if grid.least_width() <= width:
                break
        assert grid is not None
        lines = fitted_lines(grid, width)
        for part in self._footer(compact, layout):
            lines.extend(plain_lines(part, width))
        return lines

    def _weeks(self) -> tuple[list[_Week], _Week | None]:
        report, by = self.report, self.report.by
        rows: list[_Week] = []
        for record in report.weeks:
            unclassified: str | Styled = hours_text(record.minutes["unclassified"])
            if record.unclassified_warning:
                unclassified = Styled.of(str(unclassified), "bold")
            labels = list(breakdown_rows(record, by))
            verdict = _verdict(record, IN_PROGRESS)
            cells = (
                record.week,
                *(hours_text(record.minutes[category]) for category in CATEGORIES[:3]),
                unclassified,
                share_text(record.leadership_share),
                verdict,
            )
            short = verdict if record.complete else _verdict(record, SO_FAR)
            rows.append(
                _Week(cells, short, record.leadership_share, end_section=bool(by) and not labels)
            )
            for n, (category, label, minutes) in enumerate(labels, start=1):
                hours = [""] * len(CATEGORIES)
                hours[CATEGORIES.index(category)] = hours_text(minutes)
                name = f"  {' '.join(safe(label).split())}"
                rows.append(
                    _Week((name, *hours, "", ""), "", None, True, end_section=n == len(labels))
                )
        if not report.weeks:
            return rows, None
        totals = report.totals
        overall = aggregate_record(report).verdict
        verdict = Styled.of(overall.label, VERDICT_STYLES[overall])
        cells = (
            Styled.of("Total", "bold"),
            *(hours_text(totals[category]) for category in CATEGORIES),
            share_text(report.average_share),
            verdict,
        )
        return rows, _Week(cells, verdict, report.average_share)

    def _grid(
        self, weeks: list[_Week], total: _Week | None, layout: _Layout, compact: bool
    ) -> Grid:
        report = self.report
        headings = SHORT_HEADINGS if layout.short else HEADINGS
        shown = [0, 1, 2, 3, 4, 5, 6] if layout.secondary else [0, 1, 2, 5, 6]
        week_floor = max([len(record.week) for record in report.weeks] + [len("Total")])
        columns = [
            Column("Week", most=WEEK_COLUMN, give=2 * layout.narrowed, floor=week_floor),
            *(Column(headings[name], right=True) for name in CATEGORIES),
            Column("Share", right=True),
            Column(
                "Verdict",
                least=_VERDICT_LEAST,
                give=1 * layout.narrowed,
                floor=self._verdict_floor(layout),
                overflow="wrap",
                snap=not layout.words,
            ),
        ]
        columns = [columns[i] for i in shown]
        if layout.bar:
            columns.insert(-1, Column(f"Split {TARGET_MARK} {percent(report.target)}%"))
        rows = []
        everything = [*weeks, *([total] if total else [])]
        for index, week in enumerate(everything):
            verdict = week.short_verdict if layout.so_far else week.cells[-1]
            cells = [[*week.cells[:-1], verdict][i] for i in shown]
            if layout.bar:
                bar = "" if week.label else split_bar(week.share, report.target, layout.bar)
                cells.insert(-1, bar)
            last_week = total is not None and index == len(weeks) - 1
            rows.append(
                Row(cells, "dim" if week.label else "", end_section=week.end_section or last_week)
            )
        by = f", by {report.by}" if report.by else ""
        framed = layout.edge and not compact
        return Grid(
            columns,
            rows,
            title=f"leadtime report {period(report)} ({report.timezone}), hours{by}",
            box=BOXES["rounded"] if framed else BOXES["simple-head"],
            edge=layout.edge,
            pad_edge=layout.edge,
            collapse=layout.tight,
        )

    def _verdict_floor(self, layout: _Layout) -> int:
        """How narrow the verdict column may get: its widest label (the progress mark
        wraps), or with ``layout.words`` its longest word."""
        labels = {record.verdict.label for record in self.report.weeks}
        if layout.words:
            return max((len(word) for label in labels for word in label.split()), default=1)
        return max((len(label) for label in labels), default=1)

    def _footer(self, compact: bool, layout: _Layout) -> Iterator[str | Styled]:
        report = self.report
        yield (
            f"Target {target_text(report)} leadership; share = leadership / (leadership + "
            f"hands-on).\nDouble-booked time folded: {hours_text(report.double_booked_minutes)} h."
        )
        if layout.bar:
            yield legend(report.target)
        if compact:
            yield Styled(
                (
                    ("Trend ", "bold"),
                    (
                        f"{trend_line(report)}  share per week, oldest first; target "
                        f"{percent(report.target)}% is {spark(report.target)}",
                        "",
                    ),
                )
            )
        if not layout.secondary and report.weeks:
            totals = report.totals
            yield (
                "Other and unclassified hours are left out at this width: "
                f"{hours_words(totals['other'])} other, "
                f"{hours_words(totals['unclassified'])} unclassified in total."
            )
        if report.several_tags:
            yield SEVERAL_TAGS[0].upper() + SEVERAL_TAGS[1:] + "."
        for sentence in planned_sentences(report):
            yield sentence[0].upper() + sentence[1:] + "."
        coverage = coverage_sentence(report)
        if coverage:
            yield coverage[0].upper() + coverage[1:] + "."
        warning = unclassified_warning(report)
        if warning:
            yield Styled.of(f"Warning: {warning}", "bold")
