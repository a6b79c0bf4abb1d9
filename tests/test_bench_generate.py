"""Smoke tests of benchmarks/generate.py on a small history (one year, a few hundred entries)."""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from datetime import datetime
from pathlib import Path
from types import ModuleType

import icalendar
import pytest

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
KEYS = [
    "id", "start", "end", "minutes", "title", "note", "location", "tags", "origin", "calendar",
    "uid", "recurrence_id", "organizer", "attendees", "excluded", "category", "activity",
    "decided_by",
]  # fmt: skip
ALPHABET = set("0123456789abcdefghjkmnpqrstvwxyz")


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def out(generate: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    generate.main([str(folder), "--years", "1", "--entries", "500"])
    return folder


def _records(path: Path) -> tuple[dict[str, object], list[dict[str, object]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def test_cli_writes_every_file(out: Path) -> None:
    for name in ("heavy.ics", "history.jsonl", "watson/frames", "watson/state", "watson/config"):
        assert (out / name).is_file(), name


def test_calendar_is_valid_folded_crlf_ics(out: Path) -> None:
    raw = (out / "heavy.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""  # ends with CRLF
    assert all(b"\n" not in line and len(line) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert events
    assert all("UID" in e and "DTSTAMP" in e and "DTSTART" in e for e in events)
    zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
    assert zones == {
        "Europe/Berlin", "America/New_York", "W. Europe Standard Time", "Eastern Standard Time",
    }  # fmt: skip


def test_calendar_holds_the_hard_cases(out: Path) -> None:
    text = (out / "heavy.ics").read_bytes().replace(b"\r\n ", b"").decode()
    for needle in (
        "RECURRENCE-ID;TZID=",
        "EXDATE;TZID=Europe/Berlin:",
        "DTSTART;TZID=America/New_York:",
        "DTSTART;VALUE=DATE:",
        "TRANSP:TRANSPARENT",
        "STATUS:CANCELLED",
        "PARTSTAT=DECLINED;CN=Dana Lead;X-NUM-GUESTS=0:mailto:dana@example.com",
        ";COUNT=",
        ";UNTIL=",
        "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=",
        "RRULE:FREQ=MONTHLY;BYDAY=1TH;",
        "RRULE:FREQ=MONTHLY;BYDAY=-1WE;",
        "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;",
        "DTSTART;TZID=W. Europe Standard Time:",
        "DTSTART;TZID=Eastern Standard Time:",
        "BEGIN:VALARM",
    ):
        assert needle in text, needle


def test_calendar_stats_match_the_file(generate: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "one-year.ics"
    stats = generate.write_heavy_calendar(path, years=1, seed=3)
    events = list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert stats["bytes"] == path.stat().st_size
    assert stats["vevents"] == len(events)
    assert stats["overrides"] == sum(1 for e in events if "RECURRENCE-ID" in e)
    # About 1,700 instances a year at 10-45 instances per KB, as dense as real calendars
    # (a busy lead's series carry long attendee lists, repeated in every override).
    assert 1_400 <= stats["instances"] <= 2_000
    assert 10 <= stats["instances"] / (stats["bytes"] / 1000) <= 45


def test_calendar_holds_a_busy_leads_series(out: Path) -> None:
    calendar = icalendar.Calendar.from_ical((out / "heavy.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    rules = [str(e["RRULE"].to_ical(), "ascii") for e in events if "RRULE" in e]
    # long-running series with no end, expanded into the weeks an import reads ahead
    assert any("UNTIL" not in rule and "COUNT" not in rule for rule in rules)
    # single instances of someone else's series declined by the lead
    declined = [
        e
        for e in events
        if "RECURRENCE-ID" in e
        and any(
            "dana@example.com" in str(a) and a.params.get("PARTSTAT") == "DECLINED"
            for a in (e.get("ATTENDEE") if isinstance(e.get("ATTENDEE"), list) else [])
        )
    ]
    assert len(declined) >= 5


def test_outlook_series_list_many_exdates_per_line(out: Path) -> None:
    text = (out / "heavy.ics").read_bytes().replace(b"\r\n ", b"").decode()
    grouped = [
        line for line in text.split("\r\n")
        if line.startswith("EXDATE;TZID=W. Europe Standard Time:") and "," in line
    ]  # fmt: skip
    assert grouped
    calendar = icalendar.Calendar.from_ical(text)
    excluded = 0
    for event in calendar.walk("VEVENT"):
        if "RRULE" in event and "EXDATE" in event:
            exdates = event["EXDATE"]
            lists = exdates if isinstance(exdates, list) else [exdates]
            excluded = max(excluded, sum(len(item.dts) for item in lists))
    assert excluded >= 10  # holidays and absences: many EXDATEs in one series


def test_history_is_a_leadtime_export(out: Path) -> None:
    header, records = _records(out / "history.jsonl")
    assert header == {
        "format": "leadtime-export",
        "version": 1,
        "exported_at": "2026-11-01T00:00:00Z",
    }
    assert len(records) == 500
    for record in records:
        assert list(record) == KEYS
        assert record["origin"] in ("log", "timer")
        assert record["category"] == "unclassified"
        assert record["attendees"] == 0
        assert record["calendar"] is record["uid"] is record["excluded"] is None
        start = datetime.fromisoformat(str(record["start"]))
        end = datetime.fromisoformat(str(record["end"]))
        assert str(record["start"]).endswith("Z") and str(record["end"]).endswith("Z")
        assert isinstance(record["minutes"], float)
        assert record["minutes"] == (end - start).total_seconds() / 60
        assert 15 <= record["minutes"] <= 180
        assert "2025-11-01" <= str(record["start"]) < "2026-11-01"
    ids = [str(r["id"]) for r in records]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 8 and set(i) <= ALPHABET for i in ids)


def test_history_is_deterministic(generate: ModuleType, tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    generate.write_log_history(first, entries=200, seed=11, years=1)
    generate.write_log_history(second, entries=200, seed=11, years=1)
    generate.write_log_history(other, entries=200, seed=12, years=1)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_watson_frames_mirror_the_history(out: Path) -> None:
    _, records = _records(out / "history.jsonl")
    frames = json.loads((out / "watson" / "frames").read_text(encoding="utf-8"))
    assert isinstance(frames, list)
    assert len(frames) == len(records)
    for frame, record in zip(frames, records, strict=True):
        start, stop, project, frame_id, tags, updated_at = frame
        assert start == datetime.fromisoformat(str(record["start"])).timestamp()
        assert stop == datetime.fromisoformat(str(record["end"])).timestamp()
        assert isinstance(project, str) and project
        assert uuid.UUID(hex=frame_id).version == 4 and len(frame_id) == 32
        assert tags == record["tags"]
        assert updated_at >= stop
    assert len({f[3] for f in frames}) == len(frames)
    assert json.loads((out / "watson" / "state").read_text()) == {}
