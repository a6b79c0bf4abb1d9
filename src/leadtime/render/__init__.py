"""Turn reports and check results into tables, bars, JSON, CSV, Markdown, SVG and CI output.

``console`` is the one Rich console factory and :func:`safe` cleans text leadtime did not
write; ``table`` is the terminal report, ``formats`` the JSON, CSV, Markdown and SVG forms,
``ci`` the check's outputs; ``grid`` lays tables out and ``terminal`` says how wide the
output is and whether it takes colour. Nothing here computes; functions return strings,
:class:`~leadtime.render.grid.Block` values laid out at a width, or Rich renderables, and
never force colour. Importing this package loads no Rich: the report table and the check
print without it.
"""

from __future__ import annotations

import importlib
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from leadtime.render.ci import (
        check_github,
        check_json,
        check_junit,
        check_text,
        escape_data,
        escape_property,
    )
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
    from leadtime.render.grid import Block
    from leadtime.render.table import legend, report_table, show_report, split_bar, trend_line
    from leadtime.render.terminal import Terminal
    from leadtime.render.words import share_text

# ``console`` is bound now (its module loads no Rich): a name loaded on first use would lose
# to the submodule of the same name once that is imported.
from leadtime.render.console import console, safe

# Each other name is loaded from its module on first use: the report table and the check
# each load only what they print with (no JSON, CSV, XML or Rich for a table).
_HOMES = {
    "ci": ("check_github", "check_json", "check_junit", "check_text", "escape_data",
           "escape_property"),
    "formats": ("CSV_HEADER", "csv_cell", "csv_writer", "md", "report_csv", "report_json",
                "report_markdown", "report_svg_text", "to_json_dict", "week_json"),
    "grid": ("Block",),
    "table": ("legend", "report_table", "show_report", "split_bar", "trend_line"),
    "terminal": ("Terminal",),
    "words": ("share_text",),
}  # fmt: skip
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CSV_HEADER",
    "Block",
    "Terminal",
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
    "show_report",
    "split_bar",
    "to_json_dict",
    "trend_line",
    "week_json",
]


def render_text(renderable: Block | RenderableType, *, width: int = 120) -> str:
    """Render to plain text at ``width`` columns, without colour (for files and tests)."""
    from leadtime.render.grid import Block

    if isinstance(renderable, Block):
        return renderable.text(width)
    from leadtime.render.console import console

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
