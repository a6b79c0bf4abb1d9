"""Every terminal view keeps every number at 80 columns, stays readable at 60, and never
prints a line wider than the terminal (40 columns too).

Two homes: the bundled example (``examples/tech-lead.ics`` and the demo's log, on Friday
evening of week 47) and a richer generated one (a year of a busy calendar and 1,500 logged
and timed entries with tags, every category, overlaps; on a Thursday afternoon, so that
the current week holds planned time). The numbers a view must show are read from its own
JSON form and written as the table writes them, by the test's own arithmetic.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import REPO, ZONE, Home, Run

BERLIN = ZoneInfo(ZONE)
EXAMPLE_NOW = "2026-11-20T18:00:00+01:00"
GENERATED_NOW = "2026-10-29T15:00:00+01:00"  # Thursday of 2026-W44
VIEWS = [
    ("report",),
    ("report", "--weeks", "12"),
    ("report", "--by", "activity"),
    ("report", "--by", "tag"),
    ("report", "--by", "source"),
    ("plan",),
    ("ls", "--no-pager"),
    ("day",),
    ("calendars",),
]


def _leadtime(home: Home, now: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leadtime", *args],
        capture_output=True, text=True, env=home.env(LEADTIME_NOW=now), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _home(folder: Path) -> Home:
    home = Home(folder)
    home.config.write_text(f'timezone = "{ZONE}"\nme = ["dana@example.com"]\n', encoding="utf-8")
    return home


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, str]:
    """The bundled example as examples/demo.sh imports it."""
    home = _home(tmp_path_factory.mktemp("example"))
    _leadtime(home, EXAMPLE_NOW, "import", str(REPO / "examples" / "tech-lead.ics"))
    _leadtime(home, EXAMPLE_NOW, "log", "Reviewed the auth RFC", "45m", "--at", "fri 16:30")
    return home, EXAMPLE_NOW


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, str]:
    """A year of benchmarks/generate.py's calendar and log history."""
    path = REPO / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("views_generate", path)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules["views_generate"] = generate  # dataclasses look their module up
    spec.loader.exec_module(generate)
    data = tmp_path_factory.mktemp("generated")
    generate.write_heavy_calendar(data / "heavy.ics", years=1)
    generate.write_log_history(data / "history.jsonl", entries=1500, years=1)
    home = _home(tmp_path_factory.mktemp("home"))
    _leadtime(home, GENERATED_NOW, "restore", str(data / "history.jsonl"))
    _leadtime(home, GENERATED_NOW, "import", str(data / "heavy.ics"))
    return home, GENERATED_NOW


@pytest.fixture(params=["example", "generated"])
def shown(request: pytest.FixtureRequest, cli: Run) -> Callable[..., str]:
    """Run a view in one of the homes at a width; returns its output."""
    home, now = request.getfixturevalue(request.param)

    def run(*args: str, width: int = 80) -> str:
        env = {"LEADTIME_HOME": str(home.path), "LEADTIME_NOW": now, "COLUMNS": str(width)}
        done = cli(*args, env=env)
        assert done.exit_code == 0, done.stderr
        return done.stdout

    return run


# --------------------------------------------------------------------------- the numbers


