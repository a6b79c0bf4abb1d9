"""Properties of classification, checked against a small reference evaluator.

The reference splits text into words and separators and compares word lists; it shares no
code with the engine, which compiles keywords into one regular expression.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from leadtime.entry import Category
from leadtime.rules import Features, default_rules, parse_rules_text, suggest_rule
from leadtime.rules.conditions import (
    ChoiceCondition,
    KeywordCondition,
    RegexCondition,
    TagCondition,
)

CATEGORIES = set(Category)
VOCABULARY = ["review", "pr", "sync", "bug", "fix", "lunch", "1on1", "rfc", "spike", "plan", "1:1"]
NOISE = ["reviewer", "prd", "synced", "debug", "x", "42", "the", "1", "2", "1.1", "onboarding"]
SEPARATORS = [" ", "-", ":", "_", "/", ". ", "  ", " - ", "(", ")", ".", ", "]
NUMBER_JOINERS = (":", "-")  # what may join two numbers of a keyword
CONTINUERS = ".,:/-"  # punctuation that continues a number ("2.1.1", "1-1-2025")


def split(text: str) -> tuple[list[str], list[str]]:
    """Words and the separators around them: ``seps[i]`` precedes ``words[i]``, and
    ``seps[len(words)]`` follows the last word."""
    words: list[str] = []
    seps: list[str] = [""]
    for ch in text:
        if ch.isalnum():
            if len(words) < len(seps):  # a word starts
                words.append("")
            words[-1] += ch.lower()
        else:
            if len(seps) == len(words):  # a word just ended
                seps.append("")
            seps[-1] += ch
    if len(seps) == len(words):
        seps.append("")
    return words, seps


def has_keyword(text: str, keyword: str) -> bool:
    words, seps = split(text)
    wanted, _ = split(keyword)
    n = len(wanted)
    for i in range(len(words) - n + 1):
        if words[i : i + n] != wanted:
            continue
        joins = range(1, n)
        if any(
            wanted[j - 1][-1].isdigit() and wanted[j][0].isdigit()
            and seps[i + j] not in NUMBER_JOINERS
            for j in joins
        ):  # fmt: skip
            continue
        before, after = seps[i], seps[i + n]
        if wanted[0][0].isdigit() and (
            before.endswith("(")
            or (len(before) == 1 and before in CONTINUERS and i > 0 and words[i - 1][-1].isdigit())
        ):
            continue
        if wanted[-1][-1].isdigit() and (
            after.startswith(")")
            or (len(after) == 1 and after in CONTINUERS and i + n < len(words)
                and words[i + n][0].isdigit())
        ):  # fmt: skip
            continue
        return True
    return False


words = st.sampled_from(VOCABULARY + NOISE).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.capitalize()])
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    """ASCII titles made of known words, noise words and separators."""
    parts = draw(st.lists(words, max_size=5))
    out = ""
    for i, part in enumerate(parts):
        out += (draw(st.sampled_from(SEPARATORS)) if i else "") + part
    return out


def features(title: st.SearchStrategy[str]) -> st.SearchStrategy[Features]:
    return st.builds(
        Features,
        title=title,
        note=st.text(max_size=10),
        location=st.text(max_size=10),
        tags=st.lists(st.sampled_from(["deep", "Review", "x", "Merge-Review"]), max_size=2).map(
            tuple
        ),
        calendar=st.none() | st.sampled_from(["Work", "Home"]),
        origin=st.sampled_from(["log", "timer", "ics", "git"]),
        organizer=st.none() | st.just("a@example.com"),
        attendees=st.integers(0, 8),
        minutes=st.floats(0, 600, allow_nan=False),
        weekday=st.integers(0, 6),
    )


@dataclass(frozen=True)
class SimpleRule:
    """One keyword (maybe negated) and maybe a minimum number of attendees."""

    name: str
    category: str
    keyword: str
    negate: bool
    min_attendees: int | None

    def toml(self) -> str:
        key = "not_title" if self.negate else "title"
        text = f'[[rule]]\nname = "{self.name}"\ncategory = "{self.category}"\n'
        text += f'{key} = ["{self.keyword}"]\n'
        if self.min_attendees is not None:
            text += f'attendees = ">= {self.min_attendees}"\n'
        return text

    def holds(self, f: Features) -> bool:
        found = has_keyword(f.title, self.keyword)
        if found == self.negate:
            return False
        return self.min_attendees is None or operator.ge(f.attendees, self.min_attendees)


@st.composite
def simple_rules(draw: st.DrawFn) -> list[SimpleRule]:
    count = draw(st.integers(1, 6))
    return [
        SimpleRule(
            name=f"r{i}",
            category=draw(st.sampled_from(["leadership", "hands-on", "other"])),
            keyword=draw(st.sampled_from(VOCABULARY)),
            negate=draw(st.booleans()),
            min_attendees=draw(st.none() | st.integers(0, 5)),
        )
        for i in range(count)
    ]


def reference(rules: list[SimpleRule], f: Features) -> tuple[str, str | None]:
    for rule in rules:
        if rule.holds(f):
            return rule.category, rule.name
    return "unclassified", None


@settings(max_examples=150, deadline=None)
@given(rules=simple_rules(), fs=st.lists(features(titles()), max_size=15))
def test_decision_is_that_of_the_first_rule_whose_conditions_hold(
    rules: list[SimpleRule], fs: list[Features]
) -> None:
    text = "use_default_rules = false\n" + "".join(r.toml() for r in rules)
    ruleset = parse_rules_text(text, origin="rules.toml").ruleset()
    got = ruleset.classify_many(fs)
    assert [(str(c.category), c.decided_by) for c in got] == [reference(rules, f) for f in fs]


DEFAULT_WORDS = sorted(
    {
        k
        for r in default_rules().rules
        for c in r.conditions
        if isinstance(c, KeywordCondition)
        for k in c.keywords
        if k.isascii()
    }
)


@st.composite
def default_titles(draw: st.DrawFn) -> str:
    """Titles made of the default rules' own keywords, numbers, ticket keys and noise."""
    vocabulary = st.sampled_from(DEFAULT_WORDS + NOISE + ["Canceled:", "PROJ-12", "Ana <> Bo"])
    parts = draw(st.lists(vocabulary, max_size=4))
    return "".join(draw(st.sampled_from(SEPARATORS)) + p for p in parts)


