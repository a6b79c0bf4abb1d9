"""Properties of the split that must hold for any set of entries."""

from __future__ import annotations

import random
from datetime import date, datetime
from fractions import Fraction
from math import lcm

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.reports.fold import fold
from leadtime.reports.split import CATEGORIES, Span, build_report

ZONE = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-04-10T12:00:00+02:00")
# Three weeks around the spring-forward change (2026-W13 is 167 hours long).
MONDAYS = [date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]
BOUNDS = [
    int(datetime.fromisoformat(text).timestamp())
    for text in (
        "2026-03-16T00:00:00+01:00",
        "2026-03-23T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
        "2026-04-06T00:00:00+02:00",
    )
]
LOW, HIGH = BOUNDS[0] - 86_400, BOUNDS[-1] + 86_400


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(LOW, HIGH))
    length = draw(st.one_of(st.integers(0, 4 * 3600), st.integers(0, 10 * 86_400)))
    return Span(
        start,
        start + length,
        draw(st.sampled_from(["log", "timer", "ics"])),
        draw(st.sampled_from(CATEGORIES)),
        draw(st.sampled_from([None, "review", "spike", "1:1"])),
    )


span_lists = st.lists(spans(), max_size=30)


def clipped(items: list[Span], lo: int, hi: int) -> list[tuple[int, int]]:
    pieces = [(max(s.start, lo), min(s.end, hi)) for s in items]
    return [(a, b) for a, b in pieces if a < b]


def union_length(pieces: list[tuple[int, int]]) -> int:
    total, reach = 0, None
    for a, b in sorted(pieces):
        if reach is None or a > reach:
            total += b - a
            reach = b
        elif b > reach:
            total += b - reach
            reach = b
    return total


@settings(max_examples=150, deadline=None)
@given(span_lists)
def test_week_total_is_the_union_and_double_booking_is_the_excess(items: list[Span]) -> None:
    report = build_report(items, MONDAYS, tz=ZONE, now=NOW)
    for record, lo, hi in zip(report.weeks, BOUNDS[:-1], BOUNDS[1:], strict=True):
        pieces = clipped(items, lo, hi)
        union = union_length(pieces)
        naive = sum(b - a for a, b in pieces)
        assert sum(record.minutes.values()) * 60 == pytest.approx(union, abs=1e-6)
        assert record.double_booked_minutes == (naive - union) / 60
        assert record.total_minutes * 60 <= hi - lo
        for category, found in record.activities.items():
            assert sum(found.values()) == pytest.approx(record.minutes[category])


@settings(max_examples=150, deadline=None)
@given(span_lists)
def test_shares_are_fractions_or_none_without_classified_time(items: list[Span]) -> None:
    for record in build_report(items, MONDAYS, tz=ZONE, now=NOW).weeks:
        classified = record.minutes["leadership"] + record.minutes["hands-on"]
        if classified == 0:
            assert record.leadership_share is None
            assert record.verdict == "not-enough-data"
        else:
            assert record.leadership_share is not None
            assert 0.0 <= record.leadership_share <= 1.0


@settings(max_examples=100, deadline=None)
@given(span_lists, st.randoms(use_true_random=False))
def test_a_period_and_its_sub_periods_give_the_same_weeks(
    items: list[Span], rng: random.Random
) -> None:
    whole = build_report(items, MONDAYS, tz=ZONE, now=NOW).weeks
    parts = (
        build_report(items, MONDAYS[:1], tz=ZONE, now=NOW).weeks
        + build_report(items, MONDAYS[1:2], tz=ZONE, now=NOW).weeks
        + build_report(items, MONDAYS[2:], tz=ZONE, now=NOW).weeks
    )
    assert parts == whole
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert build_report(shuffled, MONDAYS, tz=ZONE, now=NOW).weeks == whole


@settings(max_examples=100, deadline=None)
@given(span_lists, st.sampled_from(CATEGORIES))
def test_a_log_entry_over_the_whole_week_takes_it_from_the_calendar(
    calendar: list[Span], category: str
) -> None:
    meetings = [s._replace(origin="ics") for s in calendar]
    lo, hi = BOUNDS[1], BOUNDS[2]
    logged = Span(lo - 60, hi + 60, "log", category, None)
    record = build_report([*meetings, logged], MONDAYS[1:2], tz=ZONE, now=NOW).weeks[0]
    assert record.minutes == {
        name: (167 * 60.0 if name == category else 0.0) for name in CATEGORIES
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 200), st.booleans()), max_size=20))
def test_fold_hands_out_exactly_the_union(raw: list[tuple[int, int, bool]]) -> None:
    pieces = [
        (start, start + length, direct, i % 3) for i, (start, length, direct) in enumerate(raw)
    ]
    folding = fold(pieces)
    assert sum(folding.seconds.values()) == folding.union
    assert folding.union == union_length([(a, b) for a, b, _, _ in pieces if a < b])


def shares_second_by_second(
    pieces: list[tuple[int, int, bool, int]],
) -> tuple[dict[int, Fraction], int, set[int]]:
    """The contract of SPEC 4.5 applied one second at a time: each second is split equally
    among the logged pieces covering it, or, when none is logged, among the calendar ones.
    Returns the shares, the seconds covered and the numbers of pieces that shared one."""
    got: dict[int, Fraction] = {}
    covered = 0
    counts: set[int] = set()
    for second in range(min((a for a, _, _, _ in pieces), default=0), 800):
        on = [(direct, key) for a, b, direct, key in pieces if a <= second < b]
        logged = [key for direct, key in on if direct]
        sharing = logged or [key for _, key in on]
        covered += bool(sharing)
        if sharing:
            counts.add(len(sharing))
        for key in sharing:
            got[key] = got.get(key, Fraction(0)) + Fraction(1, len(sharing))
    return got, covered, counts


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(-5, 200), st.booleans(), st.integers(0, 3)),
        max_size=25,
    )
)
def test_fold_matches_the_contract_second_by_second(
    raw: list[tuple[int, int, bool, int]],
) -> None:
    pieces = [(start, start + length, direct, key) for start, length, direct, key in raw]
    folding = fold(pieces)
    expected, covered, counts = shares_second_by_second(pieces)
    assert folding.seconds == expected
    assert folding.union == covered
    assert folding.naive == sum(b - a for a, b, _, _ in pieces if b > a)
    assert folding.denominator == lcm(*counts)
