"""``leadtime report`` (the weekly split) and ``leadtime check`` (the 70/30 gate)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from leadtime.app import reporting as app
from leadtime.cli.options import (
    console,
    force_option,
    from_option,
    period,
    to_option,
    tz_option,
    week_option,
    weeks_option,
    workspace,
    write_output,
)
from leadtime.entry import Origin


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
    tag = "tag"
    source = "source"


def _calendar_option() -> Any:
    return typer.Option(None, "--calendar", metavar="NAME", help="Only entries of this calendar.")


def _source_option() -> Any:
    return typer.Option(None, "--source", "-s", help="Only entries of this origin.")


def report(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    tz: str | None = tz_option(),
    calendar: str | None = _calendar_option(),
    source: Origin | None = _source_option(),
    by: Breakdown | None = typer.Option(
        None, "--by", help="Break each week down by activity, tag or source."
    ),
    fmt: ReportFormat = typer.Option(
        ReportFormat.table, "--format", "-f", help="table, json, csv or markdown."
    ),
    svg: Path | None = typer.Option(
        None, "--svg", metavar="FILE", help="Also save the table as SVG."
    ),
    force: bool = force_option(),
) -> None:
    """The weekly split: by default the last 4 complete weeks plus the current one.

    Examples:

      leadtime report

      leadtime report --weeks 12 --format json
    """
    from leadtime import render

    ws = workspace(ctx, tz=tz, refresh=False)
    filters = app.Filters(calendar, source.value if source else None, by.value if by else None)
    detail = fmt is not ReportFormat.table  # a table prints hours per category only
    result = app.weekly_report(ws, period(week, weeks, from_, to), filters, detail=detail)
    if svg is not None:  # refuse a bad target before printing anything
        write_output(ws, svg, render.report_svg_text(result), force=force)
    if fmt is ReportFormat.json:
        typer.echo(render.report_json(result))
    elif fmt is ReportFormat.csv:
        typer.echo(render.report_csv(result), nl=False)
    elif fmt is ReportFormat.markdown:
        typer.echo(render.report_markdown(result), nl=False)
    else:
        render.show_report(result)
    if svg is not None:
        console(stderr=True).print(f"saved the table as {svg}")


def check(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = typer.Option(
        None, "--weeks", metavar="N", min=1, max=520, help="Judge each of the last N weeks."
    ),
    average: bool = typer.Option(False, "--average", help="Judge the N weeks as one aggregate."),
    target: float | None = typer.Option(
        None, "--target", metavar="PCT", min=1, max=99, help="Leadership target (config: 70)."
    ),
    tolerance: float | None = typer.Option(
        None, "--tolerance", metavar="POINTS", min=0, max=50, help="Allowed distance (config: 5)."
    ),
    min_hours: float | None = typer.Option(
        None, "--min-hours", metavar="H", min=0, max=168, help="Classified hours a week needs."
    ),
    max_unclassified: float | None = typer.Option(
        None,
        "--max-unclassified",
        metavar="PCT",
        min=0,
        max=100,
        help="Fail when more of the time than this is unclassified.",
    ),
    tz: str | None = tz_option(),
    calendar: str | None = _calendar_option(),
    source: Origin | None = _source_option(),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text, json, github."),
    junit: Path | None = typer.Option(None, "--junit", metavar="FILE", help="Write JUnit XML."),
    force: bool = force_option(),
    ahead: bool = typer.Option(
        False, "--ahead", help="Judge next week's plan (off track 1, at risk warns, 5 no data)."
    ),
) -> None:
    """Gate on the 70/30 split: judges the last complete week by default.

    With --ahead it judges next week's plan instead (see 'leadtime plan'): off track exits 1,
    at risk passes with a warning, no calendar or no working time exits 5.

    Exit codes: 0 on target, 1 off target (a breach), 2 usage error, 3 bad configuration or
    rules file, 4 bad input or storage error, 5 not enough data to judge, 70 internal error.

    Examples:

      leadtime check

      leadtime check --weeks 4 --format github --junit leadtime.xml

      leadtime check --ahead
    """
    from leadtime import render

    ws = workspace(ctx, tz=tz, refresh=False)
    if ahead:
        _refuse_with_ahead(
            week=week, weeks=weeks, average=average, max_unclassified=max_unclassified
        )
        filters = app.Filters(calendar, source.value if source else None)
        _check_ahead(ws, filters, app.Judging(target, tolerance, min_hours), fmt, junit, force)
        return
    result = app.check(
        ws,
        period(week, weeks, None, None),
        app.Filters(calendar, source.value if source else None),
        app.Judging(target, tolerance, min_hours, max_unclassified),
        average=average,
    )
    if junit is not None:
        write_output(ws, junit, render.check_junit(result), force=force)
    if fmt is CheckFormat.json:
        typer.echo(render.check_json(result))
    elif fmt is CheckFormat.github:
        lines, summary = render.check_github(result)
        typer.echo(lines)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            _append_summary(Path(summary_file), summary)
    else:
        typer.echo(render.check_text(result))
    sys.exit(int(result.exit_code))


def _refuse_with_ahead(**chosen: object) -> None:
    from leadtime.errors import UsageError

    for name, value in chosen.items():
        if value not in (None, False):
            option = "--" + name.replace("_", "-")
            raise UsageError(f"--ahead judges next week; it cannot be combined with {option}")


def _check_ahead(
    ws: Any, filters: app.Filters, judging: app.Judging, fmt: CheckFormat, junit: Path | None,
    force: bool,
) -> None:  # fmt: skip
    from leadtime.app.planning import check_ahead
    from leadtime.cli.options import warn
    from leadtime.render import plan as render

    result = check_ahead(ws, filters, judging)
    if junit is not None:
        write_output(ws, junit, render.ahead_junit(result), force=force)
    if fmt is CheckFormat.json:
        typer.echo(render.ahead_json(result))
    elif fmt is CheckFormat.github:
        line, summary = render.ahead_github(result)
        typer.echo(line, nl=False)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            _append_summary(Path(summary_file), summary)
    else:
        typer.echo(render.ahead_text(result), nl=False)
    if result.warning and fmt is not CheckFormat.text:
        warn(f"{result.week.week if result.week else 'next week'} is at risk: {result.reason}")
    sys.exit(int(result.exit_code))


def _append_summary(path: Path, text: str) -> None:
    """Append to the GitHub step summary; a failure there is a warning, not the verdict."""
    from leadtime.cli.options import warn
    from leadtime.files import WriteError, append_file

    try:
        append_file(path, text)
    except WriteError as exc:
        warn(f"the step summary was not written: {exc.message}")


def register(cli: typer.Typer) -> None:
    cli.command(rich_help_panel="Reports")(report)
    cli.command(rich_help_panel="Reports")(check)
