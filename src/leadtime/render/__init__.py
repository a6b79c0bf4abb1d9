"""Turn reports and check results into tables, bars, JSON, CSV, Markdown, SVG and CI output.

``console`` is the one Rich console factory and :func:`safe` cleans text leadtime did not
write; ``table`` is the terminal report, ``formats`` the JSON, CSV, Markdown and SVG forms,
``ci`` the check's outputs. Nothing here computes; functions return strings or Rich
renderables and never force colour.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
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

# Where each name lives. They load on first use, so that a renderer that needs none of
# Rich (the team report's, the JSON forms) does not pay for it by importing the package.
_HOMES = {
    "check_github": "ci", "check_json": "ci", "check_junit": "ci", "check_text": "ci",
    "escape_data": "ci", "escape_property": "ci",
    "console": "console", "safe": "console",
    "CSV_HEADER": "formats", "csv_cell": "formats", "csv_writer": "formats", "md": "formats",
    "report_csv": "formats", "report_json": "formats", "report_markdown": "formats",
    "report_svg_text": "formats", "to_json_dict": "formats", "week_json": "formats",
    "legend": "table", "report_table": "table", "split_bar": "table", "trend_line": "table",
    "share_text": "words",
}  # fmt: skip


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'leadtime.render' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"leadtime.render.{home}"), name)
    globals()[name] = value
    return value


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
    import io

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
