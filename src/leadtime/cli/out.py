"""How the commands talk to the user: their output, warnings, notes and questions.

Plain ``print`` on purpose: the commands that run many times a day load no framework.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from pathlib import Path

    from leadtime.app.workspace import Workspace


def say(text: str, *, end: str = "\n") -> None:
    """A line of the command's output (standard output)."""
    sys.stdout.write(text + end)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def note(message: str) -> None:
    """A line for the user on stderr that is neither an error nor the command's output."""
    print(f"note: {message}", file=sys.stderr)


def refreshed(ws: Workspace) -> Workspace:
    """Bring the stored classifications up to date with the rules, and say so."""
    changed = ws.refresh()
    if changed:
        note(f"the rules changed: {changed} entries re-classified")
    return ws


def interactive() -> bool:
    """Whether a person can answer: the input and the output are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm(question: str, *, default: bool) -> bool:
    """Ask a yes/no question on the terminal; an empty answer is ``default``."""
    choices = "[Y/n]" if default else "[y/N]"
    while True:
        sys.stdout.write(f"{question} {choices}: ")
        sys.stdout.flush()
        answer = sys.stdin.readline()
        if not answer:  # end of input: nobody to answer
            sys.stdout.write("\n")
            return default
        answer = answer.strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        print("error: answer y or n", file=sys.stderr)


def write_output(ws: Workspace, path: Path, text: str, *, force: bool) -> None:
    """Write a file the user asked for: never one of leadtime's own files, and an existing
    file only with ``--force``."""
    from leadtime.files import WriteError, write_file

    try:
        write_file(path.expanduser(), text, replace=force, protected=ws.own_files)
    except WriteError as exc:
        if exc.reason == "exists":
            exc.hint = "pass --force to replace it"
        raise


def deliver(ws: Workspace, text: str, output: Path | None, *, force: bool) -> None:
    """Write ``text`` to the file ``output`` (and say so on stderr), or print it."""
    if output is None:
        say(text, end="")
        return
    write_output(ws, output, text, force=force)
    print(f"saved {output}", file=sys.stderr)
