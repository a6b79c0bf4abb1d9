"""``leadtime config show|set|unset``: the effective settings and where each comes from."""

from __future__ import annotations

from leadtime.app.workspace import Workspace
from leadtime.cli.out import say
from leadtime.text import safe


def _shown(value: object) -> str:
    from leadtime.units import format_number

    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if value is None:
        return "-"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def show(ws: Workspace, *, as_json: bool) -> None:
    from leadtime.app import settings as app

    view = app.show(ws)
    if as_json:
        from leadtime.jsonout import dumps

        payload = {
            "settings": {s.key: s.value for s in view.settings},
            "sources": {s.key: s.origin for s in view.settings},
            "files": view.files,
        }
        say(dumps(payload))
        return
    from rich.table import Table

    from leadtime.render.console import console

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


def set_(ws: Workspace, *, key: str, value: str) -> None:
    from leadtime.app import settings as app

    parsed = app.set_value(ws, key, value)
    say(safe(f"{key} = {_shown(parsed)}"))


def unset(ws: Workspace, *, key: str) -> None:
    from leadtime.app import settings as app

    app.unset(ws, key)
    say(f"{key} reset to its default")
