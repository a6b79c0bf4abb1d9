"""The formats scripts read and people paste: JSON, CSV, Markdown, and the SVG picture.

The JSON form is the stable interface of SPEC §6; everything added since is additive.
Every CSV leadtime writes goes through :func:`csv_writer`, which neutralises cells that a
spreadsheet would run as a formula (OWASP: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any, Protocol

from leadtime.jsonout import dumps
from leadtime.render.console import safe
from leadtime.render.words import (
    SEVERAL_TAGS,
    breakdown_rows,
    coverage_sentence,
    hours_text,
    period,
    planned_sentences,
    share_text,
    unclassified_warning,
)
from leadtime.reports.numbers import CATEGORIES, target_text
from leadtime.reports.records import Report, WeekRecord, aggregate_record
from leadtime.units import round_half_up

__all__ = [
    "CSV_HEADER",
    "csv_cell",
    "csv_writer",
    "md",
    "report_csv",
    "report_json",
    "report_markdown",
    "report_svg_text",
    "to_json_dict",
    "week_json",
]

_LABEL_KEYS = {"tag": "tags", "source": "sources"}  # the JSON key of a breakdown


# --------------------------------------------------------------------------- JSON


def _rounded(minutes: float | None) -> float | None:
    return None if minutes is None else round_half_up(minutes, 1)


def _table(found: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {
        name: {label: round_half_up(minutes, 1) for label, minutes in labels.items()}
        for name, labels in found.items()
    }


def week_json(record: WeekRecord, by: str | None = None) -> dict[str, Any]:
    """One week record in the SPEC §6 JSON form (minutes to 0.1, share to 4 decimals).

    Beside the SPEC §6 keys: ``planned_minutes`` (per category, scheduled after now),
    ``working_minutes``, ``accounted_minutes``, ``unaccounted_minutes`` (null without
    working hours), and with ``by`` tag or source the minutes per ``tags`` or ``sources``.
    """
    share = record.leadership_share
    data: dict[str, Any] = {
        "week": record.week,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "complete": record.complete,
        "minutes": {name: round_half_up(record.minutes.get(name, 0.0), 1) for name in CATEGORIES},
        "leadership_share": None if share is None else round_half_up(share, 4),
        "double_booked_minutes": round_half_up(record.double_booked_minutes, 1),
        "verdict": record.verdict.value,
        "activities": _table(record.activities),
        "planned_minutes": {
            name: round_half_up(record.planned_minutes.get(name, 0.0), 1) for name in CATEGORIES
        },
        "working_minutes": _rounded(record.working_minutes),
        "accounted_minutes": _rounded(record.accounted_minutes),
        "unaccounted_minutes": _rounded(record.unaccounted_minutes),
    }
    if by in _LABEL_KEYS:
        data[_LABEL_KEYS[by]] = _table(record.breakdown or {})
    return data


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the stable JSON interface of SPEC §6 (plus ``by``)."""
    return {
        "timezone": report.timezone,
        "target": report.target,
        "tolerance": report.tolerance,
        "by": report.by,
        "weeks": [week_json(record, report.by) for record in report.weeks],
    }


def report_json(report: Report) -> str:
    """The report in the stable JSON form of SPEC §6."""
    return dumps(to_json_dict(report))


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> object:
    """``value`` as safe to open in a spreadsheet and to print on a terminal: text without
    escape sequences and control characters (:func:`safe`, newlines kept), and a text cell
    that begins like a formula gets a leading ``'``. Numbers, and text that is just a
    number (``-1.5``), stay."""
    if not isinstance(value, str):
        return value
    value = safe(value)
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Rows(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, writer: _Rows) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row of neutralised cells."""
        self._writer.writerow([csv_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write each row as :meth:`writerow` does."""
        for row in rows:
            self.writerow(row)


def csv_writer(handle: io.TextIOBase | Any) -> SafeWriter:
    """A CSV writer on ``handle`` (``\\n`` line ends) that neutralises formula cells."""
    return SafeWriter(csv.writer(handle, lineterminator="\n"))


CSV_HEADER = (
    "week",
    "start",
    "end",
    "complete",
    *(f"{name.replace('-', '_')}_minutes" for name in CATEGORIES),
    "leadership_share",
    "double_booked_minutes",
    "verdict",
    *(f"planned_{name.replace('-', '_')}_minutes" for name in CATEGORIES),
    "working_minutes",
    "accounted_minutes",
    "unaccounted_minutes",
)


