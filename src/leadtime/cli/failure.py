"""How a failure ends a command: one ``error:`` line, a ``hint:`` where it helps, and the
exit code of the contract (SPEC §7). Used by the Typer group and by the quick path alike.

Standard output is a place a command can fail to write (a full disk, a closed
descriptor): :func:`guard_streams` makes such a failure an :class:`OutputError` (exit 4),
and a command that had already saved its change says so, so that it is not run again.
"""

from __future__ import annotations

import contextlib
import os
import sys

from leadtime.errors import ExitCode, LeadtimeError, OutputError
from leadtime.text import safe

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from typing import Any, TextIO

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
SAVED = "the change itself was saved"


def fail(message: str, hint: str | None) -> None:
    """Print the failure on stderr, cleaned of anything a terminal would act on."""
    print(f"error: {safe(message, newlines=False)}", file=sys.stderr)
    if hint:
        print(f"hint: {safe(hint, newlines=False)}", file=sys.stderr)


def exit_code_of(exc: BaseException, *, debug: bool) -> int:
    """Report ``exc`` and return the exit code it means. A crash is exit 70, never 1."""
    from leadtime.secrets import mask_text

    if isinstance(exc, OutputError | BrokenPipeError):
        _silence_output()
    if debug and not isinstance(exc, KeyboardInterrupt | BrokenPipeError | OutputError):
        import traceback

        print(mask_text("".join(traceback.format_exception(exc))), file=sys.stderr)
    if isinstance(exc, BrokenPipeError):
        return int(ExitCode.OK)  # the reader stopped reading (``| head``): not a failure
    saved = f"; {SAVED}" if _saved_changes() else ""
    if isinstance(exc, LeadtimeError):
        hint = exc.hint or HINTS.get(getattr(exc, "reason", ""))
        fail(mask_text(exc.message) + saved, mask_text(hint) if hint else None)
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        fail("interrupted" + (saved or "; nothing was written"), None)
        return 130
    fail(
        mask_text(f"internal error: {type(exc).__name__}: {exc}") + saved,
        "run again with --debug for the traceback, and please report it",
    )
    return int(ExitCode.INTERNAL)


def _saved_changes() -> bool:
    store = sys.modules.get("leadtime.store.db")  # nothing was saved if it was never loaded
    return bool(store and store.saved_changes())


# --------------------------------------------------------------------------- the streams


class _Output:
    """Standard output for one run: a write or flush that fails is an :class:`OutputError`.

    A stream that was closed when leadtime started (``>&-``) fails on the first text a
    command prints. Everything else is the wrapped stream's (Rich and Click ask it for
    ``isatty``, ``encoding``, ``fileno`` ...).
    """

    def __init__(self, stream: TextIO, *, closed: bool = False, size: int | None = None):
        self._stream = stream
        self._closed = closed
        self._size = size  # a regular file's size at the start: cut back to it on failure

    def write(self, text: str) -> int:
        if self._closed:
            if text:
                raise OutputError("cannot write the output: standard output is closed")
            return 0
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: OSError) -> OutputError:
        """The error to report. A regular file is first cut back to what it held before,
        so that no half-written export is left looking like a whole one; a file that was
        empty (``> FILE`` made it) is removed."""
        from leadtime.files import os_reason

        message = f"cannot write the output: {os_reason(exc)}"
        if self._size is None:
            return OutputError(message)
        fd = self._stream.fileno()
        try:
            os.ftruncate(fd, self._size)
        except OSError:
            return OutputError(message + "; the file is incomplete")
        if self._size == 0 and _remove_empty(fd):
            return OutputError(message + "; the empty file was removed")
        return OutputError(message + "; the file was left as it was")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Quiet:
    """Standard error when it cannot be written: there is no one left to tell, so a
    failed write is dropped instead of ending the command."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError:
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_streams() -> None:
    """Make the standard streams safe to use for one run; the first thing ``main`` does.

    A descriptor 0-2 that was closed at start is opened on the null device first, so that
    no file leadtime opens (the database) can take its number and receive what is printed.
    Then failures to write standard output become :class:`OutputError` (exit 4), and
    failures to write standard error are dropped.
    """
    if isinstance(sys.stdout, _Output):
        return  # already guarded: main() run again in one process (a test runner)
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if 0 in closed:
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - lives as long as the process
    if 2 in closed or sys.stderr is None:
        sys.stderr = open(2, "w", closefd=False, errors="backslashreplace")  # noqa: SIM115
    if 1 in closed or sys.stdout is None:
        null_output = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stdout = _Output(null_output, closed=True)
    else:
        sys.stdout = _Output(_buffered(sys.stdout), size=_regular_size(1))
    sys.stderr = _Quiet(sys.stderr)


def _buffered(stream: TextIO) -> TextIO:
    """``stream`` with a buffered binary layer. Unbuffered (``python -u``,
    PYTHONUNBUFFERED), its text layer writes straight to the file and ignores a short
    write: what a full disk or a file-size limit refused would be lost without an error.
    A buffered layer writes the rest and raises; line by line, as unbuffered output is
    expected to appear."""
    import io

    raw = getattr(stream, "buffer", None)
    if not isinstance(raw, io.RawIOBase):
        return stream
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=True,
    )


def _regular_size(fd: int) -> int | None:
    import stat

    try:
        info = os.fstat(fd)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _remove_empty(fd: int) -> bool:
    """Remove the empty file open as ``fd``, if its name can be known for sure (Linux's
    /proc) and still names this very file, with no other link to it."""
    from pathlib import Path

    try:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        mine, named = os.fstat(fd), path.lstat()
        if (mine.st_dev, mine.st_ino) != (named.st_dev, named.st_ino) or named.st_nlink != 1:
            return False
        if named.st_size != 0:
            return False
        path.unlink()
    except OSError:
        return False
    return True


def _silence_output() -> None:
    """After standard output failed: point it at the null device, so that what is still
    buffered does not fail again when the interpreter flushes it at exit."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


def finish(code: int | None) -> int | None:
    """The exit code once what is still buffered for standard output is written: written
    now, where a failure is reported as one, rather than at exit as a crash."""
    try:
        sys.stdout.flush()
    except (OutputError, BrokenPipeError) as exc:
        return exit_code_of(exc, debug=False)  # the output is part of what was asked
    return code
