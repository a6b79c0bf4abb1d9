"""Build the report: cut the spans into weeks, fold each week, and make the records.

Input is plain :class:`Span` tuples in Unix seconds, as the store reads them. The work is
one pass that cuts every span at the week boundaries and at ``now`` (what lies after it is
planned, never done), then one overlap sweep per piece of week
(:mod:`leadtime.reports.fold`). Minutes are carried as exact fractions until the end, so a
share that is exactly 64.95% is displayed, and judged, as 65.0%.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import accumulate
from typing import NamedTuple, cast

from leadtime.clock import iso_label, local_midnight, week_of
from leadtime.entry import DIRECT_ORIGINS
from leadtime.reports.fold import START, Folding, event_slot, sweep
from leadtime.reports.numbers import CATEGORIES, NO_LABEL, verdict_for
from leadtime.reports.records import BREAKDOWNS, Report, WeekRecord, no_minutes
from leadtime.reports.workhours import WorkHours

__all__ = ["Span", "build_report"]

_INDEX = {name: i for i, name in enumerate(CATEGORIES)}
_Key = tuple[str, str | None, str | None]  # (category, activity, origin or tags or None)
# The low bits of a week's events that hold the slot. A week's moments (seconds since it
# began) are below 2**20, so its events fit a machine digit (2**30) with 256 keys.
_WEEK_SHIFT = 10


class Span(NamedTuple):
    """A counted entry as the store reads it: Unix seconds and its classification.

    ``tags`` is the entry's tags joined with commas (``""`` for none). The store's plain
    5-tuples (without tags) are read as well.
    """

    start: int
    end: int
    origin: str  # log | timer | ics | git | watson | timewarrior
    category: str  # one of CATEGORIES
    activity: str | None
    tags: str = ""


SpanRow = Span | tuple[int, int, str, str, str | None] | tuple[int, int, str, str, str | None, str]
# A counted entry when only hours per category are wanted: (start, end, code), the code being
# the index of its category in CATEGORIES times two, plus one for a direct origin
# (``store.category_spans``). Reports built from these carry no activities or breakdown.
CategorySpan = tuple[int, int, int]


class _Piece(NamedTuple):
    """A stretch of one week that is folded on its own: done (before now) or planned."""

    week: int  # index into the weeks
    start: int
    end: int
    planned: bool


def build_report(
    spans: Iterable[SpanRow] | Iterable[CategorySpan],
    mondays: Sequence[date],
    *,
    tz: str,
    now: datetime,
    target: float = 0.70,
    tolerance: float = 0.05,
    min_hours: float = 4.0,
    work_hours: WorkHours | None = None,
    by: str | None = None,
) -> Report:
    """Fold ``spans`` into one :class:`WeekRecord` per Monday in ``mondays``.

    ``spans`` may be :class:`Span` values or the store's plain tuples, or all of them
    :data:`CategorySpan` triples (then the records have no activities and ``by`` must be
    None: what a table of hours per category needs, read cheaply); spans outside the
    weeks are ignored, spans across a week boundary are split there, zero-length spans count
    nothing. ``now`` (aware) decides which weeks are complete, and cuts the spans: time
    before it is done (the minutes, the share, the verdict), time after it is planned
    (``planned_minutes``). ``target`` and ``tolerance`` are fractions (0.70, 0.05);
    ``min_hours`` is the classified time a week needs for a verdict. With ``work_hours``
    the records say how much of the working time up to now the entries account for.
    ``by`` (``activity``, ``tag`` or ``source``) is the breakdown the records carry
    besides the activities; an entry with several tags counts its time under each tag, and
    tags that differ only in case are one tag (as the rules read them), headed by the
    spelling of the first entry that carries it.

    Raises:
        ValueError: a naive ``now``, an unknown ``by`` or an unknown category.
    """
    if now.tzinfo is None:
        raise ValueError(f"naive datetime {now!r}")
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"cannot break a report down by {by!r}: use {', '.join(BREAKDOWNS)}")
    weeks = sorted({week_of(monday) for monday in mondays})
    week_starts = [local_midnight(monday, tz) for monday in weeks]
    week_ends = [local_midnight(monday + timedelta(days=7), tz) for monday in weeks]
    cut = math.floor(now.timestamp())
    pieces = _pieces(week_starts, week_ends, cut)
    starts = [piece.start for piece in pieces]
    ends = [piece.end for piece in pieces]
    rows = spans if isinstance(spans, list | tuple) else list(spans)
    keys: list[_Key] = []
    classes: set[bool] = set()
    shift = _WEEK_SHIFT
    coded = bool(rows) and len(rows[0]) == 3
    if coded:
        if by is not None:
            raise ValueError(f"a report by {by} needs whole spans, not category codes")
        triples = cast("Sequence[CategorySpan]", rows)
        events: list[list[int]] | None = _category_events(
            triples, starts, ends, shift, keys, classes
        )
    else:
        whole = cast("Sequence[SpanRow]", rows)
        events = _piece_events(whole, starts, ends, shift, keys, classes, by)
    if events is None:  # too many keys for the compact events: make room
        whole = cast("Sequence[SpanRow]", rows)
        shift = (len({_key_of(row, by) for row in whole}) * 4 - 1).bit_length()
        keys.clear()
        classes.clear()
        events = _piece_events(whole, starts, ends, shift, keys, classes, by)
        assert events is not None
    mixed = len(classes) > 1
    done: list[Folding[_Key] | None] = [None] * len(weeks)
    planned: list[Folding[_Key] | None] = [None] * len(weeks)
    covered: list[tuple[list[int], list[int]]] = [([], []) for _ in weeks]
    for piece, piece_events in zip(pieces, events, strict=True):
        folding = sweep(piece_events, shift, keys, mixed=mixed)
        if piece.planned:
            planned[piece.week] = folding
        else:
            done[piece.week] = folding
            if work_hours is not None:  # the sweep sorted the events: read the union off
                covered[piece.week] = _union(piece_events, shift, piece.start)
    # A tag is one tag whatever its case (as the rules read tags): its rows are headed by
    # the spelling of the first entry that carries it.
    spellings: dict[str, str] = {}
    several = False
    if by == "tag":
        for key in keys:
            labels = _tag_labels(key[2])
            several = several or len(labels) > 1
            for label in labels:
                spellings.setdefault(label.casefold(), label)
    records = []
    for i, monday in enumerate(weeks):
        working: tuple[float, float] | None = None
        if work_hours is not None:
            hours = _clip(work_hours.intervals(monday, tz), week_starts[i], min(week_ends[i], cut))
            working = _length(hours) / 60, _covered(covered[i], hours) / 60
        records.append(
            _week_record(
                monday,
                done[i],
                planned[i],
                complete=week_ends[i] <= now.timestamp(),
                begun=week_starts[i] < now.timestamp(),
                target=target,
                tolerance=tolerance,
                min_hours=min_hours,
                by=by,
                working=working,
                spellings=spellings,
                activities=not coded,
            )
        )
    return Report(tz, target, tolerance, min_hours, tuple(records), by, several_tags=several)


def _pieces(starts: list[int], ends: list[int], cut: int) -> list[_Piece]:
    """The weeks as pieces, in time order: a week that holds ``cut`` becomes two."""
    pieces = []
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if start < cut:
            pieces.append(_Piece(i, start, min(end, cut), planned=False))
        if cut < end:
            pieces.append(_Piece(i, max(start, cut), end, planned=True))
    return pieces


def _key_of(row: SpanRow, by: str | None) -> _Key:
    extra = row[2] if by == "source" else (row[5] if len(row) > 5 else "") if by == "tag" else None
    return row[3], row[4], extra


def _piece_events(
    spans: Sequence[SpanRow],
    starts: list[int],
    ends: list[int],
    shift: int,
    keys: list[_Key],
    classes: set[bool],
    by: str | None,
) -> list[list[int]] | None:
    """Cut the spans at the pieces' boundaries into the sweep's events, one list per piece.

    ``keys`` receives the key of each key index, ``classes`` whether direct and calendar
    pieces were seen. None when there are more keys than ``shift`` leaves room for.
    """
    events: list[list[int]] = [[] for _ in starts]
    if not starts:
        return events
    limit = 1 << shift
    slots: dict[tuple[str, str | None, str, str | None], int] = {}
    index: dict[_Key, int] = {}
    first, last = starts[0], ends[-1]
    by_tag, by_source = by == "tag", by == "source"
    # the piece of the previous span: spans come in time order, so mostly the same again
    piece_start, piece_end, append = starts[0], ends[0], events[0].append
    rows = cast("Sequence[tuple[int, int, str, str, str | None, str]]", spans)
    if min(map(len, spans), default=6) < 6:  # the plain 5-tuples: no tags
        rows = [(*row, "") if len(row) == 5 else row for row in spans]
    for start, end, origin, category, activity, tags in rows:
        if end <= start or end <= first or start >= last:
            continue
        label = tags if by_tag else None
        slot = slots.get((category, activity, origin, label))
        if slot is None:
            key = (category, activity, origin if by_source else label)
            kid = index.get(key)
            if kid is None:
                kid = index[key] = len(keys)
                keys.append(key)
            if 4 * kid >= limit:
                return None
            direct = origin in DIRECT_ORIGINS
            classes.add(direct)
            slot = slots[category, activity, origin, label] = event_slot(kid, direct)
        if piece_start <= start and end <= piece_end:  # the common case: the same piece
            append((start - piece_start) << shift | slot | START)
            append((end - piece_start) << shift | slot)
            continue
        i = _placed(events, starts, ends, shift, start, end, slot)
        if i >= 0:  # the next span is likely in this piece too
            piece_start, piece_end, append = starts[i], ends[i], events[i].append
    return events


def _placed(
    events: list[list[int]],
    starts: list[int],
    ends: list[int],
    shift: int,
    start: int,
    end: int,
    slot: int,
) -> int:
    """Add the events of a span that is not in the piece of the span before it: inside
    one piece (whose index is returned), or cut at the boundaries of several (-1)."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and end <= ends[i]:
        events[i].append((start - starts[i]) << shift | slot | START)
        events[i].append((end - starts[i]) << shift | slot)
        return i
    i = max(i, 0)
    while i < len(starts) and starts[i] < end:
        cut_start, cut_end = max(start, starts[i]), min(end, ends[i])
        if cut_start < cut_end:
            events[i].append((cut_start - starts[i]) << shift | slot | START)
            events[i].append((cut_end - starts[i]) << shift | slot)
        i += 1
    return -1


