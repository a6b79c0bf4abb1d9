"""What the engine sees of an entry, from an Entry or a stored row; sources; category names."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.entry import Category, Entry, Origin
from leadtime.errors import ConfigError
from leadtime.rules import (
    Features,
    closest_category,
    features_of,
    features_of_rows,
    parse_rules_text,
)
from leadtime.rules.tiers import Tiers

SAT, SUN = 5, 6


def row_of(entry: Entry) -> tuple[object, ...]:
    """The stored form: (id, title, note, location, tags_csv, calendar, origin, organizer,
    attendees, start_ts, end_ts)."""
    return (
        "e1", entry.title, entry.note, entry.location, ",".join(entry.tags), entry.calendar,
        entry.origin.value, entry.organizer, entry.attendees,
        int(entry.start.timestamp()), int(entry.end.timestamp()),
    )  # fmt: skip


def entry_at(start: datetime, minutes: int = 45) -> Entry:
    return Entry(
        start=start,
        end=start + timedelta(minutes=minutes),
        title="Design review",
        origin=Origin.ICS,
        note="agenda",
        location="Room 1",
        tags=("deep", "Review"),
        calendar="Work",
        organizer="dana@example.com",
        attendees=4,
    )


def test_a_stored_row_has_the_features_of_its_entry() -> None:
    entry = entry_at(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    (from_row,) = features_of_rows([row_of(entry)], "Europe/Berlin")
    assert from_row == features_of(entry, "Europe/Berlin")
    assert from_row == Features(
        "Design review", "agenda", "Room 1", ("deep", "Review"), "Work", "ics",
        "dana@example.com", 4, 45.0, SUN,  # 00:30 on Sunday in Berlin, 23:30 Saturday in UTC
    )  # fmt: skip


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Berlin", datetime(2026, 3, 28, tzinfo=UTC)),  # clocks forward on Sunday 29
        ("Europe/Berlin", datetime(2026, 10, 24, tzinfo=UTC)),  # and back on Sunday 25
        ("America/Sao_Paulo", datetime(2018, 11, 3, tzinfo=UTC)),  # DST began at midnight
        ("America/Santiago", datetime(2026, 4, 4, tzinfo=UTC)),  # DST ends at midnight
        ("Australia/Lord_Howe", datetime(2026, 4, 4, tzinfo=UTC)),  # a 30-minute shift
        ("Asia/Kathmandu", datetime(2026, 5, 30, tzinfo=UTC)),  # +05:45
    ],
)
def test_rows_and_entries_agree_on_the_weekday_around_midnight_and_dst(
    zone: str, day: datetime
) -> None:
    entries = [entry_at(day + timedelta(minutes=7 * i)) for i in range(3 * 24 * 60 // 7)]
    from_rows = list(features_of_rows([row_of(e) for e in entries], zone))
    assert from_rows == [features_of(e, zone) for e in entries]
    assert {f.weekday for f in from_rows} >= {SAT, SUN}


def test_features_of_rows_tolerates_empty_stored_columns() -> None:
    row = ("e2", "Lunch", None, None, "", None, "log", None, None, 0, 1800)
    (f,) = features_of_rows([row], "UTC")
    assert f == Features("Lunch", "", "", (), None, "log", None, 0, 30.0, 3)  # 1970-01-01


def test_an_unknown_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        list(
            features_of_rows([("e", "x", "", "", "", None, "log", None, 0, 0, 60)], "Mars/Olympus")
        )


@pytest.mark.parametrize("origin", [o.value for o in Origin])
def test_source_accepts_every_origin(origin: str) -> None:
    text = 'use_default_rules = false\n[[rule]]\nname = "s"\ncategory = "other"\n'
    text += f'source = "{origin}"\n'
    rules = parse_rules_text(text, origin="r").ruleset()
    f = Features("x", "", "", (), None, origin, None, 0, 1.0, 0)
    assert rules.classify(f).decided_by == "s"
    other = "log" if origin != "log" else "ics"
    assert rules.classify(f._replace(origin=other)).decided_by is None


def test_an_unknown_source_lists_the_sources() -> None:
    text = 'use_default_rules = false\n[[rule]]\nname = "s"\ncategory = "other"\nsource = "gti"\n'
    with pytest.raises(ConfigError) as caught:
        parse_rules_text(text, origin="r")
    assert caught.value.hint == (
        "did you mean 'git'? sources: log, timer, ics, git, watson, timewarrior"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hands-on", Category.HANDS_ON),
        ("handson", Category.HANDS_ON),
        ("Hands On", Category.HANDS_ON),
        ("hands_on", Category.HANDS_ON),
        ("handon", Category.HANDS_ON),
        ("leadrship", Category.LEADERSHIP),
        ("LEADERSHIP", Category.LEADERSHIP),
        ("lead", Category.LEADERSHIP),
        ("othr", Category.OTHER),
        ("unclasified", Category.UNCLASSIFIED),
        ("coffee", None),
        ("", None),
        ("x", None),
    ],
)
def test_closest_category(text: str, expected: Category | None) -> None:
    assert closest_category(text) is expected


# A rule for each field a rule can read, so that a row differing in any of them may differ
# in its classification.
EVERY_FIELD = """
[[rule]]
name = "weekend-deploys"
category = "hands-on"
weekday = ["sat", "sun"]
title = ["deploy"]
[[rule]]
name = "short-notes"
category = "other"
description = ["agenda"]
duration = "< 30m"
[[rule]]
name = "rooms"
category = "leadership"
location = ["room"]
attendees = ">= 3"
[[rule]]
name = "tagged"
category = "hands-on"
tags = ["deep"]
calendar = ["work"]
[[rule]]
name = "organised"
category = "leadership"
organizer = ["dana@example.com"]
source = ["ics"]
"""

entry_parts = st.tuples(
    st.sampled_from(["Deploy", "Design review", "Sync", "deploy fix"]),
    st.sampled_from(["", "agenda", None]),
    st.sampled_from(["", "Room 1", None]),
    st.sampled_from(["", "deep", "Review,deep", None]),
    st.sampled_from([None, "Work", "Home"]),
    st.sampled_from(["log", "ics", "git"]),
    st.sampled_from([None, "dana@example.com", "lee@example.com"]),
    st.integers(0, 5),
)
times = st.tuples(
    st.integers(1_700_000_000 // 900, 1_800_000_000 // 900).map(lambda q: q * 900),
    st.sampled_from([15, 29, 30, 45, 600]).map(lambda m: m * 60),
)


@st.composite
def stored_rows(draw: st.DrawFn) -> list[tuple[object, ...]]:
    """Rows that share what they say and differ in when (a history repeats itself)."""
    parts = draw(st.lists(entry_parts, min_size=1, max_size=4))
    rows = []
    for number, (part, (start, length)) in enumerate(
        draw(st.lists(st.tuples(st.sampled_from(parts), times), max_size=40))
    ):
        rows.append((f"e{number}", *part, start, start + length))
    return rows


ONLY_DEPLOYS = (
    'use_default_rules = false\n[[rule]]\nname = "t"\ncategory = "hands-on"\ntitle = ["deploy"]\n'
)


@functools.cache
def tiers_of(text: str) -> Tiers:
    return Tiers(parse_rules_text(text, origin="r").ruleset(), None)


@given(
    rows=stored_rows(),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "Pacific/Kiritimati"]),
    text=st.sampled_from([EVERY_FIELD, ONLY_DEPLOYS]),
)
@settings(max_examples=150)
def test_stored_rows_are_classified_as_each_row_alone_would_be(
    rows: list[tuple[object, ...]], zone: str, text: str
) -> None:
    """Re-classification classifies each distinct combination of what the rules read once
    and hands the answer on: the result is row for row what classifying each row gives."""
    tiers = tiers_of(text)
    alone = [tiers.classify(f) for f in features_of_rows(rows, zone)]
    assert tiers.classify_rows(rows, zone) == alone
