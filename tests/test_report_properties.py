"""Properties of the split that must hold for any set of entries."""

from __future__ import annotations

import random
from datetime import date, datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.entry import DIRECT_ORIGINS
from leadtime.reports import CATEGORIES, Span, WorkHours, build_report

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
ORIGINS = ["log", "timer", "ics", "git", "watson", "timewarrior"]
AFTER = datetime.fromisoformat("2026-05-01T00:00:00+02:00")  # every week complete
# Inside 2026-W13 (the 167-hour week): W12 done, W13 part done part planned, W14 all planned.
DURING = datetime.fromisoformat("2026-03-29T03:30:00+02:00")


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(LOW, HIGH))
    length = draw(st.one_of(st.integers(0, 4 * 3600), st.integers(0, 10 * 86_400)))
    return Span(
        start,
        start + length,
        draw(st.sampled_from(ORIGINS)),
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


def shares_second_by_second(
    pieces: list[tuple[int, int, str, str, str | None]], lo: int, hi: int
) -> tuple[dict[tuple[str, str | None], Fraction], int, int, set[int]]:
    """The contract of SPEC 4.5 applied one second at a time over ``[lo, hi)``: each second
    is split equally among the direct pieces covering it (log, timer, Watson, Timewarrior),
    or, when there is none, among all of them. Returns the shares per (category, activity),
    the seconds covered, the sum of the lengths, and the numbers of pieces that shared one."""
    got: dict[tuple[str, str | None], Fraction] = {}
    covered = naive = 0
    counts: set[int] = set()
    for second in range(lo, hi):
        on = [(o in DIRECT_ORIGINS, (c, a)) for s, e, o, c, a in pieces if s <= second < e]
        naive += len(on)
        logged = [key for direct, key in on if direct]
        sharing = logged or [key for _, key in on]
        covered += bool(sharing)
        if sharing:
            counts.add(len(sharing))
        for key in sharing:
            got[key] = got.get(key, Fraction(0)) + Fraction(1, len(sharing))
    return got, covered, naive, counts


WEEK = BOUNDS[1]  # 2026-W13 begins


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-50, 300),
            st.integers(-5, 200),
            st.sampled_from(ORIGINS),
            st.sampled_from(CATEGORIES),
            st.sampled_from([None, "review", "spike"]),
        ),
        max_size=25,
    )
)
def test_the_report_matches_the_contract_second_by_second(
    raw: list[tuple[int, int, str, str, str | None]],
) -> None:
    # Pieces from just before the week began: the part before it is not the week's.
    pieces = [(WEEK + s, WEEK + s + n, o, c, a) for s, n, o, c, a in raw]
    record = build_report(
        [Span(*piece) for piece in pieces], MONDAYS[1:2], tz=ZONE, now=AFTER
    ).weeks[0]
    expected, covered, naive, _ = shares_second_by_second(pieces, WEEK, WEEK + 600)
    by_category = {name: Fraction(0) for name in CATEGORIES}
    for (category, _), seconds in expected.items():
        by_category[category] += seconds
    assert record.seconds() == tuple(by_category[name] for name in CATEGORIES)
    assert record.double_booked_minutes == (naive - covered) / 60
    found = {
        (category, None if label == "(none)" else label): minutes
        for category, labels in record.activities.items()
        for label, minutes in labels.items()
    }
    assert found == {key: float(seconds / 60) for key, seconds in expected.items() if seconds}


@settings(max_examples=100, deadline=None)
@given(span_lists)
def test_planned_and_done_add_up_to_the_unclipped_figure(items: list[Span]) -> None:
    whole = build_report(items, MONDAYS, tz=ZONE, now=AFTER).weeks
    cut = build_report(items, MONDAYS, tz=ZONE, now=DURING).weeks
    assert [record.planned_total for record in whole] == [0.0, 0.0, 0.0]
    assert cut[0].planned_total == 0.0  # W12 is over
    assert cut[2].total_minutes == 0.0  # W14 has not begun: all of it is planned
    for done, unclipped in zip(cut, whole, strict=True):
        for name in CATEGORIES:
            together = done.minutes[name] + done.planned_minutes[name]
            assert together == pytest.approx(unclipped.minutes[name], abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(span_lists)
def test_done_and_planned_time_cover_the_union(items: list[Span]) -> None:
    report = build_report(items, MONDAYS, tz=ZONE, now=DURING)
    for record, lo, hi in zip(report.weeks, BOUNDS[:-1], BOUNDS[1:], strict=True):
        union = union_length(clipped(items, lo, hi))
        assert (record.total_minutes + record.planned_total) * 60 == pytest.approx(union, abs=1e-6)


HOURS = WorkHours.parse("mon-thu 08:30-12:00,13:00-17:30; fri 08:30-14:00")


@settings(max_examples=100, deadline=None)
@given(span_lists, st.sampled_from([DURING, AFTER]))
def test_accounted_time_lies_within_working_time_and_the_entries(
    items: list[Span], now: datetime
) -> None:
    report = build_report(items, MONDAYS, tz=ZONE, now=now, work_hours=HOURS)
    for record, lo, hi in zip(report.weeks, BOUNDS[:-1], BOUNDS[1:], strict=True):
        assert record.working_minutes is not None and record.accounted_minutes is not None
        assert 0 <= record.accounted_minutes <= record.working_minutes
        assert record.working_minutes <= HOURS.weekly_minutes  # 8 h x 4 + 5.5 h = 37.5 h
        done = union_length(clipped(items, lo, min(hi, int(now.timestamp()))))
        assert record.accounted_minutes <= done / 60
        assert record.unaccounted_minutes == record.working_minutes - record.accounted_minutes
