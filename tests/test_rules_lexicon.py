"""A title read against the keywords themselves (the first titles of a run: a ``log``) is
classified and explained exactly as one read through the full index (an import, a report
after new rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtime.rules import Features, RuleSet, parse_rules_text
from leadtime.rules.schema import _default_file

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parents[1] / "src" / "leadtime" / "rules" / "corpus"


def feat(title: str) -> Features:
    return Features(title, "", "", ("pr",), None, "log", None, 0, 30.0, 2)


def titles() -> list[str]:
    found = [
        line.split("\t")[0]
        for name in ("titles.tsv", "titles_holdout.tsv")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()[::3]
        if line.strip() and not line.startswith("#")
    ]
    for path in sorted(CORPUS.glob("*.tsv")):
        found += [
            line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[1::7]
        ]
    return found


def indexed(rules: RuleSet, every: list[str]) -> RuleSet:
    """``rules`` once its lexicon has read enough titles to have built its index."""
    for title in every[:8]:
        rules.explain(feat(title + " warm-up"))
    return rules


def test_the_first_titles_are_explained_as_the_index_explains_them() -> None:
    every = titles()
    assert len(every) > 300  # the measurement reads real titles
    full = indexed(RuleSet.of(_default_file().rules), every)
    decided = 0
    for title in every:
        fresh = RuleSet.of(_default_file().rules)  # its lexicon has no index yet
        first = fresh.explain(feat(title))
        assert first == full.explain(feat(title)), title
        assert fresh.explain(feat(title)) == first  # read again: from its memo
        decided += first.rule is not None
    assert decided > len(every) // 2  # the rules decide most of them: matches compared


@pytest.mark.parametrize(
    "title", ["Code review", "面接ツールのバグ修正", "Review-Bot implementieren", "1:1 Dana", "..."]
)
def test_your_own_keywords_are_read_alike_without_the_index(title: str) -> None:
    text = '[[rule]]\nname = "mine"\ncategory = "hands-on"\ntitle_words = ["bot", "バグ", "code"]\n'
    user = parse_rules_text(text, origin="rules.toml")
    rules = [*user.rules, *_default_file().rules]
    full = indexed(RuleSet.of(rules), titles())
    assert RuleSet.of(rules).explain(feat(title)) == full.explain(feat(title))
