"""Running a command once its line is read, whichever front end read it.

Both front ends end here — the reader of :mod:`leadtime.cli.reader` and the Typer commands
of :mod:`leadtime.cli.group` — so a command line does the same thing, prints the same lines
and exits with the same code whichever read it. Failures become ``error:`` / ``hint:`` lines
and the exit code of the contract in one place, :func:`leadtime.cli.failure.exit_code_of`.
"""

from __future__ import annotations

import sys
from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from leadtime.cli.spec import Invocation


def execute(invocation: Invocation) -> int:
    """Run the command and return its exit code."""
    from leadtime.app.workspace import Workspace

    values = dict(invocation.values)
    chosen = invocation.globals
    debug = bool(values.pop("debug", False)) or bool(chosen.get("debug"))
    tz = values.pop("tz", None)
    rules = chosen.get("rules")
    try:
        ws = Workspace(
            db_url=_text(chosen.get("db")),
            rules_file=_path(rules),
            now_override=_text(chosen.get("now")),
        )
        if tz is not None:
            _set_zone(ws, str(tz))
        if invocation.command.refresh:
            from leadtime.cli.out import refreshed

            refreshed(ws)
        code = _body(invocation.command.run)(ws, **values)
        sys.stdout.flush()
    except (Exception, KeyboardInterrupt) as exc:
        from leadtime.cli import failure

        return failure.exit_code_of(exc, debug=debug)
    return int(code or 0)


def _path(value: object) -> Any:
    """A path option as a ``Path`` (pathlib loaded only when one is given)."""
    if value is None:
        return None
    from pathlib import Path

    return Path(str(value))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _set_zone(ws: Any, name: str) -> None:
    from leadtime.clock import check_zone_name
    from leadtime.errors import UsageError

    try:
        ws.tz_override = check_zone_name(name)
    except UsageError as exc:
        raise UsageError(f"--tz: {exc.message}", hint=exc.hint) from None


def _body(where: str) -> Callable[..., int | None]:
    module, _, name = where.partition(":")
    body: Callable[..., int | None] = getattr(import_module(module), name)
    return body
