"""``leadtime config show|set|unset``: the effective settings and where each comes from."""

from __future__ import annotations

import typer

from leadtime.app import settings as app
from leadtime.cli.options import console, say, workspace
from leadtime.text import safe, to_json

config_app = typer.Typer(
    help="Show and change settings (config.toml).\n\n"
    "Examples:\n\n  leadtime config show\n\n  leadtime config set timezone Europe/Berlin",
    no_args_is_help=True,
)


def _shown(value: object) -> str:
    from leadtime.units import format_number

    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if value is None:
        return "-"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Print the effective settings, where each value comes from, and where files live.

    Example:

      leadtime config show
    """
    view = app.show(workspace(ctx, refresh=False))
    if as_json:
        payload = {
            "settings": {s.key: s.value for s in view.settings},
            "sources": {s.key: s.origin for s in view.settings},
            "files": view.files,
        }
        say(to_json(payload, indent=2, default=list))
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("setting", "value", "from", "meaning"):
        table.add_column(column)
    for s in view.settings:
        table.add_row(s.key, safe(_shown(s.value)), s.origin, s.meaning)
    out = console()
    out.print(table)
    out.print()
    for name, where in view.files.items():
        out.print(safe(f"{name}: {where}"))


@config_app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., metavar="KEY", help="A setting, e.g. timezone, me, target."),
    value: str = typer.Argument(..., metavar="VALUE", help="Lists (me) are comma-separated."),
) -> None:
    """Validate a value and write it to config.toml.

    Examples:

      leadtime config set timezone Europe/Berlin

      leadtime config set me dana@example.com,dana@corp.example
    """
    parsed = app.set_value(workspace(ctx, refresh=False), key, value)
    say(safe(f"{key} = {_shown(parsed)}"))


@config_app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(..., metavar="KEY")) -> None:
    """Remove a setting from config.toml, so that its default applies.

    Example:

      leadtime config unset target
    """
    app.unset(workspace(ctx, refresh=False), key)
    say(f"{key} reset to its default")


def register(cli: typer.Typer) -> None:
    cli.add_typer(config_app, name="config", rich_help_panel="Setup")
