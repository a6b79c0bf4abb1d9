"""The one Rich console leadtime prints through, and :func:`safe` for text it did not write.

Titles, activity labels, tags and calendar names come from users and from calendars anyone
can send. They are data: never console markup, and never terminal control. :func:`safe`
removes what a terminal would act on instead of print: escape sequences (colours, cursor
moves, OSC 8 links, window titles), the other C0 controls except tab and newline, DEL, the
C1 controls, and the bidirectional overrides and isolates that make text read in another
order than it is stored.
"""

from __future__ import annotations

import re

from rich.console import Console

__all__ = ["console", "safe"]

# ESC [ ... final (CSI), ESC ] ... BEL or ST (OSC, OSC 8 links included), ESC P/X/^/_ ... ST
# (DCS, SOS, PM, APC), then any other two-character ESC sequence.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?
    | \x1b[ -~]?
    | \x9b[0-?]*[ -/]*[@-~]?
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """``text`` without terminal control: see the module docstring. Tabs and newlines stay."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def console(stderr: bool = False) -> Console:
    """A console for leadtime's output: no markup, no highlighting, lines wrapped softly.

    Colour follows the terminal (none when the output is a pipe or a file, or when
    ``NO_COLOR`` is set), as Rich decides.
    """
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)
