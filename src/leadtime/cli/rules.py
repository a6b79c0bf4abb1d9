"""``leadtime rules show|check|init|explain|coverage``: trust, inspect and tune the rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.app.workspace import Workspace
from leadtime.cli.out import say
from leadtime.text import safe

if TYPE_CHECKING:
    from leadtime.rules.conditions import Condition


def learned_threshold() -> float:
    from leadtime.rules.learned import THRESHOLD

    return THRESHOLD


def _condition_text(condition: Condition) -> str:
    """The condition in words, every keyword quoted (the table shortens long lists)."""
    from leadtime.rules.conditions import KeywordCondition

    if isinstance(condition, KeywordCondition):
        which = "none" if condition.negate else "any"
        keywords = ", ".join(f'"{keyword}"' for keyword in condition.keywords)
        return f"{condition.label} has {which} of {keywords}"
    return condition.summary()


def show(ws: Workspace, *, format: str) -> None:
    from rich.table import Table

    from leadtime.render.console import console

    ruleset = ws.rules
    learned = (
        f"on: guesses what no rule decides, abstaining below {learned_threshold():.0%} confidence"
        if ws.learning
        else "off (learned = off)"
    )
    if format == "json":
        from leadtime.jsonout import dumps

        rules = [
            {
                "position": position,
                "name": rule.name,
                "category": rule.category.value,
                "activity": rule.activity,
                "conditions": [_condition_text(c) for c in rule.conditions],
                "origin": rule.origin,
                "index": rule.index,
            }
            for position, rule in enumerate(ruleset.rules, 1)
        ]
        rules.append(
            {
                "position": len(rules) + 1,
                "name": "learned",
                "category": None,
                "activity": None,
                "conditions": [
                    "no rule decided",
                    f"the learned tier is confident (>= {learned_threshold():.2f})",
                ],
                "origin": "learned",
                "index": None,
                "on": ws.learning,
            }
        )
        say(dumps(rules))
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("#", "rule", "decides", "when", "from"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for position, rule in enumerate(ruleset.rules, 1):
        decides = rule.category.value + (f":{rule.activity}" if rule.activity else "")
        table.add_row(
            str(position),
            safe(rule.name),
            safe(decides),
            safe("\n".join(rule.describe())),
            safe(rule.where),
        )
    out = console()
    out.print(table)
    if ruleset.replaced_defaults:
        out.print(f"your rules replace the defaults: {', '.join(ruleset.replaced_defaults)}")
    out.print(f"then the learned tier: {learned}")
    out.print(f"{len(ruleset.rules)} rules; fingerprint {ruleset.fingerprint}")


def check(ws: Workspace, *, file: Path | None) -> None:
    from leadtime.app.rules import check_file

    found = check_file(ws, file)
    if not found.exists:
        say(f"no rules file at {found.path}: the default rules apply")
    elif found.use_default_rules:
        say(
            f"{found.path}: ok, {found.own} rules of yours, {found.defaults} default rules "
            "after them"
        )
    else:
        say(f"{found.path}: ok, {found.own} rules (the default rules are off)")


def init(ws: Workspace, *, force: bool) -> None:
    from leadtime.app.rules import init_file

    path = init_file(ws, force=force)
    say(f"wrote {path}; 'leadtime rules check' validates your edits")


def explain(ws: Workspace, *, target: str) -> None:
    from leadtime.app import rules as app

    found = app.explain(ws, target)
    entry = found.entry
    lines = []
    if entry is None:
        lines.append(f"title: {target!r} (as a 1-hour logged entry)")
    else:
        lines.append(f"{entry.id}: {entry.title!r} ({entry.origin.value})")
        if entry.excluded:
            lines.append(f"not counted: {entry.excluded.value}")
        if entry.classification.manual:
            c = entry.classification
            label = c.category.value + (f":{c.activity}" if c.activity else "")
            lines.append(f"decided by you: {label} (a manual choice beats every rule)")
            lines.append("the rules alone would say:")
    explanation = found.explanation
    lines += [f"  tried {miss.rule.where}: {miss.failed}" for miss in explanation.tried]
    guess = found.guess
    if explanation.rule is None and guess is not None and not guess.abstained:
        lines.append(f"no rule matched; decided by the learned tier: {guess.describe()}")
    elif explanation.rule is None:
        if guess is not None:
            lines.append(
                f"no rule matched; the learned tier abstains ({guess.describe()}, below "
                f"{learned_threshold():.2f}): unclassified"
            )
        elif not found.learning:
            lines.append("no rule matched (the learned tier is off): unclassified")
        else:
            lines.append("no rule matched: unclassified")
        lines.append("hint: 'leadtime rules coverage' suggests rules to paste")
    else:
        c = explanation.classification
        label = c.category.value + (f":{c.activity}" if c.activity else "")
        lines.append(f"decided by {explanation.rule.where}: {label}")
        lines += [f"  because {reason}" for reason in explanation.matched]
    for line in lines:
        say(safe(line))


def coverage(
    ws: Workspace,
    *,
    week: str | None,
    weeks: int | None,
    from_: str | None,
    to: str | None,
    top: int,
) -> None:
    from leadtime.app import rules as app
    from leadtime.app.periods import Period
    from leadtime.rules import suggest_rule
    from leadtime.units import format_duration

    found = app.coverage(ws, Period(week, weeks, from_, to), top)
    if not found.total_minutes:
        say("no entries in this period")
        return
    share = found.unclassified_minutes / found.total_minutes
    say(
        f"unclassified: {format_duration(found.unclassified_minutes)} of "
        f"{format_duration(found.total_minutes)} ({share:.1%}) in {found.distinct} distinct titles"
    )
    for item in found.titles:
        say(safe(f"\n{format_duration(item.minutes):>7}  {item.title}"))
        guess = item.guess
        if guess is not None and guess.category.value != "unclassified":
            below = f"abstains below {learned_threshold():.2f}"
            say(safe(f"         learned guess: {guess.describe()} ({below})"))
            snippet = suggest_rule(
                item.title, item.minutes, category=guess.category, activity=guess.activity,
                why=f"the learned guess, {guess.confidence:.2f}",
            )  # fmt: skip
        else:
            snippet = suggest_rule(item.title, item.minutes)
        say(safe(snippet).rstrip("\n") + "\n")


def add(ws: Workspace, *, words: str, category: str) -> None:
    from leadtime.app import rules as app

    added = app.add_rule(ws, words, category)
    verb = "created" if added.created else "added to"
    say(safe(f"{verb} {added.path}:\n\n{added.text}"))
    say("it applies from the next command; 'leadtime rules explain \"TITLE\"' shows it at work")
