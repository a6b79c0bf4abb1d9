"""The team report as a table, JSON and Markdown, and what ``team publish`` says.

Activity labels come from other members: they are data, cleaned with :func:`safe` for a
terminal and escaped with :func:`md` for Markdown. A suppressed week (fewer publishers
than the minimum group) shows ``fewer than K leads`` and no number, only your own week.
The table is laid out by hand: no Rich needed for a few aligned columns.
"""

from __future__ import annotations

from typing import Any

from leadtime.jsonout import dumps
from leadtime.reports.numbers import CATEGORIES
from leadtime.team.records import OwnWeek, Published, TeamReport, TeamWeek
from leadtime.text import safe
from leadtime.units import format_hours, percent, round_half_up

__all__ = [
    "published_text",
    "team_json",
    "team_markdown",
    "team_table",
    "team_week_json",
]

_HEAD = ("week", "leads", "median", "p25-p75", "on target", "too hands-on", "too hands-off")


def _pct(share: float | None) -> float | None:
    """A share as JSON shows shares of the team: percent with one decimal."""
    return None if share is None else float(percent(share))


def _shown(share: float | None) -> str:
    return "-" if share is None else f"{percent(share)}%"


def _you_json(you: OwnWeek | None) -> dict[str, Any] | None:
    return None if you is None else {"share": _pct(you.share), "verdict": you.verdict.value}


def team_week_json(record: TeamWeek) -> dict[str, Any]:
    """One week: the team's numbers (percent, one decimal; mean minutes per lead, one
    decimal) and yours; a suppressed week has ``"suppressed": true`` and only ``you``."""
    data: dict[str, Any] = {
        "week": record.week,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "suppressed": record.suppressed,
    }
    if not record.suppressed:
        data.update(
            leads=record.leads,
            median_share=_pct(record.median_share),
            p25_share=_pct(record.p25_share),
            p75_share=_pct(record.p75_share),
            on_target=record.on_target,
            too_hands_on=record.too_hands_on,
            too_hands_off=record.too_hands_off,
            minutes={name: round_half_up(m, 1) for name, m in record.minutes.items()},
            activities={
                name: {label: round_half_up(m, 1) for label, m in labels.items()}
                for name, labels in record.activities.items()
            },
        )
    data["you"] = _you_json(record.you)
    return data


def team_json(report: TeamReport) -> str:
    """``{"min_group": 5, "weeks": [...]}``, oldest week first."""
    weeks = [team_week_json(record) for record in report.weeks]
    return dumps({"min_group": report.min_group, "weeks": weeks})


def _you_text(you: OwnWeek | None) -> str:
    return "-" if you is None else f"{_shown(you.share)} {you.verdict.label}"


def _cells(record: TeamWeek, min_group: int) -> list[str]:
    if record.suppressed:
        return [record.week, f"fewer than {min_group} leads"]
    return [
        record.week,
        str(record.leads),
        _shown(record.median_share),
        f"{_shown(record.p25_share)}-{_shown(record.p75_share)}",
        str(record.on_target),
        str(record.too_hands_on),
        str(record.too_hands_off),
    ]


def _mix_lines(report: TeamReport) -> list[str]:
    mix = report.mix()
    if not mix:
        return []
    counted = sum(1 for record in report.weeks if not record.suppressed)
    lines = [
        f"activity mix: mean hours per lead and week over {counted} "
        f"week{'s' if counted != 1 else ''} with numbers"
    ]
    width = max(len(name) for name in mix)
    for name in CATEGORIES:
        if name in mix:
            parts = ", ".join(
                f"{safe(label, newlines=False)} {format_hours(minutes)} h"
                for label, minutes in mix[name].items()
            )
            lines.append(f"  {name.ljust(width)}  {parts}")
    return lines


def team_table(report: TeamReport) -> str:
    """The weeks as aligned columns, your week last; the activity mix below."""
    rows = [[*_cells(record, report.min_group), _you_text(record.you)] for record in report.weeks]
    head = [*_HEAD, "you"]
    widths = [len(cell) for cell in head]
    for row in rows:
        widths[0] = max(widths[0], len(row[0]))
        if len(row) == len(head):
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    numbers = range(1, len(_HEAD))  # right-aligned columns

    def line(row: list[str]) -> str:
        if len(row) == len(head):
            cells = [
                cell.rjust(widths[i]) if i in numbers else cell.ljust(widths[i])
                for i, cell in enumerate(row)
            ]
            return "  ".join(cells).rstrip()
        # a suppressed week: its note spans the team's columns, then your week
        team_width = sum(widths[: len(_HEAD)]) + 2 * (len(_HEAD) - 1)
        first = row[0].ljust(widths[0]) + "  " + row[1]
        return f"{first.ljust(team_width)}  {row[2]}".rstrip()

    out = [
        f"team {report.team}: minimum group {report.min_group}",
        "",
        line(head),
        *(line(row) for row in rows),
    ]
    mix = _mix_lines(report)
    if mix:
        out += ["", *mix]
    return "\n".join(out) + "\n"


def team_markdown(report: TeamReport) -> str:
    """A GitHub-flavoured Markdown table and the activity mix; labels escaped."""
    from leadtime.render.formats import md

    lines = [
        f"## leadtime team report (minimum group {report.min_group})",
        "",
        "| Week | Leads | Median | P25-P75 | On target | Too hands-on | Too hands-off | You |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for record in report.weeks:
        you = _you_text(record.you)
        if record.suppressed:
            lines.append(
                f"| {record.week} | fewer than {report.min_group} leads | | | | | | {you} |"
            )
            continue
        cells = _cells(record, report.min_group)
        lines.append(f"| {' | '.join(cells)} | {you} |")
    mix = report.mix()
    if mix:
        lines += ["", "Activity mix, mean hours per lead and week:", ""]
        for name in CATEGORIES:
            if name in mix:
                parts = ", ".join(
                    f"{md(label)} {format_hours(minutes)} h" for label, minutes in mix[name].items()
                )
                lines.append(f"- **{name}**: {parts}")
    return "\n".join(lines) + "\n"


def published_text(result: Published) -> str:
    """What ``team publish`` says: how many weeks went where, and which were left out."""
    weeks = result.document["weeks"]
    span = f"{result.document['from']}..{result.document['to']}"
    count = f"{len(weeks)} week{'s' if len(weeks) != 1 else ''}"
    verb = "would publish" if result.dry_run else "published"
    where = f" to {result.team}" if result.team else ""
    text = f"{verb} {count} of {span}{where}"
    if result.skipped:
        text += f"; not enough data to judge: {', '.join(result.skipped)}"
    return text
