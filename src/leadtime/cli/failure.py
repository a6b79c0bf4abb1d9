"""How a failure ends a command: one ``error:`` line, a ``hint:`` where it helps, and the
exit code of the contract (SPEC §7). Used by the Typer group and by the quick path alike."""

from __future__ import annotations

import sys
import traceback

from leadtime.errors import ExitCode, LeadtimeError
from leadtime.text import safe

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


def fail(message: str, hint: str | None) -> None:
    """Print the failure on stderr, cleaned of anything a terminal would act on."""
    print(f"error: {safe(message, newlines=False)}", file=sys.stderr)
    if hint:
        print(f"hint: {safe(hint, newlines=False)}", file=sys.stderr)


def exit_code_of(exc: BaseException, *, debug: bool) -> int:
    """Report ``exc`` and return the exit code it means. A crash is exit 70, never 1."""
    from leadtime.secrets import mask_text

    if debug and not isinstance(exc, KeyboardInterrupt | BrokenPipeError):
        print(mask_text("".join(traceback.format_exception(exc))), file=sys.stderr)
    if isinstance(exc, LeadtimeError):
        hint = exc.hint or HINTS.get(getattr(exc, "reason", ""))
        fail(mask_text(exc.message), mask_text(hint) if hint else None)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        fail("interrupted; nothing was written", None)
        return 130
    if isinstance(exc, BrokenPipeError):
        return int(ExitCode.OK)
    fail(
        mask_text(f"internal error: {type(exc).__name__}: {exc}"),
        "run again with --debug for the traceback, and please report it",
    )
    return int(ExitCode.INTERNAL)
