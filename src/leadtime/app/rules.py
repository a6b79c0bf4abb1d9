"""``leadtime rules explain|coverage``: why an entry got its category, and what is missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.app.periods import Period, window
from leadtime.app.workspace import Workspace
from leadtime.entry import Category, Entry, Origin
from leadtime.errors import InputError, UsageError

if TYPE_CHECKING:
    from leadtime.rules import Explanation
    from leadtime.rules.learned import Guess


@dataclass(frozen=True)
class Explained:
    """The entry explained (None when a bare title was tried), the rules' explanation and,
    when no rule decided, the learned tier's guess (None when the tier is off)."""

    entry: Entry | None
    title: str
    explanation: Explanation
    guess: Guess | None = None
    learning: bool = True  # whether the learned tier is on


def explain(ws: Workspace, target: str) -> Explained:
    """Explain an entry by id (or unique prefix), else ``target`` as a 1-hour logged title."""
    from leadtime.rules import features_of
    from leadtime.store import find_entry

    entry: Entry | None = None
    if len(target) >= 4 and " " not in target:
        try:
            with ws.database.read() as conn:
                entry = find_entry(conn, target)
        except InputError:
            entry = None
    zone = ws.classification_zone
    if entry is None:
        probe = Entry(start=ws.now, end=ws.now, title=target, origin=Origin.LOG)
        features = features_of(probe, zone)._replace(minutes=60.0)
    else:
        features = features_of(entry, zone)
    found = ws.tiers.explain(features)
    return Explained(entry, target, found.explanation, found.guess, ws.learning)


@dataclass(frozen=True)
class Uncovered:
    """An unclassified title, the time it carries, and what the learned tier makes of it."""

    title: str
    minutes: float
    guess: Guess | None


@dataclass(frozen=True)
class Coverage:
    total_minutes: float
    unclassified_minutes: float
    titles: tuple[Uncovered, ...]  # the titles carrying most unclassified time
    distinct: int  # how many distinct unclassified titles there are


def coverage(ws: Workspace, period: Period, top: int) -> Coverage:
    """The unclassified time of the period (default: 4 weeks and the current one)."""
    from leadtime.store import EntryFilter

    start, end = window(ws, period, default=4)
    found = ws.entries(EntryFilter(start, end))
    by_title: dict[str, float] = defaultdict(float)
    for e in found:
        if e.classification.category is Category.UNCLASSIFIED:
            by_title[e.title] += e.minutes
    ranked = sorted(by_title.items(), key=lambda item: (-item[1], item[0]))[:top]
    tiers = ws.tiers
    titles = tuple(Uncovered(t, minutes, tiers.guess(t)) for t, minutes in ranked)
    return Coverage(sum(e.minutes for e in found), sum(by_title.values()), titles, len(by_title))


@dataclass(frozen=True)
class Added:
    """A rule appended to the rules file by ``rules add``."""

    path: Path
    name: str
    text: str  # the rule as written
    created: bool  # the file did not exist before


def add_rule(ws: Workspace, keywords: str, choice: str) -> Added:
    """Append a keyword rule (``title_words``: any form of the words, in any language) for
    ``keywords`` deciding ``choice`` (``CATEGORY[:ACTIVITY]``) to your rules file, keeping
    everything the file holds; create the file when it is missing. The new file is
    validated before it replaces the old one: nothing is written when it is invalid."""
    from leadtime.app.entries import parse_classification
    from leadtime.files import ensure_private_dir, write_file
    from leadtime.rules import parse_rules_text, starter_text
    from leadtime.rules.suggest import rule_text
    from leadtime.rules.text import keyword_tokens

    classification = parse_classification(choice)
    words = " ".join(keywords.split())
    if not keyword_tokens(words):
        raise UsageError(
            f"{keywords!r} has no letters or digits to match",
            hint='leadtime rules add "design crit" leadership:review',
        )
    path = ws.rules_file or ws.paths.rules_file
    created = not path.is_file()
    old = starter_text() if created else path.read_text(encoding="utf-8-sig")
    taken = {r.name for r in parse_rules_text(old, origin=str(path)).rules}
    base = "-".join(keyword_tokens(words))[:40] or "rule"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    rule = rule_text(name, classification.category, classification.activity, words)
    new = old.rstrip("\n") + "\n\n" + rule
    parse_rules_text(new, origin=str(path))  # the whole file must still be valid
    ensure_private_dir(path.parent)
    write_file(path, new, replace=True)
    return Added(path, name, rule, created)


@dataclass(frozen=True)
class FileCheck:
    """A rules file as ``rules check`` found it (a bad one raises, exit 3)."""

    path: Path
    exists: bool
    own: int = 0  # the file's rules
    defaults: int = 0  # the default rules tried after them (0 when they are off)
    use_default_rules: bool = True


def check_file(ws: Workspace, file: Path | None) -> FileCheck:
    """Validate ``file`` (default: the rules file in use) without touching any data."""
    from leadtime.rules import read_rules_file

    path = file or ws.rules_file or ws.paths.rules_file
    if file is None and not path.is_file():
        return FileCheck(path, exists=False)
    parsed = read_rules_file(path)
    ruleset = parsed.ruleset()
    own = len(parsed.rules)
    return FileCheck(path, True, own, len(ruleset.rules) - own, parsed.use_default_rules)


def init_file(ws: Workspace, *, force: bool) -> Path:
    """Write the commented starter rules file; an existing one only with ``force``."""
    from leadtime.files import WriteError, ensure_private_dir, write_file
    from leadtime.rules import starter_text

    path = ws.paths.rules_file
    try:
        ensure_private_dir(path.parent)
        write_file(path, starter_text(), replace=force)
    except WriteError as exc:
        if exc.reason == "exists":
            exc.hint = "edit it, or pass --force to start over"
        raise
    return path