def reference_default(f: Features) -> str | None:
    """The name of the first default rule whose conditions hold, evaluated independently."""
    for rule in default_rules().rules:
        holds = True
        for c in rule.conditions:
            assert c.field in ("title", "tags", "origin")
            if isinstance(c, ChoiceCondition):
                positive = f.origin in c.choices
            elif isinstance(c, TagCondition):
                positive = any(t.lower() in c.tags for t in f.tags)
            elif isinstance(c, KeywordCondition):
                positive = any(has_keyword(f.title, k) for k in c.keywords)
            else:
                assert isinstance(c, RegexCondition)
                source, flags = c.source, re.IGNORECASE
                if source.startswith("(?-i)"):
                    source, flags = source[len("(?-i)") :], 0
                positive = re.search(source, f.title, flags) is not None
            holds = holds and positive != c.negate
        if holds:
            return rule.name
    return None


@settings(max_examples=300, deadline=None)
@given(fs=st.lists(features(default_titles()), max_size=10))
def test_default_rules_decide_as_the_reference_evaluation(fs: list[Features]) -> None:
    got = default_rules().classify_many(fs)
    assert [c.decided_by for c in got] == [reference_default(f) for f in fs]


@settings(max_examples=200, deadline=None)
@given(fs=st.lists(features(titles() | st.text(max_size=30)), max_size=20))
def test_every_entry_gets_exactly_one_of_the_four_categories(fs: list[Features]) -> None:
    rules = default_rules()
    many = rules.classify_many(fs)
    for f, c in zip(fs, many, strict=True):
        assert c.category in CATEGORIES
        assert (c.decided_by is None) == (c.category == Category.UNCLASSIFIED)
        explained = rules.explain(f)
        assert explained.classification == c
        if c.decided_by is not None:
            assert explained.rule is not None
            assert explained.rule.name == c.decided_by
            assert [m.rule.name for m in explained.tried] == [
                r.name for r in rules.rules[: rules.rules.index(explained.rule)]
            ]
        else:
            assert len(explained.tried) == len(rules.rules)


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=40), minutes=st.floats(0, 10_000, allow_nan=False))
def test_a_suggested_rule_matches_the_title_it_was_made_from(title: str, minutes: float) -> None:
    text = suggest_rule(title, minutes, category=Category.OTHER)
    rules = parse_rules_text("use_default_rules = false\n" + text, origin="r").ruleset()
    f = Features(title, "", "", (), None, "ics", None, 0, minutes, 0)
    assert rules.classify(f).decided_by == rules.rules[0].name
