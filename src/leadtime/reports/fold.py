"""Overlap folding: every second of a week is counted once (SPEC §4.5).

The input is the pieces of one week: ``(start, end, direct, key)`` with integer Unix
seconds, ``direct`` true for what the user logged or timed (``log``/``timer``) and false for
calendar events, and any hashable ``key`` (the report uses ``(category, activity)``).

The week is cut at every start and end into elementary stretches. A stretch covered by
several pieces is shared equally among them, except that when any covering piece is direct,
the stretch is shared among the direct pieces only and the calendar pieces get none of it
(what you logged is what you did). The shares are kept as exact fractions of a second, so
the result does not depend on the order of the pieces and sums to the union exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from operator import itemgetter
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

_by_start = itemgetter(0)


@dataclass(frozen=True, slots=True)
class Folding(Generic[K]):
    """The folded time of a set of pieces.

    Attributes:
        weights: the time each key gets is ``weights[key] / denominator`` seconds, exactly;
            keys with no time are absent.
        denominator: the common denominator of the weights (1 when nothing overlapped).
        union: the length of the union of the pieces, in seconds (their counted total).
        naive: the sum of the pieces' lengths, in seconds.
    """

    weights: dict[K, int]
    denominator: int
    union: int
    naive: int

    @property
    def seconds(self) -> dict[K, Fraction]:
        """The time each key gets, in exact seconds."""
        return {key: Fraction(weight, self.denominator) for key, weight in self.weights.items()}

    @property
    def double_booked(self) -> int:
        """Seconds that were covered more than once: ``naive - union``.

        A stretch covered by ``k`` pieces contributes ``length * (k - 1)``.
        """
        return self.naive - self.union


def fold(pieces: Iterable[tuple[int, int, bool, K]]) -> Folding[K]:
    """Fold overlapping pieces so that each second counts once (see the module docstring).

    Pieces of zero or negative length are ignored.
    """
    ordered = sorted([p for p in pieces if p[1] > p[0]], key=_by_start)
    # by_share[key][n]: the sum of (stretch length * pieces of key covering it) over the
    # stretches shared among n pieces; key gets by_share[key][n] / n seconds from them.
    by_share: dict[K, dict[int, int]] = {}
    union = naive = 0
    i, count = 0, len(ordered)
    while i < count:
        start, end, _, key = ordered[i]
        j = i + 1
        while j < count and ordered[j][0] < end:
            if ordered[j][1] > end:
                end = ordered[j][1]
            j += 1
        union += end - start
        if j == i + 1:  # a piece that overlaps nothing: the common case, no sweep needed
            length = end - start
            naive += length
            shares = by_share.get(key)
            if shares is None:
                by_share[key] = {1: length}
            else:
                shares[1] = shares.get(1, 0) + length
        else:
            naive += _sweep(ordered[i:j], by_share)
        i = j
    denominator = lcm(*{n for shares in by_share.values() for n in shares})
    weights = {
        key: sum(weight * (denominator // n) for n, weight in shares.items())
        for key, shares in by_share.items()
    }
    return Folding(weights, denominator, union, naive)


def _sweep(cluster: list[tuple[int, int, bool, K]], by_share: dict[K, dict[int, int]]) -> int:
    """Share one connected cluster of overlapping pieces; return the sum of their lengths."""
    events: list[tuple[int, int, bool, K]] = []
    naive = 0
    for start, end, direct, key in cluster:
        events.append((start, 1, direct, key))
        events.append((end, -1, direct, key))
        naive += end - start
    events.sort(key=_by_start)
    direct_on: dict[K, int] = {}
    calendar_on: dict[K, int] = {}
    n_direct = n_calendar = 0
    previous = events[0][0]
    for moment, delta, direct, key in events:
        if moment > previous:
            length = moment - previous
            if n_direct:
                active, n = direct_on, n_direct
            else:
                active, n = calendar_on, n_calendar
            for active_key, pieces in active.items():
                shares = by_share.get(active_key)
                if shares is None:
                    by_share[active_key] = {n: length * pieces}
                else:
                    shares[n] = shares.get(n, 0) + length * pieces
            previous = moment
        if direct:
            n_direct += delta
            on = direct_on
        else:
            n_calendar += delta
            on = calendar_on
        left = on.get(key, 0) + delta
        if left:
            on[key] = left
        else:
            del on[key]
    return naive
