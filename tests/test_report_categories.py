"""A report read cheaply, as (start, end, category code) triples, has the numbers of the
same report read whole: what the long table reads is only less, never different."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from leadtime.entry import DIRECT_ORIGINS
from leadtime.reports import CATEGORIES, Span, WorkHours, build_report
from leadtime.store import EntryFilter, Store, category_spans, span_rows
from test_report_properties import AFTER, BOUNDS, DURING, MONDAYS, NOW, ZONE, span_lists


def _coded(items: list[Span]) -> list[tuple[int, int, int]]:
    return [
        (s.start, s.end, 2 * CATEGORIES.index(s.category) + (s.origin in DIRECT_ORIGINS))
        for s in items
    ]


@settings(max_examples=150, deadline=None)
@given(span_lists)
def test_category_codes_give_the_same_weeks(items: list[Span]) -> None:
    hours = WorkHours.parse("mon-fri 09:00-17:00")
    for now in (NOW, AFTER, DURING):
        whole = build_report(items, MONDAYS, tz=ZONE, now=now, work_hours=hours)
        cheap = build_report(_coded(items), MONDAYS, tz=ZONE, now=now, work_hours=hours)
        for a, b in zip(whole.weeks, cheap.weeks, strict=True):
            assert b.activities == {}
            assert (a.minutes, a.planned_minutes, a.leadership_share, a.verdict) == (
                b.minutes, b.planned_minutes, b.leadership_share, b.verdict,
            )  # fmt: skip
            assert a.double_booked_minutes == b.double_booked_minutes
            assert (a.working_minutes, a.accounted_minutes) == (
                b.working_minutes, b.accounted_minutes,
            )  # fmt: skip
            assert a.seconds() == b.seconds()
        assert whole.totals == cheap.totals


def test_a_breakdown_needs_whole_spans() -> None:
    with pytest.raises(ValueError, match="whole spans"):
        build_report([(0, 60, 0)], MONDAYS, tz=ZONE, now=NOW, by="tag")


def test_an_unknown_category_is_refused_as_with_whole_spans() -> None:
    start = BOUNDS[0] + 3600
    with pytest.raises(ValueError, match="unknown category"):
        build_report([(start, start + 60, -2)], MONDAYS, tz=ZONE, now=NOW)


def test_the_store_reads_the_codes_of_what_it_would_read_whole(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from leadtime.entry import Entry, Origin

    store = Store.open(f"sqlite:///{tmp_path / 'codes.db'}")
    moment = datetime(2026, 3, 17, 9, tzinfo=UTC)
    entries = [
        Entry(start=moment, end=moment.replace(hour=10), title="a", origin=Origin.LOG),
        Entry(start=moment, end=moment.replace(hour=11), title="b", origin=Origin.ICS,
              calendar="work", uid="b@x"),
        Entry(start=moment.replace(hour=12), end=moment.replace(hour=13), title="c",
              origin=Origin.WATSON, tags=("x",)),
    ]  # fmt: skip
    from leadtime.store import add_entries

    with store.write() as conn:
        add_entries(conn, entries, moment)
    where = EntryFilter(0, 2_000_000_000)
    with store.read() as conn:
        whole = sorted(span_rows(conn, where))
        codes = sorted(category_spans(conn, where, CATEGORIES, DIRECT_ORIGINS))
        tagged = category_spans(
            conn, EntryFilter(0, 2_000_000_000, tag="x"), CATEGORIES, DIRECT_ORIGINS
        )
    assert codes == sorted(_coded([Span(*row) for row in whole]))
    assert [row[:2] for row in tagged] == [row[:2] for row in whole if row[5] == "x"]
