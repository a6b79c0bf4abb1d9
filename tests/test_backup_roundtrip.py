"""The round trip: for any database that the importers, ``log``, the timer and ``edit`` can
produce, ``export`` then ``restore`` into an empty home gives back the same entries and the
same sources.

Hypothesis draws a history of operations through the application layer — the functions
the commands call — with hostile text (control characters, bidirectional overrides, NUL),
events lasting from nothing to years, frames and intervals from before 1970 to years
ahead. Each door keeps what it keeps; the property is that nothing kept is lost or
changed by a backup.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW, ZONE
from leadtime.app import entries as app
from leadtime.app import importing
from leadtime.app.transfer import export_lines, parse_export, restore
from leadtime.app.workspace import Workspace
from leadtime.entry import Entry, Origin
from leadtime.errors import LeadtimeError

NOW_UTC = datetime.fromisoformat(NOW).astimezone(UTC)
ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs", "Cc", "Cf"),
    include_characters="\x00\x1b\x9b\u202e\t\n",
)
TITLE = st.text(ALPHABET, min_size=1, max_size=20).filter(lambda t: t.strip())
TEXT = st.text(ALPHABET, max_size=20)
TAG = st.text(ALPHABET.filter(lambda c: c != ","), min_size=1, max_size=8).filter(
    lambda t: t.strip().lstrip("#").strip()
)
MINUTES_BACK = st.integers(min_value=0, max_value=60 * 24 * 400)
LENGTH = st.integers(min_value=1, max_value=60 * 30)  # up to 30 h: some are refused
SPAN = st.sampled_from(
    [
        timedelta(0),
        timedelta(minutes=45),
        timedelta(hours=30),
        timedelta(days=3),
        timedelta(days=800),
        timedelta(days=1500),
    ]
)
# Seconds from the suite's "now": before 1970, years back, now, and years ahead.
OFFSET = st.one_of(
    st.integers(min_value=-86_400 * 400, max_value=86_400 * 40),
    st.sampled_from([-NOW_UTC.timestamp() - 86_400 * 3, 86_400 * 365 * 3]),
)


@st.composite
def log_op(draw: st.DrawFn) -> tuple[Any, ...]:
    return ("log", draw(TITLE), draw(MINUTES_BACK), draw(LENGTH),
            draw(st.lists(TAG, max_size=3)), draw(TEXT),
            draw(st.sampled_from([None, "leadership:review", "other"])))  # fmt: skip


@st.composite
def timer_op(draw: st.DrawFn) -> tuple[Any, ...]:
    return ("timer", draw(TITLE), draw(MINUTES_BACK), draw(LENGTH), draw(st.lists(TAG, max_size=2)))


@st.composite
def edit_op(draw: st.DrawFn) -> tuple[Any, ...]:
    return ("edit", draw(st.integers(0, 5)), draw(st.none() | TITLE),
            draw(st.none() | st.lists(TAG, max_size=2)), draw(st.none() | TEXT),
            draw(st.none() | LENGTH))  # fmt: skip


EVENT = st.tuples(TITLE, OFFSET, SPAN, st.sampled_from(["", "CANCELLED", "TRANSPARENT"]), TEXT)
ics_op = st.tuples(st.just("ics"), st.lists(EVENT, min_size=1, max_size=4))
TRACKED = st.one_of(st.integers(1, 600).map(lambda m: timedelta(minutes=m)), SPAN)
FRAME = st.tuples(TITLE, OFFSET, TRACKED, st.lists(TAG, max_size=2))
watson_op = st.tuples(st.just("watson"), st.lists(FRAME, min_size=1, max_size=4))
timewarrior_op = st.tuples(
    st.just("timewarrior"), st.lists(FRAME, min_size=1, max_size=4), st.none() | OFFSET
)
OPERATIONS = st.lists(
    st.one_of(log_op(), timer_op(), edit_op(), ics_op, watson_op, timewarrior_op),
    min_size=1,
    max_size=7,
)


_template: dict[str, Path] = {}


def _empty_database() -> Path:
    """An empty, current database, made once: each example starts from a copy."""
    if "db" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="leadtime-template-"))
        ws = Workspace(environ={"LEADTIME_HOME": str(folder), "LEADTIME_NOW": NOW})
        ws.database.close()
        _template["db"] = folder / "leadtime.db"
    return _template["db"]


@contextmanager
def workspace(folder: Path) -> Iterator[Workspace]:
    folder.mkdir()
    (folder / "config.toml").write_text(f'timezone = "{ZONE}"\n')
    shutil.copy(_empty_database(), folder / "leadtime.db")
    ws = Workspace(environ={"LEADTIME_HOME": str(folder), "LEADTIME_NOW": NOW})
    try:
        yield ws
    finally:
        ws.database.close()


def _ics(folder: Path, events: list[tuple[str, float, timedelta, str, str]], n: int) -> Path:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//roundtrip//EN")
    cal.add("version", "2.0")
    for i, (title, offset, span, status, note) in enumerate(events):
        start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=NOW_UTC.timestamp() + offset)
        item = Event()
        item.add("uid", f"{n}-{i}@roundtrip")
        item.add("summary", title)
        item.add("description", note)
        item.add("dtstart", start)
        item.add("dtend", start + span)
        if status == "CANCELLED":
            item.add("status", "CANCELLED")
        elif status == "TRANSPARENT":
            item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    path = folder / f"calendar-{n}.ics"
    path.write_bytes(cal.to_ical())
    return path


def _frames(frames: list[tuple[str, float, timedelta, list[str]]], n: int) -> list[list[Any]]:
    start = NOW_UTC.timestamp()
    return [
        [start + offset, start + offset + span.total_seconds(), title, f"{n}x{i}", tags, 0]
        for i, (title, offset, span, tags) in enumerate(frames)
    ]


def _stamp(seconds: float) -> str:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    return f"{moment:%Y%m%dT%H%M%SZ}"


def apply(ws: Workspace, folder: Path, op: tuple[Any, ...], n: int) -> None:
    """One operation as its command runs it; a door's refusal is part of the history."""
    kind = op[0]
    try:
        if kind == "log":
            _, title, back, length, tags, note, manual = op
            start = NOW_UTC - timedelta(minutes=back)
            entry = Entry(start, start + timedelta(minutes=length), app.check_title(title),
                          note=note, tags=app.parse_tags(tags), origin=Origin.LOG)  # fmt: skip
            if manual:
                entry = entry.with_classification(app.parse_classification(manual))
            app.log_entry(ws, entry)
        elif kind == "timer":
            _, title, back, length, tags = op
            begin = NOW_UTC - timedelta(minutes=back)
            app.start_timer(ws, title, at=begin, tags=app.parse_tags(tags), note="", manual=None)
            app.stop_timer(ws, at=min(begin + timedelta(minutes=length), NOW_UTC))
        elif kind == "edit":
            _, index, title, tags, note, length = op
            mine = [e for e in _all(ws) if not e.origin.imported]
            if mine:
                changes = app.Changes(
                    title=title, tags=app.parse_tags(tags) if tags is not None else None,
                    note=note, duration=timedelta(minutes=length) if length else None,
                )  # fmt: skip
                app.edit_entry(ws, mine[index % len(mine)].id or "", changes)
        elif kind == "ics":
            path = _ics(folder, op[1], n)
            importing.run_import(ws, importing.ImportOptions((str(path),)))
        elif kind == "watson":
            home = folder / f"watson-{n}"
            home.mkdir()
            (home / "frames").write_text(json.dumps(_frames(op[1], n)))
            options = importing.ImportOptions(("watson", str(home)), calendar=f"watson-{n}")
            importing.run_import(ws, options)
        elif kind == "timewarrior":
            rows = [
                {"id": i + 1, "start": _stamp(start), "end": _stamp(end), "tags": [title, *tags]}
                for i, (start, end, title, _, tags, _) in enumerate(_frames(op[1], n))
            ]
            if op[2] is not None:  # a running interval
                rows.append(
                    {"id": 99, "start": _stamp(NOW_UTC.timestamp() + op[2]), "tags": ["run"]}
                )
            path = folder / f"timew-{n}.json"
            path.write_text(json.dumps(rows))
            options = importing.ImportOptions(("timewarrior", str(path)), calendar=f"timew-{n}")
            importing.run_import(ws, options)
    except LeadtimeError:
        pass


def _all(ws: Workspace) -> list[Entry]:
    from leadtime.app.transfer import all_entries

    return all_entries(ws)


def _backup(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header, *records = (json.loads(line) for line in text.splitlines())
    header.pop("exported_at")
    return header, sorted(records, key=lambda record: record["id"])


@settings(max_examples=100)
@given(OPERATIONS)
def test_export_then_restore_into_an_empty_home_gives_the_same_entries(
    operations: list[tuple[Any, ...]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="leadtime-roundtrip-") as scratch:
        folder = Path(scratch)
        with workspace(folder / "here") as ws:
            for n, op in enumerate(operations):
                apply(ws, folder, op, n)
            _, text = export_lines(ws)
        with workspace(folder / "new-machine") as other:
            done = restore(other, parse_export(text, "backup.jsonl"))
            assert done.changed == ()  # nothing the database held needed repair
            assert done.masked == ()
            _, again = export_lines(other)
    assert _backup(again) == _backup(text)
