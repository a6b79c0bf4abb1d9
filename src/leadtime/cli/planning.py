"""``leadtime plan``: the weeks ahead as the calendars hold them, and what tips them."""

from __future__ import annotations

from leadtime.app.workspace import Workspace
from leadtime.cli.out import note, say


def plan(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    without: list[str],
    target: float | None,
    tolerance: float | None,
    format: str,
) -> None:
    from leadtime.app import planning as app
    from leadtime.app.reporting import Judging
    from leadtime.render import plan as render

    result = app.plan(
        ws,
        app.PlanPeriod(week, weeks),
        without=tuple(without),
        judging=Judging(target, tolerance),
    )
    if format == "json":
        say(render.plan_json(result))
        for line in render.plan_notes(result):
            note(line)
    elif format == "markdown":
        say(render.plan_markdown(result), end="")  # the notes are in it
    else:
        from leadtime.render.console import console

        console().print(render.plan_table(result), soft_wrap=False)
