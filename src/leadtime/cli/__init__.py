"""The ``leadtime`` command line: parse, call one application function, render, exit.

Exit codes (also in ``leadtime --help`` and the README):
0 on target / success, 1 off target, 2 usage error, 3 bad configuration or rules file,
4 bad input or storage error, 5 not enough data to judge, 70 internal error.

Every command and option is declared once, in :mod:`leadtime.cli.spec`. A command line is
read by :mod:`leadtime.cli.reader`, which runs it without loading Typer (that costs more
than most commands); help, shell completion and usage errors go to the Typer application
generated from the same declaration (:mod:`leadtime.cli.group`).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; return its exit code.

    Without ``argv`` it is the process's own command line (the console script): standard
    output is then guarded first, so that output that cannot be written (a full disk, a
    closed descriptor) is exit 4 with one line (:func:`leadtime.cli.failure.guard_streams`).
    """
    from leadtime.cli import failure
    from leadtime.cli.reader import read

    if argv is None:
        failure.guard_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    invocation = read(args)
    if invocation is not None:
        from leadtime.cli.run import execute

        code = execute(invocation)
    else:
        from leadtime.cli.group import run_typer

        code = run_typer(args)
    return failure.finish(code) or 0


def __getattr__(name: str) -> object:
    if name == "app":  # the Typer application, loaded on first use
        from leadtime.cli.group import app

        return app
    raise AttributeError(name)
