"""Turn reports and check results into tables, bars, JSON, CSV, Markdown, SVG and CI output.

``console`` is the one Rich console factory and :func:`safe` cleans text leadtime did not
write; ``table`` is the terminal report, ``formats`` the JSON, CSV, Markdown and SVG forms,
``ci`` the check's outputs. Nothing here computes; functions return strings or Rich
renderables and never force colour.
"""

from __future__ import annotations

import io

from rich.console import RenderableType

from leadtime.render.ci import (
    check_github,
    check_json,
    check_junit,
    check_text,
    escape_data,
    escape_property,
)
from leadtime.render.console import console, safe
from leadtime.render.formats import (
    CSV_HEADER,
    csv_cell,
    csv_writer,
    md,
    report_csv,
    report_json,
    report_markdown,
    report_svg_text,
    to_json_dict,
    week_json,
)
from leadtime.render.table import legend, report_table, split_bar, trend_line
from leadtime.render.words import share_text

__all__ = [
    "CSV_HEADER",
    "check_github",
    "check_json",
    "check_junit",
    "check_text",
    "console",
    "csv_cell",
    "csv_writer",
    "escape_data",
    "escape_property",
    "legend",
    "md",
    "render_text",
    "report_csv",
    "report_json",
    "report_markdown",
    "report_svg_text",
    "report_table",
    "safe",
    "share_text",
    "split_bar",
    "to_json_dict",
    "trend_line",
    "week_json",
]


def render_text(renderable: RenderableType, *, width: int = 120) -> str:
    """Render to plain text at ``width`` columns, without colour (for files and tests)."""
    buffer = io.StringIO()
    plain = console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        legacy_windows=False,
        soft_wrap=False,
    )
    plain.print(renderable)
    return buffer.getvalue()