def _category_events(
    spans: Sequence[CategorySpan],
    starts: list[int],
    ends: list[int],
    shift: int,
    keys: list[_Key],
    classes: set[bool],
) -> list[list[int]]:
    """:func:`_piece_events` for :data:`CategorySpan` triples: the key of a span is its
    category alone, and its slot comes from its code without a look-up by name."""
    keys.extend((category, None, None) for category in CATEGORIES)
    slot_of = [event_slot(code >> 1, bool(code & 1)) for code in range(2 * len(CATEGORIES))]
    events: list[list[int]] = [[] for _ in starts]
    if not starts:
        return events
    first, last = starts[0], ends[-1]
    piece_start, piece_end, append = starts[0], ends[0], events[0].append
    seen = 0  # the codes seen, as bits
    for start, end, code in spans:
        if end <= start or end <= first or start >= last:
            continue
        if code < 0:
            raise ValueError("unknown category (not one of CATEGORIES)")
        seen |= 1 << code
        slot = slot_of[code]
        if piece_start <= start and end <= piece_end:  # the common case: the same piece
            append((start - piece_start) << shift | slot | START)
            append((end - piece_start) << shift | slot)
            continue
        i = _placed(events, starts, ends, shift, start, end, slot)
        if i >= 0:  # the next span is likely in this piece too
            piece_start, piece_end, append = starts[i], ends[i], events[i].append
    classes.update(bool(code & 1) for code in range(2 * len(CATEGORIES)) if seen >> code & 1)
    return events


