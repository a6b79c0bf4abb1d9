"""The numbers a week is judged by: the categories, the verdict and the passing band.

Shares are compared as they are displayed (:func:`leadtime.units.percent`), so a share
shown as 65.0% with a target of 70 ± 5 passes.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

from leadtime.units import decimal_of, percent

__all__ = [
    "CATEGORIES",
    "NO_LABEL",
    "UNCLASSIFIED_WARNING_SHARE",
    "Verdict",
    "band",
    "target_text",
    "verdict_for",
]

CATEGORIES = ("leadership", "hands-on", "other", "unclassified")
NO_LABEL = "(none)"  # the label of time without an activity, a tag (or a source)
UNCLASSIFIED_WARNING_SHARE = Fraction(1, 10)  # flag when unclassified > 10% of the total


class Verdict(StrEnum):
    """How a week's leadership share compares with the target (the JSON values)."""

    ON_TARGET = "on-target"
    TOO_HANDS_ON = "too-hands-on"
    TOO_HANDS_OFF = "too-hands-off"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self) -> str:
        """The verdict as a person reads it: ``on target``, ``too hands-on``."""
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.ON_TARGET: "on target",
    Verdict.TOO_HANDS_ON: "too hands-on",
    Verdict.TOO_HANDS_OFF: "too hands-off",
    Verdict.NOT_ENOUGH_DATA: "not enough data",
}


def band(target: float, tolerance: float) -> tuple[Decimal, Decimal]:
    """The passing range of displayed percentages, both ends inclusive: 70 ± 5 -> (65, 75)."""
    middle, half = decimal_of(target) * 100, decimal_of(tolerance) * 100
    return middle - half, middle + half


class _Judged(Protocol):
    @property
    def target(self) -> float: ...
    @property
    def tolerance(self) -> float: ...


def target_text(judged: _Judged) -> str:
    """The target as people write it: ``70% ± 5`` (of a report, or anything with a target
    and a tolerance as fractions)."""
    middle = decimal_of(judged.target) * 100
    half = decimal_of(judged.tolerance) * 100
    return f"{middle.normalize():f}% ± {half.normalize():f}"


def verdict_for(
    share: float | None,
    classified_minutes: float | Fraction,
    *,
    target: float,
    tolerance: float,
    min_hours: float,
) -> Verdict:
    """Judge a leadership share against ``target ± tolerance`` at the displayed precision.

    ``not-enough-data`` when there is no classified (leadership + hands-on) time or less
    than ``min_hours`` of it. Otherwise the share is rounded as displayed (:func:`percent`)
    and compared with :func:`band`, both ends passing.
    """
    needed = decimal_of(min_hours) * 60
    if share is None or classified_minutes <= 0 or decimal_of(classified_minutes) < needed:
        return Verdict.NOT_ENOUGH_DATA
    low, high = band(target, tolerance)
    shown = percent(share)
    if shown < low:
        return Verdict.TOO_HANDS_ON
    if shown > high:
        return Verdict.TOO_HANDS_OFF
    return Verdict.ON_TARGET
