"""Each condition type, negation, whole-word edges, rule order and the rule-file merge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leadtime.entry import UNCLASSIFIED, Category
from leadtime.rules import Features, RuleSet, load_rules, parse_rules_text


def feat(title: str = "", **changes: Any) -> Features:
    base = Features(
        title=title,
        note="",
        location="",
        tags=(),
        calendar=None,
        origin="log",
        organizer=None,
        attendees=0,
        minutes=30.0,
        weekday=2,
    )
    return base._replace(**changes)


def only(body: str) -> RuleSet:
    """A rule set of one rule called "r" (category hands-on), no defaults."""
    text = f'use_default_rules = false\n[[rule]]\nname = "r"\ncategory = "hands-on"\n{body}\n'
    return parse_rules_text(text, origin="rules.toml").ruleset()


def hit(rules: RuleSet, f: Features) -> bool:
    decided = rules.classify(f).decided_by
    assert decided in (None, "r")
    return decided == "r"


# -- whole-word keywords --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keywords", "title", "expected"),
    [
        ('["pr"]', "PR 12", True),
        ('["pr"]', "Review my-pr today", True),
        ('["pr"]', "pr_42", True),  # underscore separates words
        ('["pr"]', "PRD walkthrough", False),
        ('["pr"]', "Review PRs", False),  # plurals must be listed
        ('["pr"]', "sprint", False),
        ('["pull request"]', "Pull-Request cleanup", True),
        ('["pull request"]', "pull_request", True),
        ('["pull request"]', "PULL   REQUEST", True),
        ('["pull request"]', "pullrequest", False),
        ('["pull request"]', "pull the request", False),
        ('["1:1"]', "1:1 with Sam", True),
        ('["1:1"]', "Sam 1-1", True),
        ('["1:1"]', "weekly 1:1s", False),
        ('["1:1"]', "11:15 standup", False),
        ('["review"]', "Reviewer sync", False),
        ('["review"]', "(review)", True),
        ('["congé"]', "CONGÉ annuel", True),
        ('"review"', "Code review", True),  # a single string is a list of one
        ('["zzz", "review"]', "Code review", True),  # any of the list
    ],
)
def test_keywords_match_whole_words_in_any_case(keywords: str, title: str, expected: bool) -> None:
    assert hit(only(f"title = {keywords}"), feat(title)) is expected


def test_not_title_holds_when_none_of_the_words_appear() -> None:
    rules = only('title = ["sync"]\nnot_title = ["cancelled", "moved"]')
    assert hit(rules, feat("Platform sync"))
    assert not hit(rules, feat("Cancelled: platform sync"))
    assert not hit(rules, feat("Platform sync (moved)"))


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("description", "note", "Agenda: review the RFC"),
        ("location", "location", "Room RFC / 3rd floor"),
        ("calendar", "calendar", "Team RFC calendar"),
        ("organizer", "organizer", "rfc@example.com"),
    ],
)
def test_every_text_field_can_be_tested(key: str, field: str, value: str) -> None:
    rules = only(f'{key} = ["rfc"]')
    assert hit(rules, feat("Meeting", **{field: value}))
    assert not hit(rules, feat("Meeting RFC"))  # the title is not that field
    negated = only(f'not_{key} = ["rfc"]')
    assert not hit(negated, feat("Meeting", **{field: value}))
    assert hit(negated, feat("Meeting"))


def test_missing_calendar_and_organizer_match_no_keyword() -> None:
    assert not hit(only('calendar = ["work"]'), feat("x", calendar=None))
    assert hit(only('not_calendar = ["work"]'), feat("x", calendar=None))
    assert not hit(only('organizer = ["example"]'), feat("x", organizer=None))


def test_organizer_matches_an_address_or_its_domain() -> None:
    assert hit(only('organizer = ["alice@example.com"]'), feat(organizer="alice@example.com"))
    assert hit(only('organizer = ["example.com"]'), feat(organizer="bob@example.com"))
    assert not hit(only('organizer = ["example.com"]'), feat(organizer="bob@example.co"))


# -- regular expressions ---------------------------------------------------------------------


def test_regex_is_a_case_insensitive_search() -> None:
    rules = only('title_regex = "^inc-\\\\d+"')
    assert hit(rules, feat("INC-1234 failover"))
    assert not hit(rules, feat("Re: INC-1234"))  # anchored at the start
    assert hit(only('title_regex = "re(view|factor)"'), feat("prereviewing"))  # not whole-word


def test_not_regex_and_regex_on_other_fields() -> None:
    rules = only('title = ["sync"]\nnot_title_regex = "^\\\\[(wip|draft)\\\\]"')
    assert hit(rules, feat("Platform sync"))
    assert not hit(rules, feat("[WIP] platform sync"))
    assert hit(only('description_regex = "zoom\\\\.us/j/"'), feat(note="https://zoom.us/j/123"))
    assert hit(only('organizer_regex = "@corp\\\\."'), feat(organizer="x@corp.example"))
    assert not hit(only('calendar_regex = "."'), feat(calendar=None))


# -- tags, source, weekday -------------------------------------------------------------------


def test_tags_any_of_case_insensitive_exact() -> None:
    rules = only('tags = ["deep", "focus"]')
    assert hit(rules, feat(tags=("misc", "Deep")))
    assert not hit(rules, feat(tags=("deeper",)))
    assert not hit(rules, feat(tags=()))
    negated = only('title = ["x"]\nnot_tags = ["meeting"]')
    assert hit(negated, feat("x", tags=("deep",)))
    assert not hit(negated, feat("x", tags=("MEETING",)))


def test_source_single_value_list_and_negation() -> None:
    assert hit(only('source = "ics"'), feat(origin="ics"))
    assert not hit(only('source = "ics"'), feat(origin="log"))
    assert hit(only('source = ["log", "timer"]'), feat(origin="timer"))
    assert not hit(only('not_source = ["log", "timer"]'), feat(origin="timer"))
    assert hit(only('not_source = ["log", "timer"]'), feat(origin="ics"))


@pytest.mark.parametrize(
    ("value", "weekday", "expected"),
    [
        ('["mon", "fri"]', 0, True),
        ('["mon", "fri"]', 4, True),
        ('["mon", "fri"]', 2, False),
        ('"Sunday"', 6, True),
        ('["SAT"]', 6, False),
    ],
)
def test_weekday(value: str, weekday: int, expected: bool) -> None:
    assert hit(only(f"weekday = {value}"), feat(weekday=weekday)) is expected
    assert hit(only(f"not_weekday = {value}"), feat(weekday=weekday)) is not expected


# -- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "attendees", "expected"),
    [
        ('">= 2"', 1, False),
        ('">= 2"', 2, True),
        ('">= 2"', 3, True),
        ('"> 2"', 2, False),
        ('"< 2"', 1, True),
        ('"<= 2"', 2, True),
        ('"== 1"', 1, True),
        ('"== 1"', 0, False),
        ('"= 1"', 1, True),
        ('"!= 0"', 0, False),
        ('"!= 0"', 4, True),
        ('"2..5"', 1, False),
        ('"2..5"', 2, True),
        ('"2 .. 5"', 5, True),
        ('"2..5"', 6, False),
        ("2", 2, True),  # a bare number means ==
        ("2", 3, False),
        ('"3"', 3, True),
    ],
)
def test_attendees_comparisons(value: str, attendees: int, expected: bool) -> None:
    assert hit(only(f"attendees = {value}"), feat(attendees=attendees)) is expected
    assert hit(only(f"not_attendees = {value}"), feat(attendees=attendees)) is not expected


@pytest.mark.parametrize(
    ("value", "minutes", "expected"),
    [
        ('"< 30m"', 29.5, True),
        ('"< 30m"', 30.0, False),
        ('"<30min"', 29.0, True),
        ('">= 1h"', 60.0, True),
        ('">= 1h"', 59.0, False),
        ('"== 1h30m"', 90.0, True),
        ('"== 1h30"', 90.0, True),
        ('"> 1.5h"', 91.0, True),
        ('"> 1.5h"', 90.0, False),
        ('"<= 90"', 90.0, True),  # plain minutes
        ('"15m..45m"', 15.0, True),
        ('"15m..45m"', 45.0, True),
        ('"15m..45m"', 46.0, False),
        ("45", 45.0, True),
        ('">= 2 hours"', 120.0, True),
    ],
)
def test_duration_comparisons(value: str, minutes: float, expected: bool) -> None:
    assert hit(only(f"duration = {value}"), feat(minutes=minutes)) is expected
    assert hit(only(f"not_duration = {value}"), feat(minutes=minutes)) is not expected


def test_all_conditions_must_hold() -> None:
    rules = only('title = ["sync"]\nattendees = "== 2"\nduration = "<= 45m"\nsource = "ics"')
    good = feat("Sync", attendees=2, minutes=30.0, origin="ics")
    assert hit(rules, good)
    assert not hit(rules, good._replace(title="Chat"))
    assert not hit(rules, good._replace(attendees=3))
    assert not hit(rules, good._replace(minutes=60.0))
    assert not hit(rules, good._replace(origin="log"))


def test_catch_all_matches_everything() -> None:
    rules = only("catch_all = true")
    assert hit(rules, feat(""))
    assert hit(rules, feat("anything", origin="ics", attendees=9))
    assert rules.classify_many([feat("a"), feat("b")])[1].decided_by == "r"


# -- order and merging ---------------------------------------------------------------------------

TWO_RULES = """
use_default_rules = false
[[rule]]
name = "first"
category = "leadership"
activity = "sync"
title = ["sync"]
[[rule]]
name = "second"
category = "hands-on"
title = ["sync", "bug"]
"""


def test_first_matching_rule_wins() -> None:
    rules = parse_rules_text(TWO_RULES, origin="rules.toml").ruleset()
    sync = rules.classify(feat("Fix sync bug"))
    assert (sync.category, sync.activity, sync.decided_by) == (
        Category.LEADERSHIP,
        "sync",
        "first",
    )
    bug = rules.classify(feat("Fix a bug"))
    assert (bug.category, bug.activity, bug.decided_by) == (Category.HANDS_ON, None, "second")
    assert rules.classify(feat("Lunch")) == UNCLASSIFIED


def test_the_same_rules_in_the_other_order_decide_differently() -> None:
    first, second = TWO_RULES.split("[[rule]]")[1:]
    reordered = "use_default_rules = false\n[[rule]]" + second + "[[rule]]" + first
    rules = parse_rules_text(reordered, origin="rules.toml").ruleset()
    assert [r.name for r in rules.rules] == ["second", "first"]
    assert rules.classify(feat("Fix sync bug")).decided_by == "second"
    assert rules.classify(feat("Team sync")).decided_by == "second"


def test_use_default_rules_false_uses_only_the_file() -> None:
    text = 'use_default_rules = false\n[[rule]]\nname = "x"\ncategory = "other"\ntitle = "x"\n'
    rules = parse_rules_text(text, origin="rules.toml").ruleset()
    assert [r.name for r in rules.rules] == ["x"]
    assert rules.classify(feat("Code review")) == UNCLASSIFIED


def test_user_rules_come_before_the_defaults() -> None:
    text = '[[rule]]\nname = "mine"\ncategory = "other"\ntitle = ["review"]\n'
    rules = parse_rules_text(text, origin="rules.toml").ruleset()
    assert rules.rules[0].name == "mine"
    assert rules.rules[0].origin == "rules.toml"
    assert rules.classify(feat("Code review")).decided_by == "mine"
    assert rules.classify(feat("Sprint planning")).decided_by == "planning"  # a default


def test_a_user_rule_named_like_a_default_replaces_it() -> None:
    text = '[[rule]]\nname = "code-review"\ncategory = "other"\ntitle = ["zzz"]\n'
    rules = parse_rules_text(text, origin="rules.toml").ruleset()
    assert rules.replaced_defaults == ("code-review",)
    assert [r.name for r in rules.rules].count("code-review") == 1
    assert rules.rule("code-review") is not None
    assert rules.rule("code-review").origin == "rules.toml"  # type: ignore[union-attr]
    # "Code review" was decided by the default code-review; now by another default
    assert rules.classify(feat("Code review")).decided_by == "review"
    assert rules.classify(feat("zzz")).category == Category.OTHER


def test_load_rules_without_a_file_gives_the_defaults(tmp_path: Path) -> None:
    assert [r.name for r in load_rules(None).rules][:2] == ["cancelled", "git-rfc"]
    missing = load_rules(tmp_path / "rules.toml")
    assert missing.fingerprint == load_rules(None).fingerprint


def test_load_rules_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nname = "mine"\ncategory = "other"\ntitle = "x"\n', "utf-8")
    rules = load_rules(path)
    assert rules.rules[0].name == "mine"
    assert rules.rules[0].origin == str(path)


def test_memo_distinguishes_entries_that_differ_only_in_a_tested_field() -> None:
    rules = only('title = ["sync"]\nattendees = ">= 3"')
    assert rules.fields == ("title", "attendees")
    small, big = feat("Sync", attendees=2), feat("Sync", attendees=5)
    out = rules.classify_many([small, big, small, big])
    assert [c.decided_by for c in out] == [None, "r", None, "r"]
