"""The Typer group: global options, the one error handler, and every command registered."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, cast

import typer
from typer import _click
from typer.core import TyperArgument, TyperGroup

from leadtime import __version__
from leadtime.app.workspace import Workspace
from leadtime.cli import failure

EXIT_CODES_HELP = (
    "Exit codes: 0 success or on target, 1 off target, 2 usage error, "
    "3 bad configuration or rules file, 4 bad input or storage error, "
    "5 not enough data to judge, 70 internal error."
)


def _usage_name(self: TyperArgument) -> str:
    """``TITLE``, ``[DURATION]``, ``ID...``: an argument as the usage line shows it."""
    name = self.display_name_raw
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


def _show_usage_error(self: Any, file: Any = None) -> None:
    """A usage error as leadtime prints every error: ``error:`` and a ``hint:``."""
    ctx = self.ctx
    hint = None
    if ctx is not None:
        usage = ctx.get_usage().removeprefix("Usage:").strip()
        hint = f"usage: {usage}; '{ctx.command_path} --help' shows more"
    failure.fail(self.format_message(), hint)


# Typer prints arguments as ``{TITLE} <str>`` and usage errors in Click's own form; leadtime
# shows ``TITLE`` (the help text says what it is) and errors as ``error:`` / ``hint:``.
cast(Any, TyperArgument)._usage_display_name = _usage_name
cast(Any, TyperArgument).display_type_rich = lambda self, ctx: None
cast(Any, _click.exceptions.UsageError).show = _show_usage_error


def _from_the_framework(exc: BaseException) -> bool:
    """Typer's (and its Click's) own signals: usage errors, exits, aborts. They pass through."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


class LeadtimeGroup(TyperGroup):
    """The one place where errors become ``error:`` / ``hint:`` lines and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if _from_the_framework(exc):
                raise
            sys.exit(failure.exit_code_of(exc, debug=_debug(ctx)))
        except KeyboardInterrupt as exc:
            sys.exit(failure.exit_code_of(exc, debug=_debug(ctx)))


def _debug(ctx: Any) -> bool:
    return "--debug" in sys.argv


app = typer.Typer(
    cls=LeadtimeGroup,
    name="leadtime",
    help="Where did the week go? Track your leadership / hands-on split against 70/30.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leadtime {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Database URL (default: leadtime.db in the data dir).",
        envvar="LEADTIME_DATABASE_URL",
        show_envvar=True,
    ),
    rules: Path | None = typer.Option(
        None, "--rules", metavar="FILE", help="Use this rules file for one run."
    ),
    now: str | None = typer.Option(None, "--now", hidden=True, help="Fix 'now' (ISO 8601)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Where did the week go? Track your leadership / hands-on split against 70/30."""
    ctx.obj = Workspace(db_url=db, rules_file=rules, now_override=now)


def _register() -> None:
    from leadtime.cli import (
        daily,
        entries,
        importing,
        planning,
        reporting,
        rules,
        settings,
        team,
        transfer,
    )

    modules = (daily, entries, importing, reporting, planning, rules, transfer, settings, team)
    for module in modules:
        module.register(app)


_register()
