"""The pictures in a real browser: headless Chromium, started here, with the network blocked.

The bundled example's HTML report, plan and day, and the ``--svg`` picture, are opened from
``file://`` URLs: they must load without a failed request, a console error or any request
beyond their own file, show their charts, and carry the shares ``--format json`` gives.
A page of hostile titles runs no script even with its Content-Security-Policy switched off.
Skipped where Chromium is missing, except under ``LEADTIME_TEST_BROWSER=require`` (CI).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser import Browser, Visit, browser, chromium
from conftest import Run
from test_pictures import HOSTILE, hostile_calendar

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium_session() -> object:
    chromium()
    with browser() as client:
        yield client


def opened(client: Browser, path: Path) -> Visit:
    visit = client.visit(path)
    assert visit.requests == [visit.url]  # nothing but the file itself
    assert visit.blocked == [] and visit.failed == [] and visit.errors == []
    assert visit.alerts == []
    return visit


def charts(client: Browser) -> list[dict[str, object]]:
    """Each inline chart: its label, its <title>, its size on the page, its marks."""
    return list(
        client.evaluate(
            "[...document.querySelectorAll('figure svg')].map(s => ({"
            "label: s.getAttribute('aria-label'), title: s.querySelector('title')?.textContent,"
            "width: s.getBoundingClientRect().width, marks: s.querySelectorAll('path').length}))"
        )
    )


def page_shares(client: Browser) -> list[list[str]]:
    return list(
        client.evaluate(
            "[...document.querySelectorAll('table.weeks tbody tr')]"
            ".map(tr => [tr.dataset.week, tr.dataset.share])"
        )
    )


@pytest.fixture
def example(cli: Run) -> None:
    from test_pictures import EXAMPLE

    assert cli("config", "set", "me", "dana@example.com").exit_code == 0
    assert cli("import", str(EXAMPLE)).exit_code == 0
    assert cli("log", "Reviewed the auth RFC", "45m", "--at", "fri 16:30").exit_code == 0


def test_the_example_report_plan_and_day_open_offline(
    chromium_session: Browser, cli: Run, example: None, tmp_path: Path
) -> None:
    client = chromium_session
    report, plan, day = (tmp_path / name for name in ("report.html", "plan.html", "day.html"))
    assert cli("report", "--weeks", "8", "--format", "html", "-o", str(report)).exit_code == 0
    assert cli("plan", "--weeks", "2", "--format", "html", "-o", str(plan)).exit_code == 0
    assert cli("day", "--format", "html", "-o", str(day)).exit_code == 0

    opened(client, report)
    found = charts(client)
    assert len(found) == 3
    for chart in found:
        assert chart["label"] and chart["label"] == chart["title"]
        assert float(str(chart["width"])) > 300 and int(str(chart["marks"])) > 5
    weeks = json.loads(cli("report", "--weeks", "8", "--format", "json").stdout)["weeks"]
    expected = [
        [w["week"], "" if w["leadership_share"] is None else repr(w["leadership_share"])]
        for w in weeks
    ]
    assert page_shares(client) == expected
    shown = client.evaluate(
        "[...document.querySelectorAll('table.weeks tbody tr')].map(tr => tr.cells[7].textContent)"
    )
    assert shown == [
        "-" if w["leadership_share"] is None else f"{w['leadership_share'] * 100:.1f}%"
        for w in weeks
    ]
    headline = client.evaluate("document.getElementById('headline').textContent")
    assert headline == "4 of 6 weeks on target; 2026-W47 so far 68.6%."

    opened(client, plan)
    assert len(charts(client)) == 1
    ahead = json.loads(cli("plan", "--weeks", "2", "--format", "json").stdout)["weeks"]
    assert page_shares(client) == [[w["week"], repr(w["planned_share"])] for w in ahead]

    opened(client, day)
    assert len(charts(client)) == 1
    rows = client.evaluate("document.querySelectorAll('table.timeline tbody tr').length")
    assert rows == 9  # five entries and four gaps, as `leadtime day` lists them


def test_the_svg_picture_opens_offline(
    chromium_session: Browser, cli: Run, example: None, tmp_path: Path
) -> None:
    picture = tmp_path / "report.svg"
    assert cli("report", "--svg", str(picture)).exit_code == 0
    opened(chromium_session, picture)
    text = chromium_session.evaluate("document.documentElement.textContent")
    assert "2026-W47" in text


def test_hostile_titles_run_no_script(chromium_session: Browser, cli: Run, tmp_path: Path) -> None:
    client = chromium_session
    assert cli("import", str(hostile_calendar(tmp_path))).exit_code == 0
    assert cli("log", f"{HOSTILE} spike", "30m", "--at", "wed 14:00").exit_code == 0
    pages = []
    for command in (("report", "--weeks", "2"), ("plan",), ("day", "wed")):
        target = tmp_path / f"{command[0]}.html"
        assert cli(*command, "--format", "html", "-o", str(target)).exit_code == 0
        pages.append(target)
    client.call("Page.setBypassCSP", enabled=True)  # escaping alone must hold
    try:
        for page in pages:
            opened(client, page)
            assert client.evaluate("document.querySelectorAll('img, script').length") == 0
            assert HOSTILE in client.evaluate("document.body.textContent")
    finally:
        client.call("Page.setBypassCSP", enabled=False)
