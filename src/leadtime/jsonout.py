"""The one convention of every JSON leadtime writes (``--format json``, exports, the
team's documents).

Instants are UTC with a ``Z`` (``2026-11-20T14:00:00Z``), minutes are rounded half-up to
one decimal (``510.5``), shares to four (``0.7067``), and text keeps its characters but
never carries a control character or a bidirectional override to a terminal: JSON escapes
the C0 controls itself, and DEL, C1, the bidirectional controls and the line separators
(:data:`leadtime.text.JSON_UNSAFE`) are written here as ``\\uXXXX`` escapes, which every
JSON reader turns back into the same text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from leadtime.text import JSON_UNSAFE
from leadtime.units import round_half_up

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from fractions import Fraction
    from typing import Any

_UNSAFE = re.compile(JSON_UNSAFE)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, *, indent: int | None = 2, **options: Any) -> str:
    """JSON text of ``value``: UTF-8 characters as they are, what a terminal acts on
    escaped. ``indent=None`` writes one line (an export's records); ``options`` are
    :func:`json.dumps`'s."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, **options)
    return _UNSAFE.sub(_escape, text)


def instant(moment: datetime) -> str:
    """An aware instant as UTC with ``Z``: ``2026-11-20T14:00:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def minutes(value: float | Fraction) -> float:
    """Minutes rounded half-up to one decimal: ``510.45`` -> ``510.5``."""
    return round_half_up(value, 1)


def share(value: float | Fraction | None) -> float | None:
    """A share (0..1) rounded half-up to four decimals; None stays None."""
    return None if value is None else round_half_up(value, 4)
