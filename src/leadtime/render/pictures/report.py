"""``leadtime report --format html``: the period on one page, charts and tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadtime.clock import zone
from leadtime.render.formats import week_json
from leadtime.render.pictures import charts
from leadtime.render.pictures.page import (
    Cell,
    Markup,
    document,
    figure,
    section,
    table,
    tips_table,
)
from leadtime.render.words import (
    breakdown_rows,
    coverage_sentence,
    headline,
    hours_text,
    hours_words,
    period,
    planned_sentences,
    share_text,
    unclassified_warning,
)
from leadtime.reports.check import target_text
from leadtime.reports.numbers import CATEGORIES, band
from leadtime.reports.records import Report, WeekRecord, aggregate_record

if TYPE_CHECKING:
    from leadtime.app.reporting import ReportPicture

HEAVIEST_SHOWN = 12  # rows of "what took most time"
ACTIVITIES_CHARTED = 20  # bars in the activity chart (the table has them all)
STACK = ("leadership", "hands-on", "other", "unclassified", "planned")
BY_HEADINGS = {"activity": "Activity", "tag": "Tag", "source": "Source"}


def _verdict(record: WeekRecord) -> Cell:
    words = record.verdict.label + ("" if record.complete else " (so far)")
    return Cell(words, css=f"verdict {record.verdict.value}")


def _hours(minutes: float | None) -> Cell:
    return Cell("-" if minutes is None else hours_text(minutes), number=True)


def _explained(record: WeekRecord | Report) -> Cell:
    working, accounted = record.working_minutes, record.accounted_minutes
    if not working or accounted is None:
        return Cell("-", number=True)
    return Cell(share_text(accounted / working), number=True)


def _share_chart(report: Report, verdicts: str) -> Markup:
    low, high = (float(value) / 100 for value in band(report.target, report.tolerance))
    rows = [
        {
            "week": record.week,
            "share": week_json(record)["leadership_share"],
            "verdict": record.verdict.value,
        }
        for record in report.weeks
    ]
    label = (
        f"Line chart of the leadership share per week, {period(report)}, against the target "
        f"band {low:.0%} to {high:.0%}: {verdicts}."
    )
    spec = charts.share_line(rows, low=low, high=high, target=report.target)
    return figure(
        charts.render(spec, label=label),
        f"Leadership share per week; the shaded band is the target {target_text(report)}, "
        "the dashed line the target. Points: blue circle on target, orange triangle down too "
        "hands-on, purple triangle up too hands-off.",
        name="share-chart",
    )


def _hours_chart(report: Report) -> Markup:
    rows: list[dict[str, Any]] = []
    rule = []
    for record in report.weeks:
        for name in CATEGORIES:
            rows.append({"week": record.week, "series": name, "hours": record.minutes[name] / 60})
        rows.append({"week": record.week, "series": "planned", "hours": record.planned_total / 60})
        if record.working_minutes:
            rule.append({"week": record.week, "hours": record.working_minutes / 60})
    totals = report.totals
    planned = sum(report.planned_totals.values())
    label = (
        f"Stacked bar chart of the hours per week by category, {period(report)}: "
        + ", ".join(f"{hours_words(totals[name])} {name}" for name in CATEGORIES)
        + (f", {hours_words(planned)} planned" if planned else "")
        + "; a black tick marks each week's working hours up to now."
    )
    spec = charts.stacked_hours(
        rows,
        weeks=[record.week for record in report.weeks],
        series=STACK,
        rule=rule,
    )
    return figure(
        charts.render(spec, label=label),
        "Hours per week by category; planned time (after now) is stacked apart on top, and "
        "a black tick marks the working hours.",
        name="hours-chart",
    )


def _weeks_table(report: Report) -> Markup:
    headings = [
        "Week",
        "Starts",
        *(Cell(f"{name.capitalize()} h", number=True) for name in CATEGORIES),
        Cell("Planned h", number=True),
        Cell("Share", number=True),
        "Verdict",
    ]
    rows = []
    data = []
    for record in report.weeks:
        rows.append(
            [
                record.week,
                record.start.isoformat(),
                *(_hours(record.minutes[name]) for name in CATEGORIES),
                _hours(record.planned_total),
                Cell(share_text(record.leadership_share), number=True),
                _verdict(record),
            ]
        )
        share = week_json(record)["leadership_share"]
        data.append(
            (
                ("week", record.week),
                ("share", "" if share is None else repr(share)),
                ("verdict", record.verdict.value),
            )
        )
    footer = None
    if report.weeks:
        overall = aggregate_record(report)
        footer = [
            "Total",
            "",
            *(_hours(report.totals[name]) for name in CATEGORIES),
            _hours(sum(report.planned_totals.values())),
            Cell(share_text(report.average_share), number=True),
            Cell(overall.verdict.label, css=f"verdict {overall.verdict.value}"),
        ]
    return table(
        "Hours per week by category, the leadership share and the verdict",
        headings,
        rows,
        footer=footer,
        row_data=data,
        css="weeks",
    )


def _coverage(report: Report) -> Markup:
    sentence = coverage_sentence(report)
    if sentence is None:
        return section(
            "Working-hours coverage",
            "No working hours are set ('leadtime config set work_hours ...'), so coverage "
            "is not measured.",
            name="coverage",
        )
    rows = [
        [
            record.week,
            _hours(record.working_minutes),
            _hours(record.accounted_minutes),
            _hours(record.unaccounted_minutes),
            _explained(record),
            _hours(record.double_booked_minutes),
        ]
        for record in report.weeks
    ]
    footer = [
        "Total",
        _hours(report.working_minutes),
        _hours(report.accounted_minutes),
        _hours(aggregate_record(report).unaccounted_minutes if report.weeks else None),
        _explained(report),
        _hours(report.double_booked_minutes),
    ]
    headings = [
        "Week",
        Cell("Working h", number=True),
        Cell("With entries h", number=True),
        Cell("Without entries h", number=True),
        Cell("Explained", number=True),
        Cell("Double-booked h", number=True),
    ]
    return section(
        "Working-hours coverage",
        sentence[:1].upper() + sentence[1:] + ". Double-booked time is counted once.",
        table(
            "Working time up to now, and how much of it entries cover",
            headings,
            rows,
            footer=footer,
            css="coverage",
        ),
        name="coverage",
    )


def _breakdown(report: Report) -> Markup:
    by = report.by or "activity"
    overall = aggregate_record(report)
    found = list(breakdown_rows(overall, by))
    heading = BY_HEADINGS[by]
    if not found:
        return section(f"Time by {by}", "No counted time in this period.", name="breakdown")
    labels = [label for _, label, _ in found]
    repeated = {label for label in labels if labels.count(label) > 1}
    chart_rows: list[dict[str, Any]] = [
        {
            "label": f"{label} ({category})" if label in repeated else label,
            "category": category,
            "hours": round(minutes / 60, 2),
        }
        for category, label, minutes in sorted(found, key=lambda row: -row[2])
    ][:ACTIVITIES_CHARTED]
    spec = charts.activity_bars(chart_rows, categories=CATEGORIES)
    described = ", ".join(
        f"{label} {hours_words(minutes)}"
        for _, label, minutes in sorted(found, key=lambda row: -row[2])[:5]
    )
    chart = figure(
        charts.render(spec, label=f"Bar chart of the hours by {by}, largest first: {described}."),
        f"Hours by {by} over the period"
        + (
            f" (the largest {ACTIVITIES_CHARTED}; the table has all)"
            if len(found) > ACTIVITIES_CHARTED
            else ""
        ),
        name="breakdown-chart",
    )
    totals = report.totals
    rows = [
        [
            category,
            label,
            _hours(minutes),
            Cell(share_text(minutes / totals[category]) if totals[category] else "-", number=True),
        ]
        for category, label, minutes in found
    ]
    headings = [
        "Category",
        heading,
        Cell("Hours", number=True),
        Cell("Of the category", number=True),
    ]
    return section(
        f"Time by {by}",
        chart,
        table(f"Hours by category and {by} over the period", headings, rows, css="breakdown"),
        name="breakdown",
    )


def _heaviest(picture: ReportPicture) -> Markup:
    title = "What took most time"
    if picture.private:
        return section(
            title,
            "Titles are left out of this report (--private): it shows categories and "
            "activities only.",
            name="heaviest",
        )
    if not picture.heaviest:
        return section(title, "No calendar events in this period.", name="heaviest")
    return section(
        title,
        "The calendar series and one-off events that took most of the time done in the "
        "period (each instance counted whole).",
        tips_table(
            "Calendar series and events by time taken",
            picture.heaviest,
            HEAVIEST_SHOWN,
            css="heaviest",
        ),
        name="heaviest",
    )


def _verdict_counts(report: Report) -> str:
    counts: dict[str, int] = {}
    for record in report.weeks:
        counts[record.verdict.label] = counts.get(record.verdict.label, 0) + 1
    return ", ".join(f"{count} {label}" for label, count in counts.items()) or "no weeks"


def report_page(picture: ReportPicture) -> str:
    """The HTML report: the headline, the share and hours charts, every number as a table,
    the breakdown, what took most time, coverage and the footer notes."""
    report = picture.report
    notes = [
        f"Target {target_text(report)} leadership; share = leadership / (leadership + "
        f"hands-on). Double-booked time folded: {hours_words(report.double_booked_minutes)}.",
        *(sentence[:1].upper() + sentence[1:] + "." for sentence in planned_sentences(report)),
    ]
    warning = unclassified_warning(report)
    parts = []
    if report.weeks:
        parts.append(
            section(
                "Leadership share per week",
                _share_chart(report, _verdict_counts(report)),
                _hours_chart(report),
                _weeks_table(report),
                *notes,
                *(
                    [Markup('<p class="warning">Warning: {}</p>').format(warning)]
                    if warning
                    else []
                ),
                name="weeks",
            )
        )
        parts += [_breakdown(report), _heaviest(picture), _coverage(report)]
    else:
        parts.append(section("Weeks", "The period holds no weeks.", name="weeks"))
    if report.weeks:
        first, last = report.weeks[0].start, report.weeks[-1].end
        span = f"{len(report.weeks)} week{'s' if len(report.weeks) != 1 else ''}, {first} to {last}"
    else:
        span = "no weeks"
    meta = f"{span} · {report.timezone} · target {target_text(report)} leadership"
    if picture.private:
        meta += " · private: no titles"
    made = picture.now.astimezone(zone(report.timezone)).strftime("%Y-%m-%d %H:%M %Z")
    return document(
        f"leadtime report {period(report)}",
        meta=meta,
        headline=headline(report) + ".",
        parts=parts,
        made=made,
    )
