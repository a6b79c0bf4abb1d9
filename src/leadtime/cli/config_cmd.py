"""``leadtime config show|set|unset``: the effective settings and where each comes from."""

from __future__ import annotations

import json

import typer

from leadtime.cli.common import console, get_state
from leadtime.config import SCHEMA, parse_setting_value, write_setting
from leadtime.errors import UsageError

config_app = typer.Typer(help="Show and change settings (config.toml).", no_args_is_help=True)


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Print the effective settings, where each value comes from, and where files live."""
    state = get_state(ctx)
    settings, paths = state.settings, state.paths
    values = settings.as_dict()
    files = {
        "data directory": str(paths.data_dir),
        "config file": str(paths.config_file),
        "rules file": str(state.rules_file or paths.rules_file),
        "database": state.database_url,
        "chosen by": paths.origin,
    }
    if as_json:
        payload = {"settings": values, "sources": settings.sources, "files": files}
        typer.echo(json.dumps(payload, indent=2, default=list))
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("setting", "value", "from", "meaning"):
        table.add_column(column)
    for key, setting in SCHEMA.items():
        value = values[key]
        shown = (
            ", ".join(value) if isinstance(value, tuple) else ("-" if value is None else str(value))
        )
        table.add_row(key, shown, settings.sources.get(key, "default"), setting.help)
    out = console()
    out.print(table)
    out.print()
    for name, where in files.items():
        out.print(f"{name}: {where}", highlight=False)


@config_app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="A setting, e.g. timezone, me, target."),
    value: str = typer.Argument(..., help="Its value; lists (me) are comma-separated."),
) -> None:
    """Validate a value and write it to config.toml."""
    state = get_state(ctx)
    parsed = parse_setting_value(key, value)
    write_setting(
        state.paths.config_file, key, list(parsed) if isinstance(parsed, tuple) else parsed
    )
    console().print(f"{key} = {parsed}", highlight=False)


@config_app.command("unset")
def unset(ctx: typer.Context, key: str = typer.Argument(...)) -> None:
    """Remove a setting from config.toml, so that its default applies."""
    state = get_state(ctx)
    if key not in SCHEMA:
        raise UsageError(f"unknown setting '{key}'", hint="known: " + ", ".join(SCHEMA))
    write_setting(state.paths.config_file, key, None)
    console().print(f"{key} reset to its default", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config", rich_help_panel="Setup")
