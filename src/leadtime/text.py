"""Untrusted text made safe to print: calendar titles, UIDs, feed content and commit
subjects are data, never terminal control codes. Cheap to import (no third-party module)."""

from __future__ import annotations

import re

# ESC sequences first (CSI ... final byte, OSC ... BEL/ST, and two-byte escapes), so that
# their parameters do not survive as text; then any remaining control character: C0 except
# tab and newline, DEL, C1, and the bidirectional overrides that reorder what is shown.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, ESC[2J
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, OSC 8 links
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str, *, newlines: bool = True) -> str:
    """``text`` without escape sequences and control characters (tab kept; newlines kept
    unless ``newlines=False``, which makes them spaces)."""
    if text.isprintable():
        return text
    cleaned = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))
    return cleaned if newlines else cleaned.replace("\n", " ")
