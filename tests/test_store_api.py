"""The store's functions over a real SQLite file: ids, prefixes, filters, sources, locking."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadtime.entry import MANUAL, Category, Classification, Entry, Exclusion, Origin
from leadtime.store import (
    EntryFilter,
    SourceInfo,
    Store,
    StoreInputError,
    add_entries,
    apply_classifications,
    delete_entries,
    delete_objects,
    feature_rows,
    find_entries,
    find_entry,
    get_objects,
    get_source,
    list_entries,
    list_sources,
    put_object,
    remember_source,
    remove_source,
    rename_source,
    set_classification,
    span_rows,
    sync_entries,
)

NOW = datetime(2026, 11, 20, 17, tzinfo=UTC)
MONDAY = datetime(2026, 11, 16, 9, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, and one on the tests' PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'leadtime.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    opened = Store.open(url)
    yield opened
    opened.close()


def logged(title: str, hours: float, *, id: str | None = None, tags: tuple[str, ...] = (),
           origin: Origin = Origin.LOG, offset_h: float = 0) -> Entry:  # fmt: skip
    start = MONDAY + timedelta(hours=offset_h)
    return Entry(start, start + timedelta(hours=hours), title, origin, tags=tags, id=id)


def meeting(uid: str, title: str, day: int, rid: str | None = None) -> Entry:
    start = MONDAY + timedelta(days=day)
    return Entry(start, start + timedelta(hours=1), title, Origin.ICS, calendar="work",
                 uid=uid, recurrence_id=rid)  # fmt: skip


# --------------------------------------------------------------------------- ids and prefixes


def test_new_entries_get_fresh_short_ids(store: Store) -> None:
    with store.write() as conn:
        saved = add_entries(conn, [logged("Review", 1), logged("Bug fix", 0.5, offset_h=2)], NOW)
    ids = [e.id for e in saved]
    assert len(set(ids)) == 2
    for entry_id in ids:
        assert entry_id is not None and len(entry_id) == 8
        assert set(entry_id) <= set("0123456789abcdefghjkmnpqrstvwxyz")
    with store.read() as conn:
        assert [e.title for e in list_entries(conn, EntryFilter())] == ["Review", "Bug fix"]


@pytest.mark.parametrize("ref", ["____", "%%%%", "ab_d", "ab%", "a%", "____%", "_%_%"])
def test_prefix_wildcards_are_characters_not_patterns(store: Store, ref: str) -> None:
    with store.write() as conn:
        add_entries(conn, [logged("Review", 1, id="abcd1234")], NOW)
    with store.read() as conn, pytest.raises(StoreInputError) as caught:
        find_entry(conn, ref)
    assert caught.value.reason == "no-such-id"


def test_a_unique_prefix_finds_its_entry_and_a_shared_one_is_ambiguous(store: Store) -> None:
    with store.write() as conn:
        add_entries(
            conn,
            [logged("A", 1, id="abcd1234"), logged("B", 1, id="abcd9999"),
             logged("C", 1, id="bbbb0000")],
            NOW,
        )  # fmt: skip
    with store.read() as conn:
        assert find_entry(conn, "ABCD12").title == "A"  # references are case-insensitive
        assert find_entry(conn, " bbbb ").title == "C"
        assert find_entry(conn, "abcd9999").title == "B"
        with pytest.raises(StoreInputError) as caught:
            find_entry(conn, "abcd")
        assert caught.value.reason == "ambiguous-id"
        with pytest.raises(StoreInputError) as caught:
            find_entry(conn, "abc")  # too short to be a prefix
        assert caught.value.reason == "no-such-id"
        found = find_entries(conn, ["bbbb", "abcd1", "bbbb0000"])
    assert [e.title for e in found] == ["C", "A"]


# --------------------------------------------------------------------------- filters and rows


def test_filter_by_tag_is_exact_and_by_several_origins(store: Store) -> None:
    with store.write() as conn:
        add_entries(
            conn,
            [
                logged("RFC", 1, tags=("rfc", "auth")),
                logged("Spike", 1, tags=("rfc_old",), offset_h=2),
                logged("Timer", 1, tags=("RFC",), origin=Origin.TIMER, offset_h=4),
                logged("Watson", 1, tags=("rfc",), origin=Origin.WATSON, offset_h=6),
            ],
            NOW,
        )
    with store.read() as conn:
        tagged = [e.title for e in list_entries(conn, EntryFilter(tag="rfc"))]
        percent = list_entries(conn, EntryFilter(tag="rfc%"))
        by_origin = list_entries(conn, EntryFilter(origins=("timer", "watson")))
        spans = span_rows(conn, EntryFilter(tag="auth"))
    assert tagged == ["RFC", "Watson"]
    assert percent == []
    assert [e.title for e in by_origin] == ["Timer", "Watson"]
    start = int(MONDAY.timestamp())
    assert spans == [(start, start + 3600, "log", "unclassified", None, "rfc,auth")]
    assert spans[0][5] == "rfc,auth"  # tags


def test_span_rows_come_in_time_order_and_only_from_the_period(store: Store, url: str) -> None:
    with store.write() as conn:
        add_entries(
            conn,
            [
                logged("Late", 1, offset_h=5),
                logged("Early, stored first", 2, offset_h=1),
                logged("Early, stored next", 1, offset_h=1),
                logged("Before", 1, offset_h=-3),  # ends two hours before the period
                logged("After", 1, offset_h=30),  # starts after it
                logged("Across", 3, offset_h=-1),  # begins before it, ends inside
            ],
            NOW,
        )
    start = int(MONDAY.timestamp())
    with store.read() as conn:
        rows = span_rows(conn, EntryFilter(start, start + 24 * 3600))
        with_tag = span_rows(conn, EntryFilter(start, start + 24 * 3600, tag="none"))
    hour = 3600
    found = [(r[0] - start, r[1] - start) for r in rows]
    assert sorted(found) == [(-hour, 2 * hour), (hour, 2 * hour), (hour, 3 * hour),
                             (5 * hour, 6 * hour)]  # fmt: skip
    assert [moment for moment, _ in found] == [-hour, hour, hour, 5 * hour]  # by start
    if url.startswith("sqlite"):  # and those that start together in the order stored
        assert found[1:3] == [(hour, 3 * hour), (hour, 2 * hour)]
    assert with_tag == []


def test_feature_rows_skip_manual_choices_and_classifications_apply_in_bulk(store: Store) -> None:
    manual = Classification(Category.HANDS_ON, "coding", MANUAL)
    with store.write() as conn:
        a, b = add_entries(conn, [logged("1:1 with Sam", 0.5), logged("Fix", 1, offset_h=1)], NOW)
        assert a.id and b.id
        set_classification(conn, b.id, manual, NOW)
        rows = feature_rows(conn)
        assert [(r.id, r.title, r.end - r.start) for r in rows] == [(a.id, "1:1 with Sam", 1800)]
        apply_classifications(conn, [(a.id, Classification(Category.LEADERSHIP, "1:1", "ones"))])
    with store.read() as conn:
        first, second = list_entries(conn, EntryFilter())
    assert first.classification == Classification(Category.LEADERSHIP, "1:1", "ones")
    assert second.classification == manual


# --------------------------------------------------------------------------- sources


def test_sync_keeps_ids_removes_inside_the_window_and_honours_uids(store: Store) -> None:
    window = (int(MONDAY.timestamp()) - 86400, int(MONDAY.timestamp()) + 7 * 86400)
    first = [meeting("u1", "Standup", 0), meeting("u2", "Planning", 1), meeting("u3", "Retro", 2)]
    with store.write() as conn:
        result = sync_entries(conn, "work", first, window, NOW)
        assert (result.added, result.updated, result.removed) == (3, 0, 0)
        ids = {e.uid: e.id for e in list_entries(conn, EntryFilter(calendar="work"))}
    # An incremental sync of u2 alone: u1 and u3 are not looked at, so they stay.
    with store.write() as conn:
        result = sync_entries(conn, "work", [meeting("u2", "Planning (moved)", 1)], window, NOW,
                              uids={"u2"})  # fmt: skip
        assert (result.added, result.updated, result.removed, result.unchanged) == (0, 1, 0, 0)
        result = sync_entries(conn, "work", [], window, NOW, uids={"u3"})
        assert (result.added, result.updated, result.removed) == (0, 0, 1)
    with store.read() as conn:
        now_stored = {e.uid: (e.id, e.title) for e in list_entries(conn, EntryFilter())}
    assert now_stored == {"u1": (ids["u1"], "Standup"), "u2": (ids["u2"], "Planning (moved)")}


def test_sources_are_remembered_renamed_and_removed_with_their_entries(store: Store) -> None:
    info = SourceInfo("work", "caldav", "https://cal.example.com/dana/work/", NOW, 3, 2, 1,
                      {"sync_token": "t-42", "window": [1, 2]})  # fmt: skip
    window = (0, 2**40)
    with store.write() as conn:
        remember_source(conn, info)
        sync_entries(conn, "work", [meeting("u1", "Standup", 0)], window, NOW)
        put_object(conn, "work", "/dana/work/u1.ics", '"e1"', b"BEGIN:VCALENDAR\r\n")
        put_object(conn, "work", "/dana/work/u1.ics", '"e2"', b"BEGIN:VCALENDAR\r\nX")
        put_object(conn, "work", "/dana/work/u2.ics", None, b"\x00\xff")
        remember_source(conn, SourceInfo("home", "ics", "/tmp/home.ics"))
    with store.read() as conn:
        assert get_source(conn, "work") == info
        assert [s.name for s in list_sources(conn)] == ["home", "work"]
        (entry,) = list_entries(conn, EntryFilter(calendar="work"))
    with store.write() as conn:
        with pytest.raises(StoreInputError) as caught:
            rename_source(conn, "work", "home")
        assert caught.value.reason == "source-exists"
        rename_source(conn, "work", "office")
        assert get_objects(conn, "office") == {
            "/dana/work/u1.ics": ('"e2"', b"BEGIN:VCALENDAR\r\nX"),
            "/dana/work/u2.ics": (None, b"\x00\xff"),
        }
        delete_objects(conn, "office", ["/dana/work/u2.ics"])
        assert list(get_objects(conn, "office")) == ["/dana/work/u1.ics"]
        (moved,) = list_entries(conn, EntryFilter(calendar="office"))
        assert moved.id == entry.id
        assert remove_source(conn, "office") == 1
        with pytest.raises(StoreInputError) as caught:
            remove_source(conn, "office")
        assert caught.value.reason == "no-such-source"
    with store.read() as conn:
        assert [s.name for s in list_sources(conn)] == ["home"]
        assert list_entries(conn, EntryFilter()) == []
        assert get_objects(conn, "office") == {}


def test_excluded_instances_are_listed_apart(store: Store) -> None:
    declined = Entry(MONDAY, MONDAY + timedelta(hours=1), "Offsite", Origin.ICS, calendar="work",
                     uid="x", excluded=Exclusion.DECLINED)  # fmt: skip
    with store.write() as conn:
        sync_entries(conn, "work", [declined, meeting("u1", "Standup", 1)], (0, 2**40), NOW)
    with store.read() as conn:
        assert [e.title for e in list_entries(conn, EntryFilter(excluded=True))] == ["Offsite"]
        assert [r[2] for r in span_rows(conn, EntryFilter())] == ["ics"]  # origin


def test_a_large_sync_finds_every_taken_id_and_removes_every_gone_instance(store: Store) -> None:
    # 1,200 instances are looked up and removed in several IN (...) lists; two ids an
    # import would give are already taken, one in the second list and one in the third.
    from leadtime.store.entries import stable_id

    instances = [
        meeting("weekly", "Standup", 0, rid=f"2026-11-16T09:00:{n:04d}Z") for n in range(1200)
    ]
    taken = [stable_id("work", "weekly", instances[n].recurrence_id) for n in (700, 1100)]
    with store.write() as conn:
        add_entries(conn, [logged("a", 1, id=taken[0]), logged("b", 1, id=taken[1])], NOW)
        assert sync_entries(conn, "work", instances, (0, 2**40), NOW).added == 1200
        stored = {e.recurrence_id: e.id for e in list_entries(conn, EntryFilter()) if e.uid}
        assert len(stored) == 1200 and len(set(stored.values())) == 1200
        assert not set(taken) & set(stored.values())  # the two clashes got other ids
        assert sync_entries(conn, "work", [], (0, 2**40), NOW).removed == 1200
        assert [e.title for e in list_entries(conn, EntryFilter())] == ["a", "b"]


# --------------------------------------------------------------------------- transactions


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        add_entries(conn, [logged("Half", 1)], NOW)
        raise RuntimeError("interrupted")
    with store.read() as conn:
        assert list_entries(conn, EntryFilter()) == []
    with store.write() as conn:  # the connection is usable again
        assert delete_entries(conn, ["nothing1"]) == 0


def test_writers_hold_the_lock_from_the_start_of_the_transaction(url: str) -> None:
    first, second = Store.open(url), Store.open(url)
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def hold() -> None:
        with first.write() as conn:
            conn.execute("SELECT count(*) FROM entries").fetchone()  # a check ...
            inside.set()
            release.wait(5)
            add_entries(conn, [logged("first", 1)], NOW)  # ... then the write
            order.append("first")

    def follow() -> None:
        with second.write() as conn:
            order.append("second")
            (count,) = conn.execute("SELECT count(*) FROM entries").fetchone()
            order.append(f"saw {count}")

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    follower = threading.Thread(target=follow)
    follower.start()
    follower.join(0.3)
    assert follower.is_alive() and order == []  # waiting for the lock, not inside
    release.set()
    holder.join(5)
    follower.join(5)
    assert order == ["first", "second", "saw 1"]
    first.close()
    second.close()


def test_logging_to_a_current_file_imports_no_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leadtime.db'}"
    Store.open(url).close()  # created and migrated: this part may use SQLAlchemy
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from leadtime.entry import Entry\n"
        "from leadtime.store import EntryFilter, Store, add_entries, list_entries, span_rows\n"
        f"store = Store.open({url!r})\n"
        "moment = datetime(2026, 11, 16, 9, tzinfo=UTC)\n"
        "with store.write() as conn:\n"
        "    add_entries(conn, [Entry(moment, moment.replace(hour=10), 'Review')], moment)\n"
        "with store.read() as conn:\n"
        "    assert len(list_entries(conn, EntryFilter())) == 1\n"
        "    assert len(span_rows(conn, EntryFilter())) == 1\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy', 'sqlmodel', 'alembic'))\n"
        "print(','.join(heavy) or 'none')\n"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "none"


@pytest.mark.slow
def test_concurrent_first_runs_create_the_schema_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'leadtime.db'}"
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from leadtime.entry import Entry\n"
        "from leadtime.store import Store, add_entries\n"
        "moment = datetime(2026, 11, 16, 9, tzinfo=UTC)\n"
        "store = Store.open(sys.argv[1])\n"
        "with store.write() as conn:\n"
        "    add_entries(conn, [Entry(moment, moment.replace(hour=10), sys.argv[2])], moment)\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, f"Run {n}"], stderr=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    store = Store.open(url)
    with store.read() as conn:
        titles = sorted(e.title for e in list_entries(conn, EntryFilter()))
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    store.close()
    assert titles == [f"Run {n}" for n in range(4)]
