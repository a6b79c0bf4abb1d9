"""Where the output goes: its width, whether it takes colour, and the ANSI codes for styles.

The same decisions Rich makes, without loading Rich (the report and the check print
through this, and importing Rich costs more than they do):

* **Width**: ``COLUMNS`` when it is a number; otherwise the terminal's size (standard input,
  output or error, the first that is a terminal); otherwise 80. A dumb terminal is 80 wide.
* **Styles**: only on a terminal. ``TTY_COMPATIBLE=1`` or a non-empty ``FORCE_COLOR`` makes
  any output one, ``TTY_COMPATIBLE=0`` or an empty ``FORCE_COLOR`` none; ``TERM=dumb`` (or
  ``unknown``) gets no styles at all. ``COLORTERM=truecolor``/``24bit`` or a ``TERM`` ending
  in ``-256color`` allows the 256 colours, any other terminal the 16 standard ones.
  ``NO_COLOR`` (non-empty) removes the colours and keeps bold, dim and italic, as the
  NO_COLOR convention asks and as every other leadtime view prints.

A style is a few words: ``bold``, ``dim``, ``italic`` and one colour name of
:data:`COLOURS`; the last colour named wins.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import IO, Literal, NamedTuple

__all__ = ["COLOURS", "Line", "Terminal", "line_text"]

ColourSystem = Literal["standard", "256", "truecolor"]
Line = list[tuple[str, str]]  # one printed line: (text, style) runs; style "" is plain

_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3"}
# (16-colour code, 256-colour code): as Rich writes these names
COLOURS = {
    "blue": ("34", "34"),
    "magenta": ("35", "35"),
    "dark_orange": ("91", "38;5;208"),  # 208 downgraded to the nearest standard colour
}
_TERM_COLOURS: dict[str, ColourSystem] = {"256color": "256", "kitty": "256", "16color": "standard"}


class Terminal(NamedTuple):
    """An output's width and colours. ``colours`` None: plain text, no escape codes."""

    width: int = 80
    colours: ColourSystem | None = None
    no_color: bool = False

    @classmethod
    def detect(
        cls, file: IO[str] | None = None, environ: Mapping[str, str] | None = None
    ) -> Terminal:
        """The terminal ``file`` (default: standard output) writes to, as Rich sees it."""
        env = os.environ if environ is None else environ
        out = sys.stdout if file is None else file
        terminal = _is_terminal(out, env)
        dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
        colours: ColourSystem | None = None
        if terminal and not dumb:
            if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
                colours = "truecolor"
            else:
                suffix = env.get("TERM", "").strip().lower().rpartition("-")[2]
                colours = _TERM_COLOURS.get(suffix, "standard")
        return cls(_width(env, dumb), colours, env.get("NO_COLOR", "") != "")

    def write(self, lines: list[Line], file: IO[str] | None = None) -> None:
        """Print ``lines``, styled as this terminal allows."""
        out = sys.stdout if file is None else file
        out.write("".join(line_text(line, self) + "\n" for line in lines))


def _is_terminal(file: IO[str], env: Mapping[str, str]) -> bool:
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False


def _width(env: Mapping[str, str], dumb: bool) -> int:
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if dumb:
        return 80
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        if width > 0:
            return width
    return 80


_CODES: dict[tuple[str, str | None, bool], str] = {}


def _sgr(style: str, colours: ColourSystem, no_color: bool) -> str:
    """The SGR parameters of ``style`` (``1;34``), or "" when it sets nothing."""
    key = (style, colours, no_color)
    found = _CODES.get(key)
    if found is None:
        attributes: list[str] = []
        colour = ""
        for word in style.split():
            if word in _ATTRIBUTES:
                if _ATTRIBUTES[word] not in attributes:
                    attributes.append(_ATTRIBUTES[word])
            elif word in COLOURS and not no_color:
                colour = COLOURS[word][0 if colours == "standard" else 1]
        attributes.sort()
        found = _CODES[key] = ";".join([*attributes, *([colour] if colour else [])])
    return found


def line_text(line: Line, terminal: Terminal | None = None) -> str:
    """One line as text: plain, or with ANSI codes around each styled run."""
    if terminal is None or terminal.colours is None:
        return "".join(text for text, _ in line)
    parts = []
    for text, style in line:
        codes = _sgr(style, terminal.colours, terminal.no_color) if style and text else ""
        parts.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
    return "".join(parts)
