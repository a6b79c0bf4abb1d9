"""Re-classifying what is stored after a rule change, over a real SQLite file: every entry
ends up as classifying it alone would have it, manual choices stay, and the count of entries
that changed category or activity is exact, whichever way the store goes about it."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.entry import MANUAL, Category, Classification, Entry, Origin
from leadtime.rules import features_of, parse_rules_text
from leadtime.rules.tiers import Tiers
from leadtime.store import (
    EntryFilter,
    Store,
    add_entries,
    apply_classifications,
    list_entries,
    reclassify,
    set_classification,
)
from test_rules_features import EVERY_FIELD

NOW = datetime(2026, 11, 20, 17, tzinfo=UTC)
ZONE = "Europe/Berlin"

# Rules that read every field but the weekday (the store classifies each distinct
# combination of them once), one that reads the length, and one that reads the weekday
# (the store then classifies entry by entry).
EVERY_FIELD_BUT_THE_DAY = "[[rule]]" + "[[rule]]".join(EVERY_FIELD.split("[[rule]]")[2:])
assert "weekday" not in EVERY_FIELD_BUT_THE_DAY and "rooms" in EVERY_FIELD_BUT_THE_DAY
LONG_DEPLOYS = """
use_default_rules = false
[[rule]]
name = "long-deploys"
category = "hands-on"
activity = "ops"
title = ["deploy"]
duration = ">= 1h"
[[rule]]
name = "deploys"
category = "hands-on"
title = ["deploy"]
"""
WEEKEND = """
[[rule]]
name = "weekend"
category = "other"
weekday = ["sat", "sun"]
"""
RULES = {"every field": EVERY_FIELD_BUT_THE_DAY, "long deploys": LONG_DEPLOYS,
         "weekend": WEEKEND, "defaults": ""}  # fmt: skip

parts = st.tuples(
    st.sampled_from(["Deploy", "deploy fix", "Design review", "1:1 with Sam", "Sync", "asdf"]),
    st.sampled_from(["", "agenda"]),
    st.sampled_from(["", "Room 1"]),
    st.sampled_from([(), ("deep",), ("review", "deep")]),
    st.sampled_from([None, "Work", "Home"]),
    st.sampled_from([Origin.LOG, Origin.ICS, Origin.GIT]),
    st.sampled_from([None, "dana@example.com"]),
    st.integers(0, 4),
)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[Entry, bool]]:
    """Entries that repeat a few kinds at many times; some classified by hand."""
    kinds = draw(st.lists(parts, min_size=1, max_size=5))
    made = []
    for number in range(draw(st.integers(1, 30))):
        title, note, location, tags, calendar, origin, organizer, attendees = draw(
            st.sampled_from(kinds)
        )
        start = datetime(2026, 11, 2, 8, tzinfo=UTC) + timedelta(
            hours=draw(st.integers(0, 24 * 13))
        )
        minutes = draw(st.sampled_from([15, 30, 59, 60, 90]))
        entry = Entry(
            start, start + timedelta(minutes=minutes), title, origin, note=note,
            location=location, tags=tags, calendar=calendar, organizer=organizer,
            attendees=attendees, uid=f"u{number}" if calendar else None,
        )  # fmt: skip
        made.append((entry, draw(st.booleans()) and number % 3 == 0))
    return made


def tiers_of(text: str) -> Tiers:
    return Tiers(parse_rules_text(text, origin="r").ruleset(), None)


@contextmanager
def opened(url: str) -> Iterator[Store]:
    store = Store.open(url)
    try:
        yield store
    finally:
        store.close()


def stored(url: str) -> dict[str, Classification]:
    with opened(url) as store, store.read() as conn:
        return {e.id or "": e.classification for e in list_entries(conn, EntryFilter())}


def rerun(url: str, tiers: Tiers, *, grouped: bool) -> int | None:
    """What a command runs after a rule change; ``grouped`` False makes the store classify
    entry by entry (as it does for rules that read the weekday)."""
    with opened(url) as store, store.write() as conn:
        return reclassify(
            conn, "new", lambda rows: tiers.classify_rows(rows, ZONE),
            fields=tiers.fields if grouped else None,
        )  # fmt: skip


_counter = itertools.count()


@given(
    history=histories(),
    before=st.sampled_from(sorted(RULES)),
    after=st.sampled_from(sorted(RULES)),
)
@settings(max_examples=40, deadline=None)
def test_a_rule_change_leaves_every_entry_as_classifying_it_alone_would(
    tmp_path_factory: pytest.TempPathFactory,
    history: list[tuple[Entry, bool]],
    before: str,
    after: str,
) -> None:
    folder = tmp_path_factory.mktemp(f"reclassify{next(_counter)}")
    url = f"sqlite:///{folder / 'leadtime.db'}"
    manual = Classification(Category.OTHER, "picked", MANUAL)
    old, new = tiers_of(RULES[before]), tiers_of(RULES[after])
    with opened(url) as store, store.write() as conn:
        saved = add_entries(conn, [entry for entry, _ in history], NOW)
        apply_classifications(
            conn, [(e.id or "", old.classify(features_of(e, ZONE))) for e in saved]
        )
        for entry, (_, by_hand) in zip(saved, history, strict=True):
            if by_hand:
                set_classification(conn, entry.id or "", manual, NOW)
    was = stored(url)
    expected = {
        e.id or "": manual if by_hand else new.classify(features_of(e, ZONE))
        for e, (_, by_hand) in zip(saved, history, strict=True)
    }
    moved = sum(
        (was[key].category, was[key].activity) != (c.category, c.activity)
        for key, c in expected.items()
    )
    twin = folder / "twin.db"
    shutil.copy(folder / "leadtime.db", twin)

    assert rerun(url, new, grouped=True) == moved
    assert stored(url) == expected
    assert rerun(f"sqlite:///{twin}", new, grouped=False) == moved
    assert stored(f"sqlite:///{twin}") == expected


def test_an_unchanged_rule_set_is_not_run_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leadtime.db'}"
    tiers = tiers_of(LONG_DEPLOYS)
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with opened(url) as store, store.write() as conn:
        add_entries(conn, [Entry(start, start + timedelta(hours=2), "Deploy", Origin.LOG)], NOW)
    assert rerun(url, tiers, grouped=True) == 1
    assert list(stored(url).values()) == [Classification(Category.HANDS_ON, "ops", "long-deploys")]
    assert rerun(url, tiers, grouped=True) is None  # the same fingerprint: nothing to do


def test_one_connection_re_classifies_again_and_again(tmp_path: Path) -> None:
    """What a long-lived connection does: the temporary tables of one run do not stand in
    the way of the next, and each run starts from what the last one stored."""
    url = f"sqlite:///{tmp_path / 'leadtime.db'}"
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    deploy = Entry(start, start + timedelta(minutes=30), "Deploy", Origin.LOG)
    review = Entry(start + timedelta(hours=1), start + timedelta(hours=2), "Deploy", Origin.ICS,
                   location="Room 1", attendees=4)  # fmt: skip
    every, deploys = tiers_of(EVERY_FIELD_BUT_THE_DAY), tiers_of(LONG_DEPLOYS)
    with opened(url) as store:
        with store.write() as conn:
            add_entries(conn, [deploy, review], NOW)
        for number, (tiers, moved) in enumerate([(every, 2), (deploys, 2), (every, 2)]):
            with store.write() as conn:
                changed = reclassify(
                    conn, f"run {number}", lambda rows, t=tiers: t.classify_rows(rows, ZONE),
                    fields=tiers.fields,
                )  # fmt: skip
            assert changed == moved
        with store.read() as conn:
            found = [(e.title, e.classification) for e in list_entries(conn, EntryFilter())]
    assert found == [
        ("Deploy", every.classify(features_of(deploy, ZONE))),
        ("Deploy", Classification(Category.LEADERSHIP, None, "rooms")),
    ]
