"""``leadtime rules show|check|init|explain|coverage``: trust, inspect and tune the rules."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import typer

from leadtime.cli.common import (
    console,
    from_option,
    get_state,
    period_filter,
    to_option,
    week_option,
    weeks_option,
)
from leadtime.errors import InputError

rules_app = typer.Typer(
    help="Show, check, explain and tune the classification rules.", no_args_is_help=True
)


@rules_app.command("show")
def show(ctx: typer.Context) -> None:
    """The effective rules in the order they are tried, with where each comes from."""
    from rich.table import Table

    state = get_state(ctx)
    ruleset = state.rules
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("#", "rule", "decides", "when", "from"):
        table.add_column(column, justify="right" if column == "#" else "left")
    for position, rule in enumerate(ruleset.rules, 1):
        decides = rule.category.value + (f":{rule.activity}" if rule.activity else "")
        table.add_row(str(position), rule.name, decides, "\n".join(rule.describe()), rule.where)
    out = console()
    out.print(table)
    if ruleset.replaced_defaults:
        out.print(
            f"your rules replace the defaults: {', '.join(ruleset.replaced_defaults)}",
            highlight=False,
        )
    out.print(f"{len(ruleset.rules)} rules; fingerprint {ruleset.fingerprint}", highlight=False)


@rules_app.command("check")
def check(
    ctx: typer.Context,
    file: Path | None = typer.Argument(None, help="A rules file (default: your rules.toml)."),
) -> None:
    """Validate a rules file without touching any data (exit 3 when it is bad)."""
    from leadtime.rules import read_rules_file

    state = get_state(ctx)
    path = file or state.rules_file or state.paths.rules_file
    if file is None and not path.is_file():
        console().print(f"no rules file at {path}: the default rules apply", highlight=False)
        return
    parsed = read_rules_file(path)
    ruleset = parsed.ruleset()
    own = len(parsed.rules)
    console().print(
        f"{path}: ok, {own} rules of yours, {len(ruleset.rules) - own} default rules after them"
        if parsed.use_default_rules
        else f"{path}: ok, {own} rules (the default rules are off)",
        highlight=False,
    )


@rules_app.command("init")
def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing rules file."),
) -> None:
    """Write a commented starter rules.toml into the config directory."""
    from leadtime.config import write_private_file
    from leadtime.rules import starter_text

    state = get_state(ctx)
    path = state.paths.rules_file
    if path.exists() and not force:
        raise InputError(f"{path} already exists", hint="edit it, or pass --force to start over")
    write_private_file(path, starter_text())
    console().print(f"wrote {path}; 'leadtime rules check' validates your edits", highlight=False)


@rules_app.command("explain")
def explain(
    ctx: typer.Context,
    target: str = typer.Argument(..., metavar="ID|TEXT", help="An entry id, or a title to try."),
) -> None:
    """Which rule decides an entry (or a title), why it matched, and what was tried before it."""
    from leadtime.entry import Entry, Origin
    from leadtime.errors import InputError as NotFound
    from leadtime.rules import features_of
    from leadtime.store.queries import find_entry

    state = get_state(ctx)
    entry: Entry | None = None
    if len(target) >= 4 and " " not in target:
        try:
            with state.database.read() as conn:
                entry = find_entry(conn, target)
        except NotFound:
            entry = None
    out = console()
    if entry is None:
        features = features_of(
            Entry(start=state.now, end=state.now, title=target, origin=Origin.LOG), state.tz
        )._replace(minutes=60.0)
        out.print(f"title: {target!r} (as a 1-hour logged entry)", highlight=False)
    else:
        features = features_of(entry, state.tz)
        out.print(f"{entry.id}: {entry.title!r} ({entry.origin.value})", highlight=False)
        if entry.excluded:
            out.print(f"not counted: {entry.excluded.value}", highlight=False)
        if entry.classification.manual:
            c = entry.classification
            label = c.category.value + (f":{c.activity}" if c.activity else "")
            out.print(
                f"decided by you: {label} (a manual choice beats every rule)", highlight=False
            )
            out.print("the rules alone would say:", highlight=False)
    explanation = state.rules.explain(features)
    for miss in explanation.tried:
        out.print(f"  tried {miss.rule.where}: {miss.failed}", highlight=False)
    if explanation.rule is None:
        out.print("no rule matched: unclassified", highlight=False)
        out.print("hint: 'leadtime rules coverage' suggests rules to paste", highlight=False)
        return
    rule = explanation.rule
    c = explanation.classification
    label = c.category.value + (f":{c.activity}" if c.activity else "")
    out.print(f"decided by {rule.where}: {label}", highlight=False)
    for reason in explanation.matched:
        out.print(f"  because {reason}", highlight=False)


@rules_app.command("coverage")
def coverage(
    ctx: typer.Context,
    week: str | None = week_option(),
    weeks: int | None = weeks_option(),
    from_: str | None = from_option(),
    to: str | None = to_option(),
    top: int = typer.Option(10, "--top", min=1, help="How many titles to show."),
) -> None:
    """The unclassified share and the titles carrying most of it, with rules to paste."""

    from leadtime.rules import suggest_rule
    from leadtime.store.queries import list_entries
    from leadtime.units import format_duration

    state = get_state(ctx)
    where = period_filter(state, week, weeks, from_, to, default=4)
    with state.database.read() as conn:
        found = list_entries(conn, where)
    total = sum(e.minutes for e in found)
    by_title: dict[str, float] = defaultdict(float)
    for e in found:
        if e.classification.category.value == "unclassified":
            by_title[e.title] += e.minutes
    unclassified = sum(by_title.values())
    out = console()
    if not total:
        out.print("no entries in this period")
        return
    share = unclassified / total
    out.print(
        f"unclassified: {format_duration(unclassified)} of {format_duration(total)} "
        f"({share:.1%}) in {len(by_title)} distinct titles",
        highlight=False,
    )
    ranked = sorted(by_title.items(), key=lambda item: (-item[1], item[0]))[:top]
    for title, minutes in ranked:
        out.print(f"\n{format_duration(minutes):>7}  {title}", highlight=False)
        out.print(suggest_rule(title, minutes), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules", rich_help_panel="Setup")
