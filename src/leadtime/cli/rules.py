"""``leadtime rules show|check|init|explain|coverage``: trust, inspect and tune the rules."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from leadtime.app import rules as app
from leadtime.cli.options import (
    console,
    from_option,
    period,
    say,
    to_option,
    week_option,
    weeks_option,
    workspace,
)
from leadtime.text import safe, to_json

if TYPE_CHECKING:
    from leadtime.rules.conditions import Condition

rules_app = typer.Typer(
    help="Show, check, explain and tune the classification rules.\n\n"
    'Examples:\n\n  leadtime rules explain "Prototype the new parser"\n\n'
    "  leadtime rules coverage --weeks 8",
    no_args_is_help=True,
)


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


def _condition_text(condition: Condition) -> str:
    """The condition in words, every keyword quoted (the table shortens long lists)."""
    from leadtime.rules.conditions import KeywordCondition

    if isinstance(condition, KeywordCondition):
        which = "none" if condition.negate else "any"
        keywords = ", ".join(f'"{keyword}"' for keyword in condition.keywords)
        return f"{condition.label} has {which} of {keywords}"
    return condition.summary()


@rules_app.command("show")
def show(
    ctx: typer.Context,
    fmt: ShowFormat = typer.Option(ShowFormat.table, "--format", "-f", help="table or json."),
) -> None:
    """The effective rules in the order they are tried, with where each comes from.

    Examples:

      leadtime rules show

      leadtime rules show --format json
    """
    from rich.table import Table

    ruleset = workspace(ctx, refresh=False).rules
    if fmt is ShowFormat.json:
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
        say(to_json(rules, indent=2))
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
    out.print(f"{len(ruleset.rules)} rules; fingerprint {ruleset.fingerprint}")


@rules_app.command("check")
def check(
    ctx: typer.Context,
    file: Path | None = typer.Argument(
        None, metavar="[FILE]", help="A rules file (default: your rules.toml)."
    ),
) -> None:
    """Validate a rules file without touching any data (exit 3 when it is bad).

    Example:

      leadtime rules check ~/.config/leadtime/rules.toml
    """
    from leadtime.rules import read_rules_file

    ws = workspace(ctx, refresh=False)
    path = file or ws.rules_file or ws.paths.rules_file
    if file is None and not path.is_file():
        say(f"no rules file at {path}: the default rules apply")
        return
    parsed = read_rules_file(path)
    ruleset = parsed.ruleset()
    own = len(parsed.rules)
    say(
        f"{path}: ok, {own} rules of yours, {len(ruleset.rules) - own} default rules after them"
        if parsed.use_default_rules
        else f"{path}: ok, {own} rules (the default rules are off)"
    )


@rules_app.command("init")
def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing rules file."),
) -> None:
    """Write a commented starter rules.toml into the config directory.

    Example:

      leadtime rules init
    """
    from leadtime.files import WriteError, ensure_private_dir, write_file
    from leadtime.rules import starter_text

    ws = workspace(ctx, refresh=False)
    path = ws.paths.rules_file
    try:
        ensure_private_dir(path.parent)
        write_file(path, starter_text(), replace=force)
    except WriteError as exc:
        if exc.reason == "exists":
            exc.hint = "edit it, or pass --force to start over"
        raise
    say(f"wrote {path}; 'leadtime rules check' validates your edits")


@rules_app.command("explain")
def explain(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="ID|TEXT", help="An entry id, or a title to try."),
) -> None:
    """Which rule decides an entry (or a title), why it matched, and what was tried before it.

    Examples:

      leadtime rules explain 97gr

      leadtime rules explain "Prototype the new parser"
    """
    ws = workspace(ctx)
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
    if explanation.rule is None:
        lines.append("no rule matched: unclassified")
        lines.append("hint: 'leadtime rules coverage' suggests rules to paste")
    else:
        c = explanation.classification
        label = c.category.value + (f":{c.activity}" if c.activity else "")
        lines.append(f"decided by {explanation.rule.where}: {label}")
        lines += [f"  because {reason}" for reason in explanation.matched]
    for line in lines:
        say(safe(line))


@rules_app.command("coverage")
def coverage(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    top: int = typer.Option(10, "--top", metavar="N", min=1, help="How many titles to show."),
) -> None:
    """The unclassified share and the titles carrying most of it, with rules to paste.

    Example:

      leadtime rules coverage --weeks 8
    """
    from leadtime.rules import suggest_rule
    from leadtime.units import format_duration

    ws = workspace(ctx)
    found = app.coverage(ws, period(week, weeks, from_, to), top)
    if not found.total_minutes:
        say("no entries in this period")
        return
    share = found.unclassified_minutes / found.total_minutes
    say(
        f"unclassified: {format_duration(found.unclassified_minutes)} of "
        f"{format_duration(found.total_minutes)} ({share:.1%}) in {found.distinct} distinct titles"
    )
    for title, minutes in found.titles:
        say(safe(f"\n{format_duration(minutes):>7}  {title}"))
        say(safe(suggest_rule(title, minutes)).rstrip("\n") + "\n")


def register(cli: typer.Typer) -> None:
    cli.add_typer(rules_app, name="rules", rich_help_panel="Setup")
