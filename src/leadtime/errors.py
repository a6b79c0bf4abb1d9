"""The one error tree and the exit codes that are leadtime's contract with scripts."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (SPEC §7). Scripts and CI pipelines rely on these values."""

    OK = 0
    BREACH = 1
    USAGE = 2
    CONFIG = 3
    INPUT = 4
    NOT_ENOUGH_DATA = 5
    INTERNAL = 70


class LeadtimeError(Exception):
    """A failure the user can act on: printed as ``error:`` / ``hint:``, never a traceback."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, message: str, hint: str | None = None, exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(LeadtimeError):
    """A value on the command line that cannot be understood (exit 2)."""

    exit_code = ExitCode.USAGE


class ConfigError(LeadtimeError):
    """A bad config.toml or rules file (exit 3)."""

    exit_code = ExitCode.CONFIG


class InputError(LeadtimeError):
    """Bad input data: a calendar, a backup file, an unknown id (exit 4)."""

    exit_code = ExitCode.INPUT


class OutputError(LeadtimeError):
    """Standard output cannot be written: a full disk, a closed descriptor (exit 4)."""

    exit_code = ExitCode.INPUT


class StorageError(LeadtimeError):
    """The database cannot be opened, read or written (exit 4)."""

    exit_code = ExitCode.INPUT
