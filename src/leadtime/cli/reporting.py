"""``leadtime report`` (the weekly split) and ``leadtime check`` (the 70/30 gate)."""

from __future__ import annotations

import os
import sys

from leadtime.app.workspace import Workspace
from leadtime.cli.out import deliver, say, warn, write_output

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from pathlib import Path

    from leadtime.app.reporting import Filters, Judging


def report(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    from_: str | None,
    to: str | None,
    calendar: str | None,
    source: str | None,
    by: str | None,
    format: str,
    output: Path | None,
    private: bool,
    chart: bool,
    svg: Path | None,
    force: bool,
) -> None:
    from leadtime.app import reporting as app
    from leadtime.app.periods import Period

    _refuse_mixed(format, output=output, private=private, chart=chart, by=by)
    filters = app.Filters(calendar, source, by)
    period = Period(week, weeks, from_, to)
    if format == "html":
        from leadtime.render.formats import report_svg_text
        from leadtime.render.pictures import report_page

        picture = app.report_picture(ws, period, filters, private=private)
        page = report_page(picture)
        if svg is not None:
            write_output(ws, svg, report_svg_text(picture.report), force=force)
        deliver(ws, page, output, force=force)
        return
    detail = format != "table"  # a table prints the hours per category only
    result = app.weekly_report(ws, period, filters, detail=detail)
    if svg is not None:  # refuse a bad target before printing anything
        from leadtime.render.formats import report_svg_text

        write_output(ws, svg, report_svg_text(result), force=force)
    if output is not None:
        from leadtime.render.formats import report_csv, report_json, report_markdown

        texts = {"json": lambda: report_json(result) + "\n", "csv": lambda: report_csv(result),
                 "markdown": lambda: report_markdown(result)}  # fmt: skip
        deliver(ws, texts[format](), output, force=force)
    elif chart:
        from leadtime.render.charts import report_chart
        from leadtime.render.console import console

        out = console()
        ascii = not out.encoding.lower().startswith("utf")
        out.print(report_chart(result, width=out.width, ascii=ascii), soft_wrap=False)
    elif format == "json":
        from leadtime.render.formats import report_json

        say(report_json(result))
    elif format == "csv":
        from leadtime.render.formats import report_csv

        say(report_csv(result), end="")
    elif format == "markdown":
        from leadtime.render.formats import report_markdown

        say(report_markdown(result), end="")
    else:
        from leadtime.render import show_report

        show_report(result)
    if svg is not None:
        print(f"saved the table as {svg}", file=sys.stderr)


def _refuse_mixed(
    format: str, *, output: Path | None, private: bool, chart: bool, by: str | None
) -> None:
    """Refuse the options that do not go together, before anything is read or written."""
    from leadtime.errors import UsageError

    if chart and (format != "table" or output is not None):
        raise UsageError("--chart draws in the terminal", hint="leave out --format and -o")
    if private and format != "html":
        raise UsageError("--private is for the HTML report", hint="add --format html")
    if private and by == "tag":
        raise UsageError(
            "--private shows categories and activities only; tags may name people",
            hint="use --by activity or --by source",
        )
    if output is not None and format == "table":
        raise UsageError(
            "-o writes json, csv, markdown or html", hint="add --format html (or json, csv, ...)"
        )


def check(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    average: bool,
    target: float | None,
    tolerance: float | None,
    min_hours: float | None,
    max_unclassified: float | None,
    calendar: str | None,
    source: str | None,
    format: str,
    junit: Path | None,
    force: bool,
    ahead: bool,
) -> int:
    from leadtime.app import reporting as app

    if ahead:
        _refuse_with_ahead(
            week=week, weeks=weeks, average=average, max_unclassified=max_unclassified
        )
        judging = app.Judging(target, tolerance, min_hours)
        return _check_ahead(ws, app.Filters(calendar, source), judging, format, junit, force)
    from leadtime.app.periods import Period
    from leadtime.render import ci as render

    result = app.check(
        ws,
        Period(week, weeks, None, None),
        app.Filters(calendar, source),
        app.Judging(target, tolerance, min_hours, max_unclassified),
        average=average,
    )
    if junit is not None:
        write_output(ws, junit, render.check_junit(result), force=force)
    if format == "json":
        say(render.check_json(result))
    elif format == "github":
        lines, summary = render.check_github(result)
        say(lines)
        _append_summary(summary)
    else:
        say(render.check_text(result))
    return int(result.exit_code)


def _refuse_with_ahead(**chosen: object) -> None:
    from leadtime.errors import UsageError

    for name, value in chosen.items():
        if value not in (None, False):
            option = "--" + name.replace("_", "-")
            raise UsageError(f"--ahead judges next week; it cannot be combined with {option}")


def _check_ahead(
    ws: Workspace, filters: Filters, judging: Judging, format: str, junit: Path | None,
    force: bool,
) -> int:  # fmt: skip
    from leadtime.app.planning import check_ahead
    from leadtime.render import plan as render

    result = check_ahead(ws, filters, judging)
    if junit is not None:
        write_output(ws, junit, render.ahead_junit(result), force=force)
    if format == "json":
        say(render.ahead_json(result))
    elif format == "github":
        line, summary = render.ahead_github(result)
        say(line, end="")
        _append_summary(summary)
    else:
        say(render.ahead_text(result), end="")
    if result.warning and format != "text":
        warn(f"{result.week.week if result.week else 'next week'} is at risk: {result.reason}")
    return int(result.exit_code)


def _append_summary(text: str) -> None:
    """Append to the GitHub step summary when there is one; a failure there is a warning,
    not the verdict."""
    from pathlib import Path

    from leadtime.files import WriteError, append_file

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    try:
        append_file(Path(summary_file), text)
    except WriteError as exc:
        warn(f"the step summary was not written: {exc.message}")
