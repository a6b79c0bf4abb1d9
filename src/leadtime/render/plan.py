"""The plan's outputs: the terminal table, JSON, Markdown, and ``check --ahead``'s forms.

Nothing here computes: numbers and verdicts come from :mod:`leadtime.reports.plan`.
Calendar titles, UIDs and calendar names are data: they go through :func:`safe` (terminal),
:func:`md` (Markdown) or JSON escaping, never through markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from leadtime.clock import zone
from leadtime.jsonout import dumps, instant
from leadtime.render.ci import escape_data, escape_property
from leadtime.render.formats import md
from leadtime.render.grid import (
    BOXES,
    Block,
    Column,
    Grid,
    Line,
    Row,
    Styled,
    first_fitting,
    fitted_lines,
    plain_lines,
)
from leadtime.render.words import hours_text, hours_words, share_text
from leadtime.reports.ahead import AheadResult, week_sentence
from leadtime.reports.numbers import CATEGORIES, band, target_text
from leadtime.reports.plan import Plan, PlanVerdict, Tip, WeekPlan
from leadtime.text import safe
from leadtime.units import round_half_up

__all__ = [
    "TIPS_SHOWN",
    "ahead_github",
    "ahead_json",
    "ahead_junit",
    "ahead_text",
    "in_progress_note",
    "plan_json",
    "plan_markdown",
    "plan_notes",
    "plan_table",
]

TIPS_SHOWN = 8  # rows of "what tips it" in the table and Markdown (JSON has them all)
VERDICT_STYLES = {
    PlanVerdict.ON_TRACK: "bold blue",
    PlanVerdict.AT_RISK: "bold dark_orange",
    PlanVerdict.OFF_TRACK: "bold magenta",
    PlanVerdict.NOT_ENOUGH_DATA: "dim",
}


def _sentence(plan: Plan, week: WeekPlan) -> str:
    return week_sentence(week, plan.report.target, plan.current)


IN_PROGRESS_MARK = " *"  # the week in progress; a note under the table says what it holds


def _week_label(week: WeekPlan) -> str:
    return week.week + (IN_PROGRESS_MARK if week.in_progress else "")


def in_progress_note(plan: Plan) -> str | None:
    """What the row of the week in progress holds: ``* 2026-W47 is in progress: done up to
    Fri 20 Nov 18:00, planned and free from then.``"""
    week = next((week for week in plan.weeks if week.in_progress), None)
    if week is None:
        return None
    moment = plan.now.astimezone(zone(plan.report.timezone))
    return (
        f"*{' ' if IN_PROGRESS_MARK else ''}{week.week} is in progress: done up to "
        f"{moment:%a %d %b %H:%M}, planned and free from then."
    )


def _share(share: float | None) -> str:
    return share_text(share)


def _needed(week: WeekPlan) -> str:
    """N as hours, within 0..F (what a person can act on); ``-`` when not judged."""
    if week.verdict is PlanVerdict.NOT_ENOUGH_DATA:
        return "-"
    return hours_text(min(max(week.needed_hands_on, 0.0), week.free_minutes))


def plan_notes(plan: Plan) -> list[str]:
    """What the user should know besides the numbers: missing calendars, the horizon,
    and what each ``--without`` matched (one line each, plain text)."""
    notes = []
    if not plan.calendars:
        notes.append(
            "no calendar imported: the plan holds only logged time; run 'leadtime import FILE'"
        )
    if plan.beyond_import and plan.imported_until is not None and plan.weeks:
        last = plan.weeks[-1].record.end.isoformat()
        notes.append(
            f"calendars were imported up to {plan.imported_until.isoformat()}; weeks after "
            f"it show no meetings — run 'leadtime import --until {last}'"
        )
    for declined in plan.declined:
        if not declined.matched:
            notes.append(f"--without {declined.text!r} matched no event ahead")
            continue
        named = "; ".join(
            f"{title} ({count} instance{'s' if count != 1 else ''}, uid {uid}, {calendar})"
            for calendar, uid, title, count in declined.matched
        )
        notes.append(f"--without {declined.text!r} left out: {named}")
    return [safe(note, newlines=False) for note in notes]


# --------------------------------------------------------------------------- table

HEADINGS = ("Lead h", "Hands h", "Other h", "Uncl. h", "Free h", "Share", "Need h")
SHORT_HEADINGS = ("Lead", "Hands", "Other", "Uncl.", "Free", "Share", "Need")


def tip_rows(tips: tuple[Tip, ...], shown: int = TIPS_SHOWN) -> list[tuple[str, ...]]:
    return [
        (
            safe(tip.title, newlines=False),
            safe(tip.category + (f":{tip.activity}" if tip.activity else ""), newlines=False),
            "series" if tip.recurring else "one-off",
            str(tip.instances),
            hours_text(tip.minutes_per_week),
            hours_text(tip.minutes),
            safe(tip.calendar, newlines=False),
        )
        for tip in tips[:shown]
    ]


def _numbers(week: WeekPlan) -> tuple[str, ...]:
    minutes = week.minutes
    return (
        hours_text(week.leadership_minutes),
        hours_text(week.hands_on_minutes),
        hours_text(minutes["other"]),
        hours_text(minutes["unclassified"]),
        hours_text(week.free_minutes),
        _share(week.share),
        _needed(week),
    )


def plan_table(plan: Plan) -> PlanTable:
    """The weeks ahead as a table, a sentence per week, and what weighs most; laid out for
    a width when printed (see ``docs/views.md``: numbers never go, titles are cut)."""
    return PlanTable(plan)


class PlanTable(Block):
    """The plan laid out for a width."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def lines(self, width: int) -> list[Line]:
        plan = self.plan
        lines = fitted_lines(first_fitting(self._weeks(), width), width)
        if lines and "".join(text for text, _ in lines[-1]).strip():
            lines.append([])  # a blank line where the frame has no blank bottom edge
        parts: list[str] = []
        note = in_progress_note(plan)
        if note:
            parts.append(note)
        parts += [_capital(_sentence(plan, week)) + "." for week in plan.weeks]
        for part in parts:
            lines.extend(plain_lines(part, width))
        if plan.tips:
            lines.append([])
            lines.extend(fitted_lines(first_fitting(self._tips(), width), width))
        for note in plan_notes(plan):
            lines.extend(plain_lines(note, width))
        return lines

    def _weeks(self) -> Iterator[Grid]:
        """The table of the weeks, from the widest layout to the narrowest: the frame's
        edge goes, then the headings shorten, then the gaps narrow, then the verdict wraps."""
        plan = self.plan
        report = plan.report
        rows = [
            Row(
                [
                    _week_label(week),
                    *_numbers(week),
                    Styled.of(week.verdict.label, VERDICT_STYLES[week.verdict]),
                ]
            )
            for week in plan.weeks
        ]
        title = f"leadtime plan (target {target_text(report)} leadership, {report.timezone})"
        labels = [week.verdict.label for week in plan.weeks]
        for edge, short, padding, wrapped in (
            (True, False, 1, False),
            (False, False, 1, False),
            (False, True, 1, False),
            (False, True, 0, False),
            (False, True, 0, True),
        ):
            floor = max((len(word) for label in labels for word in label.split()), default=1)
            columns = [
                Column("Week"),
                *(
                    Column(heading, right=True)
                    for heading in (SHORT_HEADINGS if short else HEADINGS)
                ),
                Column("Verdict", give=1 if wrapped else 0, floor=floor, overflow="wrap"),
            ]
            yield Grid(
                columns,
                rows,
                title=title + (", hours" if short else ""),
                title_style="italic",
                box=BOXES["simple-heavy"],
                edge=edge,
                pad_edge=False,
                collapse=True,
                padding=padding,
            )

    def _tips(self) -> Iterator[Grid]:
        """What tips it, from the widest layout to the narrowest: the frame's edge goes, then
        the widest of the titles, categories and calendar names is cut with … (then the
        gaps narrow); the numbers stay whole."""
        tips = self.plan.tips
        several = len({tip.calendar for tip in tips}) > 1
        rows = [Row(row if several else row[:-1]) for row in tip_rows(tips)]
        for edge, padding, give in ((True, 1, 0), (False, 1, 0), (False, 1, 1), (False, 0, 1)):
            columns = [
                Column("Event", give=give, floor=12),
                Column("Category", give=give, floor=10),
                Column("Kind"),
                Column("Count", right=True),
                Column("h/week", right=True),
                Column("h total", right=True),
                Column("Calendar", give=give, floor=8),
            ]
            yield Grid(
                columns if several else columns[:-1],
                rows,
                title="What tips it (after now)",
                title_style="italic",
                box=BOXES["simple"],
                edge=edge,
                pad_edge=False,
                collapse=True,
                padding=padding,
            )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- JSON


