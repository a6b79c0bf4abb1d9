"""The ``leadtime`` command line: parse, call one application function, render, exit.

Exit codes (also in ``leadtime --help`` and the README):
0 on target / success, 1 off target, 2 usage error, 3 bad configuration or rules file,
4 bad input or storage error, 5 not enough data to judge, 70 internal error.

The daily commands (``log``, ``start``, ``stop``, ``status``, ``cancel``) in their common
forms run through :mod:`leadtime.cli.quick` without loading Typer, which costs more than
the command itself; everything else, ``--help`` included, goes through the Typer group.
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    """Console-script entry point."""
    from leadtime.cli import failure
    from leadtime.cli.quick import run_quick
    from leadtime.errors import OutputError

    failure.guard_streams()
    code = run_quick(sys.argv[1:])
    if code is None:
        from leadtime.cli.group import app

        try:
            app(prog_name="leadtime")
        except SystemExit as done:
            code = done.code  # type: ignore[assignment]
        except (OutputError, BrokenPipeError) as exc:  # e.g. --help into a full disk
            code = failure.exit_code_of(exc, debug=False)
    sys.exit(failure.finish(code))


def __getattr__(name: str) -> Any:
    if name == "app":  # the Typer application, loaded on first use
        from leadtime.cli.group import app

        return app
    raise AttributeError(name)
