"""The one Rich console leadtime prints through, and :func:`safe` for text it did not write.

Titles, activity labels, tags and calendar names come from users and from calendars anyone
can send. They are data: never console markup, and never terminal control. :func:`safe`
removes what a terminal would act on instead of print: escape sequences (colours, cursor
moves, OSC 8 links, window titles), the other C0 controls except tab and newline, DEL, the
C1 controls, and the bidirectional overrides and isolates that make text read in another
order than it is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadtime.text import safe

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "safe"]


def console(stderr: bool = False, **options: Any) -> Console:
    """A console for leadtime's output: no markup, no highlighting, lines wrapped softly.

    Colour follows the terminal (none when the output is a pipe or a file, or when
    ``NO_COLOR`` is set), as Rich decides. ``options`` are Rich's, for the consoles that
    write to a string (a fixed width, no colour, recording for SVG).
    """
    from rich.console import Console

    settings: dict[str, Any] = {"markup": False, "highlight": False, "soft_wrap": True}
    settings.update(options)
    return Console(stderr=stderr, **settings)
