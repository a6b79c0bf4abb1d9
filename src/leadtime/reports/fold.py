"""Overlap folding: every second of a week is counted once (SPEC §4.5).

The input is the pieces of one week, each with integer Unix seconds, ``direct`` true for
what the user recorded as done (``leadtime.entry.DIRECT_ORIGINS``: log, timer, Watson,
Timewarrior) and false for calendar events and git sessions, and any hashable key (the
report uses ``(category, activity, origin or tags)``). They come encoded as the ints of
:func:`sweep` (see :data:`DIRECT`); :mod:`leadtime.reports.build` makes them.

The week is cut at every start and end into elementary stretches. A stretch covered by
several pieces is shared equally among them, except that when any covering piece is direct,
the stretch is shared among the direct pieces only and the calendar pieces get none of it
(what you logged is what you did). The shares are kept as exact fractions of a second, so
the result does not depend on the order of the pieces and sums to the union exactly.

How it is computed: one sweep over the starts and ends in time order. All shares are
integers over one common denominator ``D``, the least common multiple of the numbers of
pieces that shared a stretch (it grows, rescaling what was counted, the first time a new
number appears). Each class of pieces (direct, calendar) has a running *level*: the time
one piece of that class has earned so far, ``length * D / n`` summed over the stretches
that class was paid for. A key holding ``h`` pieces of a class between two of its own
starts or ends earns ``h`` times the rise of that level, so a key is settled only when its
own pieces start or end, never once per stretch.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Folding(Generic[K]):
    """The folded time of a set of pieces.

    Attributes:
        weights: the time each key gets is ``weights[key] / denominator`` seconds, exactly;
            keys with no time are absent.
        denominator: the common denominator of the weights: the least common multiple of
            the numbers of pieces that shared a stretch (1 when nothing overlapped).
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


# An event of the sweep is one int: ``moment << shift | slot``, where the moment is in
# seconds from some origin and the slot is ``key index << 2 | DIRECT | START`` (each flag
# present or not). Sorting plain ints is the fastest sort there is, and an int below
# 2**30 is a single machine digit: a report week (at most 169 hours, below 2**20 seconds)
# with up to 256 keys fits.
DIRECT = 2
START = 1


def event_slot(key_index: int, direct: bool) -> int:
    """The low bits of the events of the pieces of one key and one class."""
    return key_index << 2 | (DIRECT if direct else 0)


def sweep(events: list[int], shift: int, keys: Sequence[K], *, mixed: bool = True) -> Folding[K]:
    """Fold encoded events (see :data:`DIRECT`); ``keys[i]`` is the key of index ``i``.

    ``events`` holds a start and an end event for each piece of positive length; it is
    sorted in place. ``mixed=False`` promises that all pieces are of one class (all direct
    or all calendar), which needs less work.
    """
    events.sort()
    mask = (1 << shift) - 1
    earned = [0] * (len(keys) * 4)  # per slot: the sum of the class level at its events
    step = [0] * (len(events) // 2 + 1)  # n -> denominator // n once n has shared a stretch
    if mixed:
        denominator, union, naive = _sweep_classes(events, shift, mask, earned, step)
    else:
        denominator, union, naive = _sweep_one_class(events, shift, mask, earned, step)
    weights: dict[K, int] = {}
    for index, key in enumerate(keys):
        base = index << 2
        weight = (
            earned[base | DIRECT]
            - earned[base | DIRECT | START]
            + earned[base]
            - earned[base | START]
        )
        if weight:
            weights[key] = weight
    return Folding(weights, denominator, union, naive)


def _sweep_one_class(
    events: list[int], shift: int, mask: int, earned: list[int], step: list[int]
) -> tuple[int, int, int]:
    """The sweep when every piece is of the same class; returns denominator, union, naive."""
    denominator = 1
    shared: list[int] = []
    level = n = union = naive = 0
    previous = events[0] >> shift if events else 0
    for event in events:
        moment = event >> shift
        if moment != previous:
            if n:
                length = moment - previous
                union += length
                naive += length * n
                per_piece = step[n]
                if not per_piece:
                    denominator, factor = _widen(denominator, n, step, shared)
                    if factor > 1:
                        level *= factor
                        earned[:] = [value * factor for value in earned]
                    per_piece = step[n]
                level += length * per_piece
            previous = moment
        slot = event & mask
        earned[slot] += level
        if slot & START:
            n += 1
        else:
            n -= 1
    return denominator, union, naive


def _sweep_classes(
    events: list[int], shift: int, mask: int, earned: list[int], step: list[int]
) -> tuple[int, int, int]:
    """The sweep with direct and calendar pieces; returns denominator, union, naive."""
    denominator = 1
    shared: list[int] = []
    direct_level = calendar_level = 0
    n_direct = n_calendar = 0
    union = naive = 0
    previous = events[0] >> shift if events else 0
    for event in events:
        moment = event >> shift
        if moment != previous:
            if n_direct:
                length = moment - previous
                union += length
                naive += length * (n_direct + n_calendar)
                per_piece = step[n_direct]
                if not per_piece:
                    denominator, factor = _widen(denominator, n_direct, step, shared)
                    if factor > 1:
                        direct_level *= factor
                        calendar_level *= factor
                        earned[:] = [value * factor for value in earned]
                    per_piece = step[n_direct]
                direct_level += length * per_piece
            elif n_calendar:
                length = moment - previous
                union += length
                naive += length * n_calendar
                per_piece = step[n_calendar]
                if not per_piece:
                    denominator, factor = _widen(denominator, n_calendar, step, shared)
                    if factor > 1:
                        direct_level *= factor
                        calendar_level *= factor
                        earned[:] = [value * factor for value in earned]
                    per_piece = step[n_calendar]
                calendar_level += length * per_piece
            previous = moment
        slot = event & mask
        if slot & DIRECT:
            earned[slot] += direct_level
            if slot & START:
                n_direct += 1
            else:
                n_direct -= 1
        else:
            earned[slot] += calendar_level
            if slot & START:
                n_calendar += 1
            else:
                n_calendar -= 1
    return denominator, union, naive


def _widen(denominator: int, n: int, step: list[int], shared: list[int]) -> tuple[int, int]:
    """Make ``denominator`` a multiple of ``n``; update ``step``; return it and the factor.

    ``shared`` lists the counts that shared a stretch so far (``n`` joins them): only their
    steps change, not every count up to the number of pieces.
    """
    widened = lcm(denominator, n)
    shared.append(n)
    for count in shared:
        step[count] = widened // count
    return widened, widened // denominator
