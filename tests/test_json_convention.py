"""Every JSON leadtime writes follows one convention (leadtime.jsonout): instants in UTC
with a Z (a local time only beside its instant, as ``local_…``), minutes rounded half-up to
one decimal, and nothing a terminal acts on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import REPO, Run

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from walk(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)
    else:
        yield key, value


@pytest.fixture
def example(cli: Run) -> Run:
    assert cli("import", str(REPO / "examples" / "tech-lead.ics")).exit_code == 0
    assert (
        cli("log", "Reviewed the auth RFC \x1b[2J\u202e", "47m", "--at", "fri 16:30").exit_code == 0
    )
    assert cli("start", "Spike: parser", "--at", "17:20").exit_code == 0
    return cli


OUTPUTS = [
    ("report", "--format", "json"),
    ("report", "--by", "activity", "--format", "json"),
    ("check", "--format", "json"),
    ("check", "--ahead", "--format", "json"),
    ("plan", "--format", "json"),
    ("day", "2026-11-20", "--format", "json"),
    ("ls", "--format", "json"),
    ("status", "--format", "json"),
    ("calendars", "--format", "json"),
    ("rules", "show", "--format", "json"),
]


@pytest.mark.parametrize("args", OUTPUTS, ids=" ".join)
def test_every_json_output_follows_one_convention(example: Run, args: tuple[str, ...]) -> None:
    done = example(*args)
    assert done.exit_code in (0, 1, 5), done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    found = list(walk(json.loads(done.stdout)))
    assert found
    for key, value in found:
        if isinstance(value, str) and INSTANT.match(value):
            if key.startswith("local_"):
                assert value[-6] in "+-", (key, value)
            else:
                assert value.endswith("Z"), (key, value)
        if "minutes" in key and isinstance(value, float):
            assert value == round(value, 1), (key, value)


def test_an_export_follows_it_too(example: Run) -> None:
    lines = example("export").stdout.splitlines()
    records = [json.loads(line) for line in lines[1:]]
    logged = next(r for r in records if r["title"].startswith("Reviewed the auth RFC"))
    assert logged["minutes"] == 47.0 and logged["start"] == "2026-11-20T15:30:00Z"
    for record in records:
        assert record["start"].endswith("Z") and record["end"].endswith("Z")
        assert record["minutes"] == round(record["minutes"], 1)
    assert "\u202e" not in "\n".join(lines)  # escaped as \\u202e, read back exactly
    assert logged["title"] == "Reviewed the auth RFC \x1b[2J\u202e"
