"""Where entries come from: calendar files and feeds, CalDAV, git, Watson, Timewarrior."""

from __future__ import annotations

import errno
from pathlib import Path

from leadtime.errors import InputError

__all__ = ["resolve_path"]


def resolve_path(path: Path) -> Path:
    """``path`` made absolute with its symbolic links followed, as a source is remembered.

    A loop of links (a link to itself, or two that point at each other) is an
    :class:`InputError` naming the path, not the ``RuntimeError`` pathlib raises.
    """
    from leadtime.files import show_path

    try:
        return path.resolve()
    except RuntimeError as exc:  # Python 3.11 and 3.12 report a loop so
        raise InputError(f"{show_path(path)}: a loop of symbolic links") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # later versions raise OSError(ELOOP)
            raise InputError(f"{show_path(path)}: a loop of symbolic links") from exc
        raise InputError(f"{show_path(path)}: {exc.strerror or exc}") from exc
