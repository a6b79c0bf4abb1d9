"""Turn reports and check results into tables, bars, JSON, CSV, Markdown, SVG and CI output.

Nothing here computes: numbers come from :mod:`leadtime.reports` and are only formatted.
Shares are shown as :func:`leadtime.reports.split.percent` displays them, the same value the
verdict was judged on. Functions return strings or Rich renderables and never force colour:
the console that prints them decides (no colour when the output is not a terminal).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Span, Text

from leadtime.reports.check import CheckResult, CheckWeek, target_text
from leadtime.reports.split import (
    CATEGORIES,
    Report,
    Verdict,
    WeekRecord,
    aggregate_record,
    band,
    percent,
    round_half_up,
    to_json_dict,
    week_json,
)
from leadtime.units import format_hours

__all__ = [
    "check_github",
    "check_json",
    "check_junit",
    "check_text",
    "render_text",
    "report_csv",
    "report_json",
    "report_markdown",
    "report_svg_text",
    "report_table",
    "share_text",
    "split_bar",
    "trend_line",
]

COVERAGE_HINT = "run 'leadtime rules coverage'"
WEEK_COLUMN = 24  # activity labels longer than this are cut with an ellipsis
COMPACT_FROM = 8  # weeks: from here the table is compact and gets a trend line
LEADERSHIP_CELL, HANDS_ON_CELL, TARGET_MARK, EMPTY_CELL = "█", "▒", "│", "·"
SPARKS = "▁▂▃▄▅▆▇█"
HEADINGS = {
    "leadership": "Leadership",
    "hands-on": "Hands-on",
    "other": "Other",
    "unclassified": "Unclass.",
}
VERDICT_STYLES = {
    Verdict.ON_TARGET: "green",
    Verdict.TOO_HANDS_ON: "yellow",
    Verdict.TOO_HANDS_OFF: "magenta",
    Verdict.NOT_ENOUGH_DATA: "dim",
}


# --------------------------------------------------------------------------- small pieces


hours_text = format_hours


def share_text(share: float | None) -> str:
    """A share as displayed everywhere: ``70.7%``, or ``-`` without classified time."""
    return "-" if share is None else f"{percent(share)}%"


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
            styles.append("cyan")
        else:
            chars.append(HANDS_ON_CELL)
            styles.append("yellow")
    if mark == width:
        chars.append(TARGET_MARK)
        styles.append("bold")
    return "".join(chars), tuple(Span(i, i + 1, style) for i, style in enumerate(styles))


def trend_line(report: Report) -> str:
    """The share of each week as a sparkline, oldest first (``·`` for a week without data).

    The eight levels are eighths of 0 to 100%: ``▁`` below 12.5%, ``█`` from 87.5%.
    """
    return "".join(_spark(record.leadership_share) for record in report.weeks)


def _spark(share: float | None) -> str:
    if share is None:
        return EMPTY_CELL
    return SPARKS[min(int(share * len(SPARKS)), len(SPARKS) - 1)]


def _verdict_text(record: WeekRecord) -> Text:
    verdict = Verdict(record.verdict)
    text = Text(verdict.label, style=VERDICT_STYLES[verdict])
    if not record.complete:
        text.append(" (in progress)", style="italic")
    return text


def _period(report: Report) -> str:
    if not report.weeks:
        return "no weeks"
    first, last = report.weeks[0].week, report.weeks[-1].week
    return first if first == last else f"{first}..{last}"


def _unclassified_warning(report: Report) -> str | None:
    share = report.unclassified_share
    if report.unclassified_warning and share is not None:
        return f"{share_text(share)} of the time is unclassified; {COVERAGE_HINT}"
    flagged = [record.week for record in report.weeks if record.unclassified_warning]
    if flagged:
        named = ", ".join(flagged[:4]) + (
            f" and {len(flagged) - 4} more" if len(flagged) > 4 else ""
        )
        return f"more than 10% unclassified in {named}; {COVERAGE_HINT}"
    return None


def _activity_rows(record: WeekRecord) -> Iterator[tuple[str, str, float]]:
    """(category, activity, minutes) in category order, largest activity first."""
    for category in CATEGORIES:
        for label, minutes in record.activities.get(category, {}).items():
            yield category, label, minutes


# --------------------------------------------------------------------------- report


def report_table(report: Report, *, by_activity: bool = False) -> RenderableType:
    """The report as a Rich table with a footer of totals, folding and warnings.

    One row per week: hours per category, the leadership share, a split bar against the
    target and the verdict (the current week is marked in progress). The last row is the
    period as a whole. From 8 weeks on the table is compact and a trend line of the weekly
    share follows it. ``by_activity`` adds a row per activity under each week. The bar
    narrows, then goes, when the console is too narrow for it.
    """
    return _ReportView(report, by_activity)


_COLUMNS = ("Week", *(HEADINGS[category] for category in CATEGORIES), "Share", "Verdict")
_BAR = 6  # the index the split column takes when it is shown
_VERDICT_MIN_WIDTH = 13
_SECONDARY = frozenset({3, 4})  # Other, Unclass.: the first to go on a narrow terminal


@dataclass(frozen=True)
class _Row:
    """The cells of one table row except the bar, and the share the bar shows."""

    cells: tuple[Text, ...]  # week, four categories, share, verdict
    share: float | None
    activity: bool = False  # an activity line under a week (dim, blank share and verdict)
    end_section: bool = False


@dataclass(frozen=True)
class _ReportView:
    report: Report
    by_activity: bool

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        compact = len(self.report.weeks) >= COMPACT_FROM
        layouts = [(10, True), (0, True)] if compact else [(20, True), (10, True), (0, True)]
        rows, total = self._rows(console, options)
        heading = Text(f"Split {TARGET_MARK} {percent(self.report.target)}%")
        # Every cell is a single line, so a column's natural width is its widest cell:
        # computed here once instead of Rich measuring every cell for every layout.
        natural = [cell_len(name) for name in _COLUMNS]
        for row in (*rows, *([total] if total else [])):
            for index, cell in enumerate(row.cells):
                width = cell.cell_len
                if width > natural[index]:
                    natural[index] = width
        natural[0] = min(natural[0], WEEK_COLUMN)
        natural[-1] = max(natural[-1], _VERDICT_MIN_WIDTH)
        # Narrower and narrower: a shorter bar, no bar, no edge, and last without the Other
        # and Unclassified columns (the footer and the other formats still carry them), so
        # that the share and the verdict are never cut.
        tiers = [(bar, edge, frozenset[int]()) for bar, edge in [*layouts, (0, False)]]
        for bar_width, edge, dropped in [*tiers, (0, False, _SECONDARY)]:
            widths = [w for index, w in enumerate(natural) if index not in dropped]
            if bar_width:
                bars = bar_width + 1 if rows else 0  # cells and the target mark
                widths.insert(_BAR, max(bars, heading.cell_len))
            if _table_width(widths, edge) <= options.max_width:
                yield self._table(rows, total, bar_width, compact, edge, widths, dropped)
                break
        else:  # too narrow even so: Rich shrinks and wraps the columns
            yield self._table(rows, total, 0, compact, False, None, _SECONDARY)
        yield from self._footer(compact)

    def _rows(self, console: Console, options: ConsoleOptions) -> tuple[list[_Row], _Row | None]:
        report = self.report
        rows: list[_Row] = []
        blank = Text("")
        for record in report.weeks:
            unclassified = Text(hours_text(record.minutes["unclassified"]))
            if record.unclassified_warning:
                unclassified.stylize("bold yellow")
            activities = list(_activity_rows(record)) if self.by_activity else []
            cells = (
                Text(record.week),
                *(Text(hours_text(record.minutes[category])) for category in CATEGORIES[:3]),
                unclassified,
                Text(share_text(record.leadership_share)),
                _verdict_text(record),
            )
            rows.append(
                _Row(
                    cells, record.leadership_share, end_section=self.by_activity and not activities
                )
            )
            for n, (category, label, minutes) in enumerate(activities, start=1):
                hours = [blank] * len(CATEGORIES)
                hours[CATEGORIES.index(category)] = Text(hours_text(minutes))
                # a label is a string cell: Rich reads it as console markup, as it always has
                name = console.render_str(f"  {label}", highlight=False, markup=options.markup)
                rows.append(
                    _Row(
                        (name, *hours, blank, blank),
                        None,
                        activity=True,
                        end_section=n == len(activities),
                    )
                )
        if not report.weeks:
            return rows, None
        totals = report.totals
        overall = Verdict(aggregate_record(report).verdict)
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
        bar_width: int,
        compact: bool,
        edge: bool,
        widths: list[int] | None,
        dropped: frozenset[int] = frozenset(),
    ) -> Table:
        """The table; ``widths`` fixes every column's width (None: Rich measures the cells)."""
        report = self.report
        table = Table(
            title=f"leadtime report {_period(report)} ({report.timezone}), hours",
            box=box.SIMPLE_HEAD if compact or not edge else box.ROUNDED,
            show_edge=edge,
            pad_edge=edge,
            header_style="bold",
            title_style="bold",
        )
        fixed = iter(widths) if widths is not None else None

        def width() -> int | None:
            return next(fixed) if fixed is not None else None

        table.add_column("Week", no_wrap=True, max_width=WEEK_COLUMN, width=width())
        for index, category in enumerate(CATEGORIES, start=1):
            if index not in dropped:
                table.add_column(HEADINGS[category], justify="right", no_wrap=True, width=width())
        table.add_column("Share", justify="right", no_wrap=True, width=width())
        if bar_width:
            table.add_column(
                f"Split {TARGET_MARK} {percent(report.target)}%", no_wrap=True, width=width()
            )
        # With fixed widths every cell fits its column: nothing wraps, and saying so saves
        # Rich the search for places to wrap the verdicts.
        table.add_column(
            "Verdict", min_width=_VERDICT_MIN_WIDTH, no_wrap=widths is not None, width=width()
        )

        def cells(row: _Row) -> list[Text]:
            found = [cell for index, cell in enumerate(row.cells) if index not in dropped]
            if bar_width:
                bar = Text("") if row.activity else split_bar(row.share, report.target, bar_width)
                found.insert(_BAR, bar)
            return found

        if widths is not None and not self.by_activity and rows:
            # Fixed widths and one line per week: the weeks can go in as one row of
            # multi-line cells, which Rich lays out once instead of once per week.
            columns = zip(*(cells(row) for row in rows), strict=True)
            right = [column.justify == "right" for column in table.columns]
            table.add_row(
                *(
                    _lines(column, size, at_right)
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

    def _footer(self, compact: bool) -> Iterator[RenderableType]:
        report = self.report
        yield Text(
            f"Target {target_text(report)} leadership; share = leadership / (leadership + "
            f"hands-on).\nDouble-booked time folded: {hours_text(report.double_booked_minutes)} h."
        )
        if compact:
            trend = Text("Trend ", style="bold")
            trend.append(trend_line(report))
            trend.append(
                f"  share per week, oldest first; target {percent(report.target)}% is "
                f"{_spark(report.target)}"
            )
            yield trend
        warning = _unclassified_warning(report)
        if warning:
            yield Text(f"Warning: {warning}", style="bold yellow")


def _lines(cells: Iterable[Text], width: int, right: bool) -> Text:
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


def _table_width(widths: list[int], edge: bool) -> int:
    """The width of a table whose columns are ``widths`` wide (one space of padding each
    side, none at the edges without them) with a vertical line between the columns."""
    padding = 2 * len(widths) - (0 if edge else 2)
    return sum(widths) + padding + len(widths) - 1 + (2 if edge else 0)


def render_text(renderable: RenderableType, *, width: int = 120) -> str:
    """Render to plain text at ``width`` columns, without colour (for files and tests)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, legacy_windows=False
    )
    console.print(renderable)
    return buffer.getvalue()


def report_json(report: Report) -> str:
    """The report in the stable JSON form of SPEC §6."""
    return json.dumps(to_json_dict(report), indent=2, ensure_ascii=False)


CSV_HEADER = (
    "week",
    "start",
    "end",
    "complete",
    "leadership",
    "hands_on",
    "other",
    "unclassified",
    "leadership_share",
    "double_booked",
    "verdict",
)


def report_csv(report: Report) -> str:
    """One row per week; minutes with one decimal, the share with four (empty without data)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for record in report.weeks:
        share = record.leadership_share
        writer.writerow(
            [
                record.week,
                record.start.isoformat(),
                record.end.isoformat(),
                "true" if record.complete else "false",
                *(round_half_up(record.minutes[category], 1) for category in CATEGORIES),
                "" if share is None else round_half_up(share, 4),
                round_half_up(record.double_booked_minutes, 1),
                record.verdict,
            ]
        )
    return buffer.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def report_markdown(report: Report, *, by_activity: bool = False) -> str:
    """The report as a Markdown table (GitHub flavour) with the footer as text."""
    lines = [
        f"## leadtime report {_period(report)} ({report.timezone})",
        "",
        "| Week | Leadership h | Hands-on h | Other h | Unclassified h | Share | Verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for record in report.weeks:
        verdict = Verdict(record.verdict).label + ("" if record.complete else " (in progress)")
        hours = " | ".join(hours_text(record.minutes[category]) for category in CATEGORIES)
        lines.append(
            f"| {record.week} | {hours} | {share_text(record.leadership_share)} | {verdict} |"
        )
        if by_activity:
            for category, label, minutes in _activity_rows(record):
                cells = ["" for _ in CATEGORIES]
                cells[CATEGORIES.index(category)] = hours_text(minutes)
                lines.append(f"| &nbsp;&nbsp;{_md(label)} | {' | '.join(cells)} | | |")
    if report.weeks:
        totals = " | ".join(hours_text(report.totals[category]) for category in CATEGORIES)
        verdict = Verdict(aggregate_record(report).verdict).label
        lines.append(f"| **Total** | {totals} | {share_text(report.average_share)} | {verdict} |")
    lines += [
        "",
        f"Target {target_text(report)} leadership. "
        f"Double-booked time folded: {hours_text(report.double_booked_minutes)} h.",
    ]
    warning = _unclassified_warning(report)
    if warning:
        lines += ["", f"> **Warning:** {_md(warning)}"]
    return "\n".join(lines) + "\n"


def report_svg_text(report: Report, *, by_activity: bool = False, width: int = 120) -> str:
    """The report table as an SVG picture."""
    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(report_table(report, by_activity=by_activity))
    return console.export_svg(title=f"leadtime report {_period(report)}")


# --------------------------------------------------------------------------- check


def _status(week: CheckWeek) -> str:
    return {True: "pass", False: "FAIL", None: "skip"}[week.passed]


def check_text(result: CheckResult) -> str:
    """One line per judged week (status, week, share against the band, hours), then the summary."""
    lines = []
    for week in result.weeks:
        record = week.record
        lines.append(
            f"{_status(week)}  {record.week}  {week.reason}  "
            f"[{hours_text(record.classified_minutes)} h classified]"
        )
    lines.append(result.summary)
    return "\n".join(lines) + "\n"


def check_json(result: CheckResult) -> str:
    """The judged week records (SPEC §6 form) with ``passed`` and ``reason``, and the outcome."""
    report = result.report
    low, high = band(report.target, report.tolerance)
    data: dict[str, Any] = {
        "timezone": report.timezone,
        "target": report.target,
        "tolerance": report.tolerance,
        "min_hours": report.min_hours,
        "band": [float(low) / 100, float(high) / 100],
        "average": result.average,
        "passed": result.passed,
        "exit_code": int(result.exit_code),
        "summary": result.summary,
        "weeks": [
            {**week_json(week.record), "passed": week.passed, "reason": week.reason}
            for week in result.weeks
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def escape_data(text: str) -> str:
    """Escape the message of a GitHub Actions workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``title=...``) of a GitHub Actions workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(result: CheckResult) -> tuple[str, str]:
    """GitHub Actions output: workflow-command lines, and a Markdown job summary.

    A breach is an ``::error``, a pass a ``::notice``, a week without enough data a
    ``::warning``. The summary is meant for ``$GITHUB_STEP_SUMMARY``.
    """
    command = {True: "notice", False: "error", None: "warning"}
    lines = [
        f"::{command[week.passed]} title={escape_property(f'leadtime check {week.record.week}')}"
        f"::{escape_data(week.reason)}"
        for week in result.weeks
    ]
    lines.append(f"::{command[result.passed]} title=leadtime check::{escape_data(result.summary)}")
    heading = {True: "on target", False: "off target", None: "not enough data"}[result.passed]
    summary = [
        f"### leadtime check: {heading}",
        "",
        f"Target {target_text(result.report)} leadership.",
        "",
        "| Week | Share | Verdict | Classified h | Result |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for week in result.weeks:
        record = week.record
        summary.append(
            f"| {record.week} | {share_text(record.leadership_share)} "
            f"| {Verdict(record.verdict).label} | {hours_text(record.classified_minutes)} "
            f"| {_status(week)}: {_md(week.reason)} |"
        )
    summary += ["", _md(result.summary)]
    return "\n".join(lines) + "\n", "\n".join(summary) + "\n"


def check_junit(result: CheckResult) -> str:
    """JUnit XML: one test case per judged week; a breach fails, missing data is skipped."""
    failures = sum(week.passed is False for week in result.weeks)
    skipped = sum(week.passed is None for week in result.weeks)
    counts = {
        "tests": str(len(result.weeks)),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(skipped),
    }
    root = ET.Element("testsuites", {"name": "leadtime", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "leadtime check", **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="target", value=target_text(result.report))
    ET.SubElement(properties, "property", name="timezone", value=result.report.timezone)
    for week in result.weeks:
        case = ET.SubElement(
            suite, "testcase", classname="leadtime.check", name=week.record.week, time="0"
        )
        if week.passed is False:
            off = week.record.verdict in (Verdict.TOO_HANDS_ON, Verdict.TOO_HANDS_OFF)
            kind = week.record.verdict if off else "unclassified"
            failure = ET.SubElement(case, "failure", message=week.reason, type=kind)
            failure.text = week.reason
        elif week.passed is None:
            ET.SubElement(case, "skipped", message=week.reason)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
