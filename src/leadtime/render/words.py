"""The small texts every format shares: shares, hours, the period, the footer sentences."""

from __future__ import annotations

from collections.abc import Iterator

from leadtime.reports.numbers import CATEGORIES, NO_LABEL, Verdict
from leadtime.reports.records import Report, WeekRecord
from leadtime.units import format_hours, percent

__all__ = [
    "COVERAGE_HINT",
    "breakdown_of",
    "breakdown_rows",
    "coverage_sentence",
    "headline",
    "hours_text",
    "hours_words",
    "period",
    "planned_sentences",
    "share_text",
    "unclassified_warning",
]

COVERAGE_HINT = "run 'leadtime rules coverage'"
hours_text = format_hours


def hours_words(minutes: float) -> str:
    """Hours in a sentence: ``6.5 h``, ``2 h`` (one decimal, halves up, no ``.0``)."""
    text = format_hours(minutes)
    return f"{text.removesuffix('.0')} h"


def share_text(share: float | None) -> str:
    """A share as displayed everywhere: ``70.7%``, or ``-`` without classified time."""
    return "-" if share is None else f"{percent(share)}%"


def period(report: Report) -> str:
    """``2026-W46..2026-W47``, the single week's label, or ``no weeks``."""
    if not report.weeks:
        return "no weeks"
    first, last = report.weeks[0].week, report.weeks[-1].week
    return first if first == last else f"{first}..{last}"


def unclassified_warning(report: Report) -> str | None:
    """The warning for a period, or the weeks, with more than 10% unclassified time."""
    share = report.unclassified_share
    if report.unclassified_warning and share is not None:
        return f"{share_text(share)} of the time is unclassified; {COVERAGE_HINT}"
    flagged = [record.week for record in report.weeks if record.unclassified_warning]
    if flagged:
        named = ", ".join(flagged[:4]) + (
            f" and {len(flagged) - 4} more" if len(flagged) > 4 else ""
        )
        return f"more than 10% unclassified in {named}; {COVERAGE_HINT}"
    return None


def breakdown_of(record: WeekRecord, by: str | None) -> dict[str, dict[str, float]]:
    """Minutes per label for each category: activities, tags or sources (see ``by``)."""
    if by is None:
        return {}
    if by == "activity":
        return record.activities
    return record.breakdown or {}


def breakdown_rows(record: WeekRecord, by: str | None) -> Iterator[tuple[str, str, float]]:
    """(category, label, minutes) in category order, largest label first."""
    found = breakdown_of(record, by)
    for category in CATEGORIES:
        for label, minutes in found.get(category, {}).items():
            yield category, label, minutes


def _by_category(minutes: dict[str, float]) -> str:
    parts = [
        f"{hours_words(minutes[category])} {category}"
        for category in CATEGORIES
        if minutes.get(category, 0.0) > 0
    ]
    return ", ".join(parts)


def planned_sentences(report: Report) -> list[str]:
    """``planned for the rest of 2026-W48: 6.5 h leadership, 2 h hands-on``, one per week
    that has planned time (``planned for 2026-W49: ...`` for a week not yet begun)."""
    sentences = []
    for record in report.weeks:
        if record.planned_total > 0:
            scope = "the rest of " if record.begun else ""
            sentences.append(
                f"planned for {scope}{record.week}: {_by_category(record.planned_minutes)}"
            )
    return sentences


def coverage_sentence(report: Report) -> str | None:
    """How much of the working time up to now the entries explain; None without work hours.

    ``the numbers explain 31.5 h of your 40 h working week``.
    """
    working, accounted = report.working_minutes, report.accounted_minutes
    if working is None or accounted is None or not report.weeks:
        return None
    explained = f"the numbers explain {hours_words(accounted)} of your {hours_words(working)}"
    if len(report.weeks) == 1:
        record = report.weeks[0]
        return f"{explained} working {'week' if record.complete else 'time so far this week'}"
    count = len(report.weeks)
    ongoing = report.current_week is not None
    return f"{explained} working time in these {count} weeks{' up to now' if ongoing else ''}"


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_OFF_TARGET = {Verdict.TOO_HANDS_OFF: "leadership", Verdict.TOO_HANDS_ON: "hands-on"}


def _count(number: int) -> str:
    return _COUNTS[number] if number < len(_COUNTS) else str(number)


def _heaviest(weeks: list[WeekRecord], category: str) -> tuple[str, float] | None:
    """The activity of ``category`` with most minutes over ``weeks`` (None without any)."""
    found: dict[str, float] = {}
    for record in weeks:
        for label, minutes in record.activities.get(category, {}).items():
            found[label] = found.get(label, 0.0) + minutes
    if not found:
        return None
    return min(found.items(), key=lambda item: (-item[1], item[0]))


def headline(report: Report) -> str:
    """The period in one sentence, e.g. ``6 of 8 weeks on target; the last two too
    hands-off: 9 h of hiring``.

    It counts the complete weeks that have enough data to judge; when the last of them
    are off target on the same side, it names that streak and the activity that weighed
    most on that side in it. The week in progress is named with its share so far.
    """
    judged = [r for r in report.weeks if r.complete and r.verdict is not Verdict.NOT_ENOUGH_DATA]
    parts = []
    if judged:
        on = sum(record.verdict is Verdict.ON_TARGET for record in judged)
        noun = "week" if len(judged) == 1 else "weeks"
        parts.append(f"{on} of {len(judged)} {noun} on target")
        last = judged[-1].verdict
        if last in _OFF_TARGET:
            streak: list[WeekRecord] = []
            for record in reversed(judged):
                if record.verdict is not last:
                    break
                streak.insert(0, record)
            scope = "the last week" if len(streak) == 1 else f"the last {_count(len(streak))}"
            if len(streak) == len(judged) > 1:
                scope = f"all {_count(len(streak))}"
            if len(judged) == 1:
                scope = "it was"
            sentence = f"{scope} {last.label}"
            heaviest = _heaviest(streak, _OFF_TARGET[last])
            if heaviest is not None:
                label, minutes = heaviest
                what = _OFF_TARGET[last] if label == NO_LABEL else label
                sentence += f": {hours_words(minutes)} of {what}"
            parts.append(sentence)
    else:
        parts.append("no complete week with enough classified time to judge")
    current = report.current_week
    if current is not None and current.leadership_share is not None:
        parts.append(f"{current.week} so far {share_text(current.leadership_share)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