def _union(events: list[int], shift: int, origin: int) -> tuple[list[int], list[int]]:
    """The union of the pieces of sorted ``events``: the starts and the ends of its
    intervals in Unix seconds, in order.

    Comprehensions instead of one loop with branches: this runs over every event.
    """
    if not events:
        return [], []
    # the number of open pieces after each event; the union closes where it falls to 0
    ends = [i for i, n in enumerate(accumulate([(e & START) * 2 - 1 for e in events])) if not n]
    begins = [0, *(i + 1 for i in ends[:-1])]
    return [origin + (events[i] >> shift) for i in begins], [
        origin + (events[i] >> shift) for i in ends
    ]


def _covered(union: tuple[list[int], list[int]], intervals: list[tuple[int, int]]) -> int:
    """Seconds of ``intervals`` (sorted, disjoint) that the union covers."""
    starts, ends = union
    if not starts:
        return 0
    prefix = [0, *accumulate(map(int.__sub__, ends, starts))]
    total = 0
    for low, high in intervals:
        first = bisect_right(ends, low)  # the first union interval that ends after low
        stop = bisect_left(starts, high)  # and the first that starts at or after high
        if first < stop:
            total += prefix[stop] - prefix[first]
            total -= max(0, low - starts[first]) + max(0, ends[stop - 1] - high)
    return total


