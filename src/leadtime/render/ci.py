"""The check's outputs: the human text, JSON, GitHub Actions commands and JUnit XML.

Each output loads what it writes with (JSON, the Markdown escaping, XML) when it is asked
for: the check's text, its most common output, loads none of them.
"""

from __future__ import annotations

from leadtime.render.words import hours_text, share_text
from leadtime.reports.check import CheckResult, CheckWeek
from leadtime.reports.numbers import Verdict, band, target_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "check_github",
    "check_json",
    "check_junit",
    "check_text",
    "escape_data",
    "escape_property",
]


def _status(week: CheckWeek) -> str:
    return {True: "pass", False: "FAIL", None: "skip"}[week.passed]


def check_text(result: CheckResult) -> str:
    """One line per judged week (status, week, share against the band, hours), then the summary."""
    lines = []
    for week in result.weeks:
        record = week.record
        lines.append(
            f"{_status(week)}  {record.week}  {week.reason}  "
            f"[{hours_text(record.classified_minutes)} h classified]"
        )
    lines.append(result.summary)
    return "\n".join(lines) + "\n"


def check_json(result: CheckResult) -> str:
    """The judged week records (SPEC §6 form) with ``passed`` and ``reason``, and the outcome."""

    from leadtime.render.formats import week_json

    report = result.report
    low, high = band(report.target, report.tolerance)
    data: dict[str, Any] = {
        "timezone": report.timezone,
        "target": report.target,
        "tolerance": report.tolerance,
        "min_hours": report.min_hours,
        "band": [float(low) / 100, float(high) / 100],
        "average": result.average,
        "passed": result.passed,
        "exit_code": int(result.exit_code),
        "summary": result.summary,
        "weeks": [
            {**week_json(week.record), "passed": week.passed, "reason": week.reason}
            for week in result.weeks
        ],
    }
    from leadtime.jsonout import dumps

    return dumps(data)


def escape_data(text: str) -> str:
    """Escape the message of a GitHub Actions workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``title=...``) of a GitHub Actions workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(result: CheckResult) -> tuple[str, str]:
    """GitHub Actions output: workflow-command lines, and a Markdown job summary.

    A breach is an ``::error``, a pass a ``::notice``, a week without enough data a
    ``::warning``. The summary is meant for ``$GITHUB_STEP_SUMMARY``.
    """
    from leadtime.render.formats import md as _md

    command = {True: "notice", False: "error", None: "warning"}
    lines = [
        f"::{command[week.passed]} title={escape_property(f'leadtime check {week.record.week}')}"
        f"::{escape_data(week.reason)}"
        for week in result.weeks
    ]
    lines.append(f"::{command[result.passed]} title=leadtime check::{escape_data(result.summary)}")
    heading = {True: "on target", False: "off target", None: "not enough data"}[result.passed]
    summary = [
        f"### leadtime check: {heading}",
        "",
        f"Target {target_text(result.report)} leadership.",
        "",
        "| Week | Share | Verdict | Classified h | Result |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for week in result.weeks:
        record = week.record
        summary.append(
            f"| {record.week} | {share_text(record.leadership_share)} "
            f"| {record.verdict.label} | {hours_text(record.classified_minutes)} "
            f"| {_status(week)}: {_md(week.reason)} |"
        )
    summary += ["", _md(result.summary)]
    return "\n".join(lines) + "\n", "\n".join(summary) + "\n"


def check_junit(result: CheckResult) -> str:
    """JUnit XML: one test case per judged week; a breach fails, missing data is skipped."""
    import xml.etree.ElementTree as ET

    failures = sum(week.passed is False for week in result.weeks)
    skipped = sum(week.passed is None for week in result.weeks)
    counts = {
        "tests": str(len(result.weeks)),
        "failures": str(failures),
        "errors": "0",
        "skipped": str(skipped),
    }
    root = ET.Element("testsuites", {"name": "leadtime", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "leadtime check", **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="target", value=target_text(result.report))
    ET.SubElement(properties, "property", name="timezone", value=result.report.timezone)
    for week in result.weeks:
        case = ET.SubElement(
            suite, "testcase", classname="leadtime.check", name=week.record.week, time="0"
        )
        if week.passed is False:
            off = week.record.verdict in (Verdict.TOO_HANDS_ON, Verdict.TOO_HANDS_OFF)
            kind = week.record.verdict.value if off else "unclassified"
            failure = ET.SubElement(case, "failure", message=week.reason, type=kind)
            failure.text = week.reason
        elif week.passed is None:
            ET.SubElement(case, "skipped", message=week.reason)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