def _number(value: float | None) -> float | str:
    return "" if value is None else round_half_up(value, 1)


def report_csv(report: Report) -> str:
    """One row per week (see :data:`CSV_HEADER`); minutes with one decimal, the share
    with four, empty cells where there is no value.

    With a breakdown (``report.by``) the rows are one per week, category and label
    instead: ``week,start,end,complete,category,<by>,minutes``.
    """
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    if report.by is not None:
        writer.writerow(("week", "start", "end", "complete", "category", report.by, "minutes"))
        for record in report.weeks:
            head = (record.week, record.start.isoformat(), record.end.isoformat())
            complete = "true" if record.complete else "false"
            for category, label, minutes in breakdown_rows(record, report.by):
                writer.writerow((*head, complete, category, label, round_half_up(minutes, 1)))
        return buffer.getvalue()
    writer.writerow(CSV_HEADER)
    for record in report.weeks:
        share = record.leadership_share
        writer.writerow(
            [
                record.week,
                record.start.isoformat(),
                record.end.isoformat(),
                "true" if record.complete else "false",
                *(round_half_up(record.minutes[category], 1) for category in CATEGORIES),
                "" if share is None else round_half_up(share, 4),
                round_half_up(record.double_booked_minutes, 1),
                record.verdict.value,
                *(round_half_up(record.planned_minutes[category], 1) for category in CATEGORIES),
                _number(record.working_minutes),
                _number(record.accounted_minutes),
                _number(record.unaccounted_minutes),
            ]
        )
    return buffer.getvalue()


# --------------------------------------------------------------------------- Markdown

_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str) -> str:
    """``text`` as literal Markdown in a table cell or a paragraph: no control characters,
    no line breaks, every character Markdown or HTML would act on escaped."""
    flat = " ".join(safe(text).splitlines())
    return _MARKDOWN_ACTIVE.sub(r"\\\1", flat)


def _verdict_words(record: WeekRecord) -> str:
    return record.verdict.label + ("" if record.complete else " (in progress)")


def report_markdown(report: Report) -> str:
    """The report as a Markdown table (GitHub flavour) with the footer as text.

    With a breakdown (``report.by``) each week is followed by a row per label.
    """
    by = report.by
    lines = [
        f"## leadtime report {period(report)} ({md(report.timezone)})",
        "",
        "| Week | Leadership h | Hands-on h | Other h | Unclassified h | Share | Verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for record in report.weeks:
        hours = " | ".join(hours_text(record.minutes[category]) for category in CATEGORIES)
        lines.append(
            f"| {record.week} | {hours} | {share_text(record.leadership_share)} "
            f"| {_verdict_words(record)} |"
        )
        for category, label, minutes in breakdown_rows(record, by):
            cells = ["" for _ in CATEGORIES]
            cells[CATEGORIES.index(category)] = hours_text(minutes)
            lines.append(f"| &nbsp;&nbsp;{md(label)} | {' | '.join(cells)} | | |")
    if report.weeks:
        totals = " | ".join(hours_text(report.totals[category]) for category in CATEGORIES)
        verdict = aggregate_record(report).verdict.label
        lines.append(f"| **Total** | {totals} | {share_text(report.average_share)} | {verdict} |")
    lines += [
        "",
        f"Target {target_text(report)} leadership. "
        f"Double-booked time folded: {hours_text(report.double_booked_minutes)} h.",
    ]
    several = SEVERAL_TAGS if report.several_tags else None
    for sentence in [several, *planned_sentences(report), coverage_sentence(report)]:
        if sentence:
            lines += ["", sentence[0].upper() + sentence[1:] + "."]
    warning = unclassified_warning(report)
    if warning:
        lines += ["", f"> **Warning:** {md(warning)}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- SVG


def report_svg_text(report: Report, *, width: int = 120) -> str:
    """The report table as an SVG picture."""
    from leadtime.render.console import console
    from leadtime.render.table import report_table

    recording = console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        soft_wrap=False,
    )
    recording.print(report_table(report))
    drawn = recording.export_svg(title=f"leadtime report {period(report)}")
    return _WEB_FONTS.sub("", drawn)


# Rich's SVG names its font with @font-face rules that load it from a CDN when the file is
# opened; without them the picture uses the reader's own monospace font and stays offline.
_WEB_FONTS = re.compile(r"@font-face\s*\{[^}]*\}\s*")
