"""``leadtime report`` (the weekly split) and ``leadtime check`` (the 70/30 gate)."""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from leadtime.cli.common import (
    console,
    from_option,
    get_state,
    resolve_weeks,
    to_option,
    week_option,
    weeks_option,
)
from leadtime.cli.state import State
from leadtime.entry import Origin
from leadtime.errors import UsageError

if TYPE_CHECKING:
    from leadtime.reports import Report


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class Breakdown(StrEnum):
    activity = "activity"


def _tz_option() -> Any:
    return typer.Option(None, "--tz", metavar="ZONE", help="Report time zone (IANA name).")


def _calendar_option() -> Any:
    return typer.Option(None, "--calendar", help="Only entries of this calendar.")


def _source_option() -> Any:
    return typer.Option(None, "--source", "-s", help="Only log, timer or ics entries.")


def build(
    state: State,
    mondays: list[date],
    *,
    calendar: str | None,
    source: Origin | None,
    target: float | None = None,
    tolerance: float | None = None,
    min_hours: float | None = None,
) -> Report:
    """Read the spans of the weeks in one query and fold them into week records."""
    from leadtime.reports import build_report, spans_window
    from leadtime.store.schema import EntryFilter

    settings = state.settings
    start, end = spans_window(mondays, state.tz)
    where = EntryFilter(start, end, origin=source.value if source else None, calendar=calendar)
    spans = state.spans(where)
    return build_report(
        spans,
        mondays,
        tz=state.tz,
        now=state.now,
        target=(settings.target if target is None else target) / 100,
        tolerance=(settings.tolerance if tolerance is None else tolerance) / 100,
        min_hours=settings.min_hours if min_hours is None else min_hours,
    )


def report(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    tz: str | None = _tz_option(),
    calendar: str | None = _calendar_option(),
    source: Origin | None = _source_option(),
    by: Breakdown | None = typer.Option(None, "--by", help="Break categories down by activity."),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f"),
    svg: Path | None = typer.Option(
        None, "--svg", metavar="FILE", help="Also save the table as SVG."
    ),
) -> None:
    """The weekly split: default the last 4 complete weeks plus the current one."""
    from leadtime import render

    state = get_state(ctx, tz=tz)
    mondays = resolve_weeks(state, week, weeks, from_, to, default=4)
    result = build(state, mondays, calendar=calendar, source=source)
    by_activity = by is Breakdown.activity
    if fmt is ReportFormat.json:
        typer.echo(render.report_json(result))
    elif fmt is ReportFormat.csv:
        typer.echo(render.report_csv(result), nl=False)
    elif fmt is ReportFormat.markdown:
        typer.echo(render.report_markdown(result, by_activity=by_activity), nl=False)
    else:
        from rich.console import Console

        Console().print(render.report_table(result, by_activity=by_activity))
    if svg is not None:
        render.report_svg(result, svg, by_activity=by_activity)
        console(stderr=True).print(f"saved the table as {svg}")


def check(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = typer.Option(
        None, "--weeks", min=1, max=520, help="Judge each of the last N complete weeks."
    ),
    average: bool = typer.Option(False, "--average", help="Judge the N weeks as one aggregate."),
    target: float | None = typer.Option(
        None, "--target", min=0, max=100, help="Leadership target in percent (config: 70)."
    ),
    tolerance: float | None = typer.Option(
        None, "--tolerance", min=0, max=100, help="Allowed distance in points (config: 5)."
    ),
    min_hours: float | None = typer.Option(
        None, "--min-hours", min=0, max=168, help="Classified hours a week needs (config: 4)."
    ),
    max_unclassified: float | None = typer.Option(
        None,
        "--max-unclassified",
        metavar="PCT",
        min=0,
        max=100,
        help="Fail when more of the time than this is unclassified.",
    ),
    tz: str | None = _tz_option(),
    calendar: str | None = _calendar_option(),
    source: Origin | None = _source_option(),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f"),
    junit: Path | None = typer.Option(None, "--junit", metavar="FILE", help="Write JUnit XML."),
) -> None:
    """Gate on the 70/30 split: judges the last complete week by default.

    Exit codes: 0 on target, 1 off target (a breach), 2 usage error, 3 bad configuration or
    rules file, 4 bad input or storage error, 5 not enough data to judge, 70 internal error.
    """
    from leadtime import render
    from leadtime.reports import judge

    state = get_state(ctx, tz=tz)
    if average and not weeks:
        raise UsageError("--average judges several weeks together", hint="add --weeks N")
    mondays = resolve_weeks(state, week, weeks, None, None, default=1, complete_only=True)
    result = judge(
        build(
            state,
            mondays,
            calendar=calendar,
            source=source,
            target=target,
            tolerance=tolerance,
            min_hours=min_hours,
        ),
        average=average,
        max_unclassified=(
            state.settings.max_unclassified if max_unclassified is None else max_unclassified
        ),
    )
    if fmt is CheckFormat.json:
        typer.echo(render.check_json(result))
    elif fmt is CheckFormat.github:
        lines, summary = render.check_github(result)
        typer.echo(lines)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with Path(summary_file).open("a", encoding="utf-8") as handle:
                handle.write(summary)
    else:
        typer.echo(render.check_text(result))
    if junit is not None:
        from leadtime.config import write_private_file

        write_private_file(junit, render.check_junit(result))
    sys.exit(int(result.exit_code))


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Reports")(report)
    app.command(rich_help_panel="Reports")(check)