def _minutes(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 1)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 4)


def week_plan_json(plan: Plan, week: WeekPlan) -> dict[str, Any]:
    """One week of the plan in the stable JSON form (see :func:`plan_json`)."""
    record = week.record
    return {
        "week": record.week,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "in_progress": week.in_progress,
        "done_minutes": {name: _minutes(record.minutes[name]) for name in CATEGORIES},
        "planned_minutes": {name: _minutes(record.planned_minutes[name]) for name in CATEGORIES},
        "leadership_minutes": _minutes(week.leadership_minutes),
        "hands_on_minutes": _minutes(week.hands_on_minutes),
        "working_minutes": _minutes(week.working_minutes),
        "free_minutes": _minutes(week.free_minutes),
        "planned_share": _ratio(week.share),
        "lowest_share": _ratio(week.lowest_share),
        "highest_share": _ratio(week.highest_share),
        "needed_hands_on_minutes": _minutes(week.needed_hands_on),
        "verdict": week.verdict.value,
        "off_track_side": week.side,
        "sentence": _sentence(plan, week),
    }


def _tip_json(tip: Tip) -> dict[str, Any]:
    return {
        "calendar": tip.calendar,
        "uid": tip.uid,
        "title": tip.title,
        "category": tip.category,
        "activity": tip.activity,
        "recurring": tip.recurring,
        "instances": tip.instances,
        "weeks": tip.weeks,
        "minutes": _minutes(tip.minutes),
        "minutes_per_week": _minutes(tip.minutes_per_week),
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    report = plan.report
    return {
        "timezone": report.timezone,
        "target": report.target,
        "tolerance": report.tolerance,
        "now": instant(plan.now),
        "calendars": list(plan.calendars),
        "imported_until": plan.imported_until.isoformat() if plan.imported_until else None,
        "beyond_import": plan.beyond_import,
        "weeks": [week_plan_json(plan, week) for week in plan.weeks],
        "tips": [_tip_json(tip) for tip in plan.tips],
        "without": [
            {
                "text": declined.text,
                "matched": [
                    {"calendar": c, "uid": u, "title": t, "instances": n}
                    for c, u, t, n in declined.matched
                ],
            }
            for declined in plan.declined
        ],
    }


def plan_json(plan: Plan) -> str:
    """The plan as JSON: zone, target, the weeks (L, H, F, shares, N, verdict, sentence),
    the tips and what ``--without`` matched."""
    return dumps(plan_dict(plan))


# --------------------------------------------------------------------------- Markdown


def plan_markdown(plan: Plan) -> str:
    """The plan as a GitHub-flavoured Markdown table, the sentences, and the tips."""
    report = plan.report
    lines = [
        f"## leadtime plan ({md(report.timezone)})",
        "",
        "| Week | Leadership h | Hands-on h | Other h | Unclassified h | Free h | Share "
        "| Needs hands-on h | Verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for week in plan.weeks:
        cells = [md(_week_label(week)), *_numbers(week), week.verdict.label]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"Target {target_text(report)} leadership."]
    note = in_progress_note(plan)
    if note:
        lines += ["", md(note)]
    lines += ["", *(f"- {md(_capital(_sentence(plan, week)))}." for week in plan.weeks)]
    if plan.tips:
        lines += [
            "",
            "### What tips it",
            "",
            "| Event | Category | Kind | Instances | h/week | h total | Calendar |",
            "| --- | --- | --- | ---: | ---: | ---: | --- |",
        ]
        rows = tip_rows(plan.tips)  # already safe; md() escapes what Markdown acts on
        lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    notes = plan_notes(plan)
    if notes:
        lines += ["", *(f"> {md(note)}" for note in notes)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- check --ahead


def _status(result: AheadResult) -> str:
    if result.warning:
        return "warn"
    return {True: "pass", False: "FAIL", None: "skip"}[result.passed]


def ahead_text(result: AheadResult) -> str:
    """One line for next week (status, week, the sentence, free hours), a warning line when
    it is at risk, and the summary."""
    week = result.week
    lines = []
    if week is not None:
        lines.append(
            f"{_status(result)}  {week.week}  {safe(result.reason, newlines=False)}  "
            f"[{hours_words(week.free_minutes)} free]"
        )
    if result.warning:
        lines.append(f"warning: {week.week if week else ''} is at risk: {result.reason}")
    lines.append(f"{result.summary} (target {target_text(result.plan.report)})")
    return "\n".join(lines) + "\n"


def ahead_json(result: AheadResult) -> str:
    """The plan's JSON with the gate's outcome: ``ahead``, ``passed``, ``warning``,
    ``exit_code``, ``summary``, and ``weeks`` holding only the judged week."""
    plan = result.plan
    report = plan.report
    low, high = band(report.target, report.tolerance)
    data = plan_dict(plan)
    judged = [result.week] if result.week is not None else []
    data.update(
        {
            "min_hours": report.min_hours,
            "band": [float(low) / 100, float(high) / 100],
            "ahead": True,
            "passed": result.passed,
            "warning": result.warning,
            "exit_code": int(result.exit_code),
            "summary": result.summary,
            "weeks": [
                {**week_plan_json(plan, week), "passed": result.passed, "reason": result.reason}
                for week in judged
            ],
        }
    )
    return dumps(data)


def ahead_github(result: AheadResult) -> tuple[str, str]:
    """GitHub Actions output: a workflow-command line (``::error`` off track, ``::warning``
    at risk or without data, ``::notice`` on track) and a Markdown job summary."""
    if result.passed is False:
        command = "error"
    elif result.warning or result.passed is None:
        command = "warning"
    else:
        command = "notice"
    label = result.week.week if result.week is not None else "ahead"
    line = (
        f"::{command} title={escape_property(f'leadtime check --ahead {label}')}"
        f"::{escape_data(result.summary)}"
    )
    heading = result.summary.split(":", 1)[0]
    summary = [
        f"### leadtime check --ahead: {heading}",
        "",
        f"Target {target_text(result.plan.report)} leadership.",
        "",
        md(result.summary),
    ]
    return line + "\n", "\n".join(summary) + "\n"


def ahead_junit(result: AheadResult) -> str:
    """JUnit XML: one test case for next week; off track fails, no data is skipped."""
    counts = {
        "tests": "1",
        "failures": "1" if result.passed is False else "0",
        "errors": "0",
        "skipped": "1" if result.passed is None else "0",
    }
    root = ET.Element("testsuites", {"name": "leadtime", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "leadtime check --ahead", **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="target", value=target_text(result.plan.report))
    ET.SubElement(properties, "property", name="timezone", value=result.plan.report.timezone)
    label = result.week.week if result.week is not None else "ahead"
    case = ET.SubElement(suite, "testcase", classname="leadtime.check.ahead", name=label, time="0")
    if result.passed is False:
        failure = ET.SubElement(case, "failure", message=result.reason, type="off-track")
        failure.text = result.reason
    elif result.passed is None:
        ET.SubElement(case, "skipped", message=result.reason)
    elif result.warning:
        out = ET.SubElement(case, "system-out")
        out.text = f"at risk: {result.reason}"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
