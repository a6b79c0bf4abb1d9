"""Untrusted text made safe to print: calendar titles, UIDs, feed content and commit
subjects are data, never terminal control codes. Cheap to import (no third-party module)."""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    import re


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on the first text that needs cleaning: printable text never loads ``re``."""
    import re

    return re.compile(_ESCAPES), re.compile(_CONTROLS)


# ESC sequences first (CSI ... final byte, OSC ... BEL/ST, and two-byte escapes), so that
# their parameters do not survive as text; then any remaining control character: C0 except
# tab and newline, DEL, C1, and the bidirectional overrides that reorder what is shown.
_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, ESC[2J
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, OSC 8 links
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def safe(text: str, *, newlines: bool = True) -> str:
    """``text`` without escape sequences and control characters (tab kept; newlines kept
    unless ``newlines=False``, which makes them spaces)."""
    if text.isprintable():
        return text
    escapes, controls = _patterns()
    cleaned = controls.sub("", escapes.sub("", text.replace("\r\n", "\n")))
    return cleaned if newlines else cleaned.replace("\n", " ")
