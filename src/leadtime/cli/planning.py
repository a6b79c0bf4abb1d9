"""``leadtime plan``: the weeks ahead as the calendars hold them, and what tips them."""

from __future__ import annotations

from pathlib import Path

from leadtime.app.workspace import Workspace
from leadtime.cli.out import deliver, note


def plan(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    without: list[str],
    target: float | None,
    tolerance: float | None,
    format: str,
    output: Path | None,
    force: bool,
) -> None:
    from leadtime.app import planning as app
    from leadtime.app.reporting import Judging
    from leadtime.render import plan as render

    if output is not None and format == "table":
        from leadtime.errors import UsageError

        raise UsageError("-o writes json, markdown or html", hint="add --format html")
    result = app.plan(
        ws,
        app.PlanPeriod(week, weeks),
        without=tuple(without),
        judging=Judging(target, tolerance),
    )
    if format == "html":
        from leadtime.render.pictures import plan_page

        deliver(ws, plan_page(result), output, force=force)  # the notes are in it
    elif format == "json":
        deliver(ws, render.plan_json(result) + "\n", output, force=force)
        for line in render.plan_notes(result):
            note(line)
    elif format == "markdown":
        deliver(ws, render.plan_markdown(result), output, force=force)  # the notes are in it
    else:
        from leadtime.render.console import console

        console().print(render.plan_table(result), soft_wrap=False)
