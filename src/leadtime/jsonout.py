"""The one convention of every ``--format json`` leadtime writes.

Instants are UTC with a ``Z`` (``2026-11-20T14:00:00Z``), minutes are rounded half-up to
one decimal (``510.5``), shares to four (``0.7067``), and text keeps its characters but
never carries a control character or a bidirectional override to a terminal: those are
written as ``\\uXXXX`` escapes, which every JSON reader turns back into the same text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

# C0 and C1 controls and DEL are escaped by the encoder below; these are the characters
# that are not controls but make a terminal show text in another order than it is stored.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0080-\u009f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """JSON text of ``value``: UTF-8 characters as they are, controls and bidirectional
    overrides escaped."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return _BIDI.sub(_escape, text)


def instant(moment: datetime) -> str:
    """An aware instant as UTC with ``Z``: ``2026-11-20T14:00:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def minutes(value: float | Fraction | Decimal) -> float:
    """Minutes rounded half-up to one decimal: ``510.45`` -> ``510.5``."""
    return _rounded(value, Decimal("0.1"))


def share(value: float | Fraction | Decimal | None) -> float | None:
    """A share (0..1) rounded half-up to four decimals; None stays None."""
    return None if value is None else _rounded(value, Decimal("0.0001"))


def _rounded(value: float | Fraction | Decimal, step: Decimal) -> float:
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return float(exact.quantize(step, rounding=ROUND_HALF_UP))