def hours(minutes: float) -> str:
    """Minutes as the tables write hours: one decimal, halves up."""
    return str(Decimal(repr(minutes / 60)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def share(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{Decimal(repr(value * 100)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def duration(minutes: float) -> str:
    """``15m``, ``1h``, ``1h05m``."""
    whole = int(Decimal(repr(minutes)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    h, m = divmod(whole, 60)
    return f"{h}h{m:02d}m" if h and m else (f"{h}h" if h else f"{m}m")


def _share_of(leadership: float, hands_on: float) -> float | None:
    """From the minutes: the JSON's share is rounded to four decimals, and rounding that
    again to one decimal of a percent can land on the other side of a half."""
    return leadership / (leadership + hands_on) if leadership + hands_on else None


def clock(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(BERLIN)


def numbers(view: tuple[str, ...], data: Any) -> Iterator[str]:
    """What ``view`` must show, from its JSON form."""
    command = view[0]
    if command == "report":
        categories = ("leadership", "hands-on", "other", "unclassified")
        for week in data["weeks"]:
            minutes = week["minutes"]
            yield from (hours(minutes[name]) for name in categories)
            yield share(_share_of(minutes["leadership"], minutes["hands-on"]))
            for table in ("activities", "tags", "sources"):
                for found in (week.get(table) or {}).values():
                    if view[-1].startswith(table[:3]):
                        yield from (hours(minutes) for minutes in found.values())
    elif command == "plan":
        for week in data["weeks"]:
            done, planned = week["done_minutes"], week["planned_minutes"]
            yield hours(week["leadership_minutes"])
            yield hours(week["hands_on_minutes"])
            yield hours(done["other"] + planned["other"])
            yield hours(done["unclassified"] + planned["unclassified"])
            yield hours(week["free_minutes"])
            yield share(_share_of(week["leadership_minutes"], week["hands_on_minutes"]))
        for tip in data["tips"][:8]:
            yield str(tip["instances"])
            yield hours(tip["minutes_per_week"])
            yield hours(tip["minutes"])
    elif command == "ls":
        for entry in data:
            yield entry["id"]
            yield duration(entry["minutes"])
            start, end = clock(entry["start"]), clock(entry["end"])
            if start.date() == end.date():
                yield f"{start:%H:%M}-{end:%H:%M}"
    elif command == "day":
        for entry in data["entries"]:
            yield entry["id"]
            yield duration(entry["minutes"])
        yield from (duration(gap["minutes"]) for gap in data["gaps"])
        yield from (duration(minutes) for minutes in data["minutes"].values())
    elif command == "calendars":
        for source in data:
            yield from (str(source[key]) for key in ("events", "counted", "excluded"))
            moment = clock(source["last_import"])
            yield from (f"{moment:%Y-%m-%d}", f"{moment:%H:%M}")


def json_form(view: tuple[str, ...]) -> tuple[str, ...]:
    args = [arg for arg in view if arg != "--no-pager"]
    return (*args, "--format", "json")


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
@pytest.mark.parametrize("width", [80, 60])
def test_every_number_of_the_json_form_is_in_the_table(
    shown: Callable[..., str], view: tuple[str, ...], width: int
) -> None:
    data = json.loads(shown(*json_form(view)))
    table = shown(*view, width=width)
    assert max(len(line) for line in table.splitlines()) <= width
    printed = set(re.findall(r"[\w:.%-]+", table))
    expected = set(numbers(view, data))
    assert expected, "the JSON form holds numbers to look for"
    missing = sorted(expected - printed)
    assert not missing, f"{' '.join(view)} at {width} columns lacks {missing}\n{table}"


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_no_line_is_wider_than_a_very_narrow_terminal(
    shown: Callable[..., str], view: tuple[str, ...]
) -> None:
    table = shown(*view, width=40)
    widest = max(table.splitlines(), key=len)
    assert len(widest) <= 40, widest


def test_the_report_rows_keep_their_numbers_in_order_at_80_and_60(
    shown: Callable[..., str],
) -> None:
    data = json.loads(shown("report", "--format", "json"))
    for width in (80, 60):
        lines = shown("report", width=width).splitlines()
        for week in data["weeks"]:
            row = next(line for line in lines if line.startswith(week["week"]))
            minutes = week["minutes"]
            expected = [
                week["week"],
                *(hours(minutes[name]) for name in ("leadership", "hands-on", "other",
                                                    "unclassified")),
                share(_share_of(minutes["leadership"], minutes["hands-on"])),
            ]  # fmt: skip
            assert row.split()[:6] == expected


def test_at_80_columns_the_example_report_keeps_its_bar_and_every_column(
    shown: Callable[..., str], request: pytest.FixtureRequest
) -> None:
    lines = shown("report", width=80).splitlines()
    assert lines[1].split()[:6] == ["Week", "Lead.", "Hands", "Oth.", "Uncl.", "Share"]
    if "[example]" in request.node.name:  # a history of 100 h weeks may need the bar's room
        assert any(line.startswith("Bar: ") for line in lines)


def test_plan_keeps_the_titles_of_what_tips_it_cut_not_dropped(shown: Callable[..., str]) -> None:
    tips = json.loads(shown("plan", "--format", "json"))["tips"][:8]
    for width in (80, 60):
        lines = [line.strip() for line in shown("plan", width=width).splitlines()]
        for tip in tips:
            title = tip["title"]
            # whole, or cut with an ellipsis after at least ten of its characters
            assert any(
                line.startswith(title) or (line[:10] == title[:10] and "…" in line)
                for line in lines
            ), (title, width)
