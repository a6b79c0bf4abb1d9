"""Untrusted text made safe to print: calendar titles, UIDs, feed content and commit
subjects are data, never terminal control codes. The one cleaning path of every format:
:func:`safe` for text shown as it is (tables, messages, CSV cells), :func:`escaped` for a
value quoted in a message where what it holds must stay visible, and :data:`JSON_UNSAFE`,
which :mod:`leadtime.jsonout` escapes in every JSON leadtime writes. Cheap to import: no
third-party module, and ``re`` only once a text needs cleaning."""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    import re

# ESC sequences first (CSI ... final byte, OSC ... BEL/ST, and two-byte escapes), so that
# their parameters do not survive as text; then any remaining control character: C0 except
# tab and newline, DEL, C1, and the bidirectional controls that reorder what is shown.
_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, ESC[2J
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, OSC 8 links
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]"
# What JSON leaves as it is but a terminal acts on: DEL, C1, bidirectional controls, and
# the line and paragraph separators. JSON itself escapes C0.
JSON_UNSAFE = f"[\x7f-\x9f{_BIDI}\u2028\u2029]"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on the first text that needs cleaning: printable text never loads ``re``."""
    import re

    return re.compile(_ESCAPES), re.compile(_CONTROLS)


def safe(text: str, *, newlines: bool = True) -> str:
    """``text`` without escape sequences and control characters (tab kept; newlines kept
    unless ``newlines=False``, which makes them spaces)."""
    if text.isprintable():
        return text
    escapes, controls = _patterns()
    cleaned = controls.sub("", escapes.sub("", text.replace("\r\n", "\n")))
    return cleaned if newlines else cleaned.replace("\n", " ")


def escaped(text: str, limit: int | None = None) -> str:
    """``text`` quoted in a message, where what it holds must stay visible: every character
    that is not printable written as an escape (``\\x1b``, ``\\u202e``), and a text longer
    than ``limit`` characters cut with ``…``."""
    cut = limit is not None and len(text) > limit
    if cut:
        text = text[:limit]
    if not text.isprintable():
        text = "".join(
            ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
        )
    return text + "…" if cut else text