def _clip(intervals: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    clipped = [(max(a, low), min(b, high)) for a, b in intervals]
    return [(a, b) for a, b in clipped if a < b]


def _length(intervals: list[tuple[int, int]]) -> int:
    return sum(b - a for a, b in intervals)


def _tag_labels(tags: str | None) -> list[str]:
    """An entry's tags, each once whatever its case; ``(none)`` without any."""
    labels: dict[str, str] = {}
    for tag in tags.split(",") if tags else ():
        if tag.strip():
            labels.setdefault(tag.strip().casefold(), tag.strip())
    return list(labels.values()) or [NO_LABEL]


def _sorted_tables(per: list[dict[str, int]], per_minute: int) -> dict[str, dict[str, float]]:
    return {
        name: {
            label: weight / per_minute
            for label, weight in sorted(found.items(), key=lambda item: (-item[1], item[0]))
        }
        for name, found in zip(CATEGORIES, per, strict=True)
        if found
    }


def _category_index(category: str) -> int:
    index = _INDEX.get(category)
    if index is None:
        raise ValueError(f"unknown category {category!r}")
    return index


def _week_record(
    monday: date,
    folding: Folding[_Key] | None,
    planned: Folding[_Key] | None,
    *,
    complete: bool,
    begun: bool,
    target: float,
    tolerance: float,
    min_hours: float,
    by: str | None,
    working: tuple[float, float] | None,
    spellings: dict[str, str],
    activities: bool = True,
) -> WeekRecord:
    # Exact arithmetic on integers over the folding's common denominator; int / int is
    # correctly rounded, so every float below is the nearest one to the exact value.
    denominator = folding.denominator if folding is not None else 1
    per_minute = denominator * 60
    weights = [0] * len(CATEGORIES)
    per_activity: list[dict[str, int]] = [{} for _ in CATEGORIES]
    per_label: list[dict[str, int]] = [{} for _ in CATEGORIES]
    for (category, activity, extra), weight in (folding.weights if folding else {}).items():
        index = _category_index(category)
        weights[index] += weight
        label = NO_LABEL if activity is None else activity
        found = per_activity[index]
        found[label] = found.get(label, 0) + weight
        if by in ("tag", "source"):
            into = per_label[index]
            for label in _tag_labels(extra) if by == "tag" else [extra or NO_LABEL]:
                label = spellings.get(label.casefold(), label)
                into[label] = into.get(label, 0) + weight
    planned_minutes = no_minutes()
    if planned is not None:
        planned_weights = [0] * len(CATEGORIES)
        for (category, _, _), weight in planned.weights.items():
            planned_weights[_category_index(category)] += weight
        planned_minutes = {
            name: weight / (planned.denominator * 60)
            for name, weight in zip(CATEGORIES, planned_weights, strict=True)
        }
    leadership, hands_on = weights[0], weights[1]
    share = leadership / (leadership + hands_on) if leadership + hands_on else None
    return WeekRecord(
        week=iso_label(monday),
        start=monday,
        end=monday + timedelta(days=6),
        complete=complete,
        begun=begun,
        minutes={name: w / per_minute for name, w in zip(CATEGORIES, weights, strict=True)},
        leadership_share=share,
        double_booked_minutes=folding.double_booked / 60 if folding else 0.0,
        verdict=verdict_for(
            share,
            Fraction(leadership + hands_on, per_minute),
            target=target,
            tolerance=tolerance,
            min_hours=min_hours,
        ),
        activities=_sorted_tables(per_activity, per_minute) if activities else {},
        planned_minutes=planned_minutes,
        breakdown=_sorted_tables(per_label, per_minute) if by in ("tag", "source") else None,
        working_minutes=None if working is None else working[0],
        accounted_minutes=None if working is None else working[1],
        unaccounted_minutes=None if working is None else working[0] - working[1],
        exact_seconds=tuple(Fraction(w, denominator) for w in weights),
    )
