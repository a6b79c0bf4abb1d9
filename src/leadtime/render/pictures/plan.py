"""``leadtime plan --format html``: the weeks ahead, their free time, and what tips them."""

from __future__ import annotations

from typing import Any

from leadtime.clock import zone
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
from leadtime.render.plan import TIPS_SHOWN, plan_notes, week_plan_json
from leadtime.render.words import hours_text, hours_words, share_text
from leadtime.reports.ahead import week_sentence
from leadtime.reports.check import target_text
from leadtime.reports.plan import Plan, PlanVerdict, WeekPlan

STACK = ("leadership", "hands-on", "other", "free")


def _label(week: WeekPlan) -> str:
    return week.week + (" (rest)" if week.in_progress else "")


def _needed(week: WeekPlan) -> float | None:
    """N in minutes within 0..F, as the table shows it; None when the week is not judged."""
    if week.verdict is PlanVerdict.NOT_ENOUGH_DATA:
        return None
    return min(max(week.needed_hands_on, 0.0), week.free_minutes)


def _chart(plan: Plan) -> Markup:
    rows: list[dict[str, Any]] = []
    needed = []
    for week in plan.weeks:
        minutes = week.minutes
        values = {
            "leadership": week.leadership_minutes,
            "hands-on": week.hands_on_minutes,
            "other": minutes["other"] + minutes["unclassified"],
            "free": week.free_minutes,
        }
        rows += [
            {"week": _label(week), "series": name, "hours": values[name] / 60} for name in STACK
        ]
        found = _needed(week)
        if found is not None and found > 0:
            needed.append({"week": _label(week), "hours": found / 60})
    spec = charts.stacked_hours(
        rows, weeks=[_label(week) for week in plan.weeks], series=STACK, rule=needed
    )
    described = "; ".join(
        f"{_label(w)}: {hours_words(w.leadership_minutes)} leadership, "
        f"{hours_words(w.hands_on_minutes)} hands-on, {hours_words(w.free_minutes)} free"
        for w in plan.weeks
    )
    return figure(
        charts.render(spec, label=f"Stacked bar chart of the weeks ahead. {described}."),
        "Planned hours per week (done and planned) and the free working time on top; a black "
        "tick marks the hands-on hours the free time must hold to land on the target.",
        name="plan-chart",
    )


def _weeks_table(plan: Plan) -> Markup:
    headings = [
        "Week",
        Cell("Leadership h", number=True),
        Cell("Hands-on h", number=True),
        Cell("Other h", number=True),
        Cell("Free h", number=True),
        Cell("Share", number=True),
        Cell("Needs hands-on h", number=True),
        "Verdict",
    ]
    rows = []
    data = []
    for week in plan.weeks:
        minutes = week.minutes
        needed = _needed(week)
        rows.append(
            [
                _label(week),
                Cell(hours_text(week.leadership_minutes), number=True),
                Cell(hours_text(week.hands_on_minutes), number=True),
                Cell(hours_text(minutes["other"] + minutes["unclassified"]), number=True),
                Cell(hours_text(week.free_minutes), number=True),
                Cell(share_text(week.share), number=True),
                Cell("-" if needed is None else hours_text(needed), number=True),
                Cell(week.verdict.label, css=f"verdict {week.verdict.value}"),
            ]
        )
        share = week_plan_json(plan, week)["planned_share"]
        data.append(
            (
                ("week", week.week),
                ("share", "" if share is None else repr(share)),
                ("verdict", week.verdict.value),
            )
        )
    return table(
        "Planned hours, free time and what the free time must hold, per week",
        headings,
        rows,
        row_data=data,
        css="weeks",
    )


def _tips(plan: Plan) -> Markup:
    title = "What tips it"
    if not plan.tips:
        return section(title, "No calendar events ahead in this period.", name="tips")
    more = len(plan.tips) - TIPS_SHOWN
    return section(
        title,
        "The recurring series and one-off events that weigh most after now; "
        "'leadtime plan --without TITLE' plans as if one were declined."
        + (f" {more} smaller ones are not listed." if more > 0 else ""),
        tips_table("Series and events ahead by planned time", plan.tips, TIPS_SHOWN, css="tips"),
        name="tips",
    )


def plan_page(plan: Plan) -> str:
    """The HTML plan: a sentence per week, the stacked chart, the table, what tips it."""
    report = plan.report
    sentences = [week_sentence(week, report.target, plan.current) for week in plan.weeks]
    headline = "; ".join(sentences)
    parts = [
        section(
            "The weeks ahead",
            _chart(plan),
            _weeks_table(plan),
            f"Target {target_text(report)} leadership. The needed hands-on time N = (L + F) "
            "- target x (L + H + F) brings a week to the target when the rest of its free "
            "time goes to leadership.",
            *plan_notes(plan),
            name="weeks",
        ),
        _tips(plan),
    ]
    made = plan.now.astimezone(zone(report.timezone)).strftime("%Y-%m-%d %H:%M %Z")
    first = plan.weeks[0].week if plan.weeks else "no weeks"
    last = plan.weeks[-1].week if plan.weeks else first
    span = first if first == last else f"{first}..{last}"
    return document(
        f"leadtime plan {span}",
        meta=f"{report.timezone} · target {target_text(report)} leadership",
        headline=headline[:1].upper() + headline[1:] + "." if headline else "No weeks ahead.",
        parts=parts,
        made=made,
    )
