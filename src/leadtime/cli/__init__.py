"""The ``leadtime`` command line: parse, call one application function, render, exit.

Exit codes (also in ``leadtime --help`` and the README):
0 on target / success, 1 off target, 2 usage error, 3 bad configuration or rules file,
4 bad input or storage error, 5 not enough data to judge, 70 internal error.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from leadtime import __version__
from leadtime.app.workspace import Workspace
from leadtime.errors import ExitCode, LeadtimeError

EXIT_CODES_HELP = (
    "Exit codes: 0 success or on target, 1 off target, 2 usage error, "
    "3 bad configuration or rules file, 4 bad input or storage error, "
    "5 not enough data to judge, 70 internal error."
)


# What to do about a failure that a layer below the commands reports by its reason.
HINTS = {
    "not-sqlite": "move it away, or point --db / LEADTIME_DATABASE_URL elsewhere",
    "foreign": "point --db / LEADTIME_DATABASE_URL at an empty or leadtime database",
    "damaged": "restore it from a backup ('leadtime export' makes one) or move it away",
    "newer": "upgrade leadtime (pipx upgrade leadtime); the database was not changed",
    "locked": "try again when the other leadtime command has finished",
    "read-only": "check the permissions of the data directory, and free disk space",
    "no-such-id": "'leadtime ls' shows the ids",
    "ambiguous-id": "give more characters of the id",
    "no-such-source": "'leadtime calendars' lists them",
    "source-exists": "choose another name, or remove that one first",
    "bad-url": "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
}


def fail(message: str, hint: str | None, code: int) -> None:
    from leadtime.text import safe

    typer.echo(f"error: {safe(message, newlines=False)}", err=True)
    if hint:
        typer.echo(f"hint: {safe(hint, newlines=False)}", err=True)
    sys.exit(code)


def _from_the_framework(exc: BaseException) -> bool:
    """Typer's (and its Click's) own signals: usage errors, exits, aborts. They pass through."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


class LeadtimeGroup(TyperGroup):
    """The one place where errors become ``error:`` / ``hint:`` lines and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LeadtimeError as exc:
            if _debug(ctx):
                traceback.print_exc()
            hint = exc.hint or HINTS.get(getattr(exc, "reason", ""))
            fail(exc.message, hint, int(exc.exit_code))
        except KeyboardInterrupt:
            fail("interrupted; nothing was written", None, 130)
        except BrokenPipeError:
            sys.exit(int(ExitCode.OK))
        except Exception as exc:  # a crash must never look like a breach (exit 1)
            if _from_the_framework(exc):
                raise
            if _debug(ctx):
                traceback.print_exc()
            fail(
                f"internal error: {type(exc).__name__}: {exc}",
                "run again with --debug for the traceback, and please report it",
                int(ExitCode.INTERNAL),
            )


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
        transfer,
    )

    for module in (daily, entries, importing, reporting, planning, rules, transfer, settings):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="leadtime")
