"""The report table's weeks laid out line by line print exactly as Rich lays them out.

A long report's weeks are laid out by :mod:`leadtime.render.table` itself (Rich lays out
every week of 520 in a third of a second). These tests print the same reports both ways, on
consoles of every width and colour system, and compare the bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leadtime.render import report_table
from leadtime.render import table as table_module
from leadtime.render.console import console
from leadtime.reports import Report, Span, build_report

BERLIN = "Europe/Berlin"
NOW = datetime.fromisoformat("2026-11-20T18:00:00+01:00")  # Friday of 2026-W47
FIRST = date(2026, 8, 31)  # 12 weeks up to 2026-W47


def _spans() -> Iterator[Span]:
    """Weeks of every kind: on target, too hands-on, too hands-off, no data at all (a dim
    bar), a lot unclassified (a bold cell), and the current week in progress."""
    for week in range(12):
        if week == 3:
            continue  # no data
        monday = datetime(2026, 8, 31, 8, tzinfo=ZoneInfo(BERLIN)) + timedelta(weeks=week)
        lead, hands = [(30, 13), (20, 25), (40, 2), (0, 0), (5, 1)][week % 5]
        for day in range(5):
            start = int((monday + timedelta(days=day)).timestamp())
            lead_s, hands_s = lead * 720, hands * 720  # a fifth of the hours each day
            yield Span(start, start + lead_s, "log", "leadership", "review")
            yield Span(start + lead_s, start + lead_s + hands_s, "ics", "hands-on", None)
            if week == 5:
                yield Span(start + 40000, start + 50000, "ics", "unclassified", None)
            yield Span(start + 20000, start + 23600, "ics", "other", "lunch")


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    spans = list(_spans())
    mondays = [FIRST + timedelta(weeks=i) for i in range(12)]
    return [
        build_report(spans, mondays, tz=BERLIN, now=NOW),  # compact, a trend line
        build_report(spans, mondays[-3:], tz=BERLIN, now=NOW, target=0.6),  # wide
    ]


def _printed(report: Report, width: int, colours: str | None) -> str:
    out = io.StringIO()
    shown = console(file=out, width=width, force_terminal=colours is not None, color_system=colours)
    shown.print(report_table(report), soft_wrap=False)
    return out.getvalue()


@pytest.mark.parametrize("colours", [None, "standard", "256", "truecolor"])
def test_weeks_laid_out_here_print_as_rich_prints_them(
    reports: list[Report], colours: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    laid_out = table_module._ReportView._laid_out
    used: list[bool] = []

    def counted(*args: object, **kwargs: object) -> object:
        found = laid_out(*args, **kwargs)  # type: ignore[arg-type]
        used.append(found is not None)
        return found

    for report in reports:
        for width in (160, 120, 100, 90, 80, 72, 64, 56, 48, 40):
            monkeypatch.setattr(table_module._ReportView, "_laid_out", counted)
            fast = _printed(report, width, colours)
            monkeypatch.setattr(table_module._ReportView, "_laid_out", lambda *a, **k: None)
            by_rich = _printed(report, width, colours)
            assert fast == by_rich, (len(report.weeks), width)
    # the compact report at every width, the wide one only once it loses its border
    assert sum(used) >= 13


def test_a_compact_table_has_the_styles_of_its_cells(reports: list[Report]) -> None:
    lines = _printed(reports[0], 120, "256").splitlines()
    in_progress = next(line for line in lines if line.startswith("  2026-W47"))
    # the verdict bold in its colour, "(in progress)" italic as well
    # (Rich keeps the first colour codes it made for a style: the colour's number varies)
    verdict = r"\x1b\[1;([0-9;]+)mtoo hands-on\x1b\[0m\x1b\[1;3;\1m \(in progress\)\x1b\[0m  $"
    assert re.search(verdict, in_progress)
    no_data = next(line for line in lines if line.startswith("  2026-W39"))
    assert "\x1b[2m·······\x1b[0m\x1b[1m│\x1b[0m\x1b[2m···\x1b[0m" in no_data  # a dim bar
    assert "\x1b[2mnot enough data           \x1b[0m" in no_data  # dim to the column's end
    flagged = next(line for line in lines if line.startswith("  2026-W41"))
    assert "\x1b[1m13.9\x1b[0m" in flagged  # much unclassified: bold
