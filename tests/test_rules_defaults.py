"""The shipped default rules classify the everyday vocabulary of an engineering lead."""

from __future__ import annotations

import pytest

from leadtime.entry import Category
from leadtime.rules import Features, default_rules

L, H, OT, U = Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER, Category.UNCLASSIFIED


def feat(title: str) -> Features:
    return Features(title, "", "", (), None, "log", None, 0, 30.0, 2)


CASES = [
    # title, category, activity, deciding rule
    ("Code review: payments service", L, "review", "code-review"),
    ("Review bugfix PR", L, "review", "code-review"),
    ("Review PR #4411", L, "review", "code-review"),
    ("Pull-request review for Ana", L, "review", "code-review"),
    ("MR !231 auth cleanup", L, "review", "code-review"),
    ("Quarterly business review", L, "review", "review"),
    ("RFC-0042: event bus", L, "rfc", "rfc-and-design"),
    ("Design review: search indexing", L, "rfc", "rfc-and-design"),
    ("Architecture review board", L, "rfc", "rfc-and-design"),
    ("Write ADR for queue choice", L, "rfc", "rfc-and-design"),
    ("Cross-team sync with Payments", L, "alignment", "alignment"),
    ("Q3 roadmap alignment", L, "alignment", "alignment"),
    ("Stakeholder check-in", L, "alignment", "alignment"),
    ("Roadmap sync", L, "alignment", "alignment"),
    ("Mentoring session with Priya", L, "mentoring", "mentoring"),
    ("Coaching: new team lead", L, "mentoring", "mentoring"),
    ("1:1 Sam", L, "1:1", "one-on-one"),
    ("Sam / Alex 1-1", L, "1:1", "one-on-one"),
    ("One-on-one with Jo", L, "1:1", "one-on-one"),
    ("Skip-level with Dana", L, "1:1", "one-on-one"),
    ("Performance review: Kim", L, "people", "people"),
    ("Sprint planning", L, "planning", "planning"),
    ("Backlog refinement", L, "planning", "planning"),
    ("Team retro", L, "planning", "planning"),
    ("Sprint review", L, "planning", "planning"),
    ("Daily standup", L, "standup", "standup"),
    ("Interview: backend candidate", L, "hiring", "hiring"),
    ("Interview debrief", L, "hiring", "hiring"),
    ("Hiring committee", L, "hiring", "hiring"),
    ("Postmortem of the payments outage", L, "incident review", "incident-review"),
    ("Incident review: INC-88", L, "incident review", "incident-review"),
    ("Fix flaky test", H, "bugfix", "bugfix"),
    ("Bugfix: null pointer in exporter", H, "bugfix", "bugfix"),
    ("Fix sync bug", H, "bugfix", "bugfix"),
    ("Debugging memory leak", H, "debugging", "debugging"),
    ("On-call handover", H, "on-call", "on-call"),
    ("Spike: evaluate DuckDB", H, "spike", "spike"),
    ("Prototype search ranking", H, "spike", "spike"),
    ("Pairing with Sam on the parser", H, "pairing", "pairing"),
    ("Focus time", H, "coding", "coding"),
    ("Refactor billing module", H, "coding", "implementation"),
    ("Address review comments on #812", H, "coding", "review-follow-up"),
    ("Lunch", OT, "break", "break"),
    ("Team lunch with Product", OT, "break", "break"),
    ("OOO - dentist", OT, "time off", "time-off"),
    ("Vacation", OT, "time off", "time-off"),
    ("Urlaub", OT, "time off", "time-off"),
    ("All-hands", OT, "company event", "company-event"),
    ("Summer party", OT, "company event", "company-event"),
]


@pytest.mark.parametrize(("title", "category", "activity", "rule"), CASES)
def test_default_rules_classify_common_titles(
    title: str, category: Category, activity: str, rule: str
) -> None:
    got = default_rules().classify(feat(title))
    assert (got.category, got.activity, got.decided_by) == (category, activity, rule)


@pytest.mark.parametrize(
    "title",
    [
        "Weekly meeting",
        "PRD walkthrough",  # "PR" is a whole word: not in "PRD"
        "Talk to the reviewer",  # "review" is not in "reviewer"
        "",
    ],
)
def test_titles_without_a_known_word_stay_unclassified(title: str) -> None:
    got = default_rules().classify(feat(title))
    assert (got.category, got.activity, got.decided_by) == (U, None, None)


def test_default_rules_read_only_the_title_the_tags_and_the_source() -> None:
    # Keeps the memo effective: realistic histories repeat titles (the source and the tags
    # only tell git sessions, and merges of other people's work among them, apart).
    assert default_rules().fields == ("title", "tags", "origin")


def test_default_rule_names_are_unique_and_origin_is_default() -> None:
    rules = default_rules().rules
    assert len({r.name for r in rules}) == len(rules)
    assert {r.origin for r in rules} == {"default"}
    assert [r.index for r in rules] == list(range(1, len(rules) + 1))
