"""``leadtime plan``: the weeks ahead as the calendars hold them, and what tips them."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from leadtime.app import planning as app
from leadtime.app.reporting import Judging
from leadtime.cli.options import (
    console,
    deliver,
    force_option,
    note,
    output_option,
    tz_option,
    week_option,
    workspace,
)
from leadtime.errors import UsageError


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


def plan(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = typer.Option(
        None,
        "--weeks",
        metavar="N",
        min=0,
        max=app.MAX_PLAN_WEEKS,
        help="The rest of this week and the N weeks after it (default 1).",
    ),
    without: list[str] = typer.Option(
        [],
        "--without",
        metavar="TEXT|UID",
        help="Plan as if these were declined: a UID, or part of a title (repeatable).",
    ),
    target: float | None = typer.Option(
        None, "--target", metavar="PCT", min=1, max=99, help="Leadership target (config: 70)."
    ),
    tolerance: float | None = typer.Option(
        None, "--tolerance", metavar="POINTS", min=0, max=50, help="Allowed distance (config: 5)."
    ),
    tz: str | None = tz_option(),
    fmt: PlanFormat = typer.Option(
        PlanFormat.table, "--format", "-f", help="table, json, markdown or html."
    ),
    output: Path | None = output_option(),
    force: bool = force_option(),
) -> None:
    """The weeks ahead: planned split, free time, and what it must hold to land on target.

    By default the rest of this week and the next one. Reads what was imported; open-ended
    series reach as far as the import horizon.

    Examples:

      leadtime plan

      leadtime plan --weeks 3 --without "Roadmap sync"

      leadtime plan --weeks 4 --format html -o plan.html
    """
    from leadtime.render import plan as render

    if output is not None and fmt is PlanFormat.table:
        raise UsageError("-o writes json, markdown or html", hint="add --format html")
    ws = workspace(ctx, tz=tz, refresh=False)
    result = app.plan(
        ws,
        app.PlanPeriod(week, weeks),
        without=tuple(without),
        judging=Judging(target, tolerance),
    )
    if fmt is PlanFormat.html:
        from leadtime.render.pictures import plan_page

        deliver(ws, plan_page(result), output, force=force)  # the notes are in it
    elif fmt is PlanFormat.json:
        deliver(ws, render.plan_json(result) + "\n", output, force=force)
        _notes(render.plan_notes(result))
    elif fmt is PlanFormat.markdown:
        deliver(ws, render.plan_markdown(result), output, force=force)  # the notes are in it
    else:
        console().print(render.plan_table(result), soft_wrap=False)


def _notes(lines: list[str]) -> None:
    for line in lines:
        note(line)


def register(cli: typer.Typer) -> None:
    cli.command(rich_help_panel="Reports")(plan)
