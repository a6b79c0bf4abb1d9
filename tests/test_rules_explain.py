"""explain(), fingerprints, rule suggestions, features_of and the shipped rule files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from leadtime.entry import UNCLASSIFIED, Category, Entry, Origin
from leadtime.errors import ConfigError
from leadtime.rules import (
    Features,
    default_rules,
    features_of,
    load_rules,
    parse_rules_text,
    starter_text,
    suggest_rule,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rules.toml"


def feat(title: str = "", **changes: Any) -> Features:
    base = Features(title, "", "", (), None, "log", None, 0, 30.0, 2)
    return base._replace(**changes)


SYNC_RULES = """
use_default_rules = false

[[rule]]
name = "drafts"
category = "other"
title_regex = "^\\\\[draft\\\\]"

[[rule]]
name = "pair-sync"
category = "leadership"
activity = "1:1"
title = ["sync", "catch up"]
not_title = ["wip"]
attendees = "== 2"
duration = "<= 45m"
"""


# -- explain -----------------------------------------------------------------------------------


def test_explain_names_the_deciding_rule_and_what_matched() -> None:
    rules = parse_rules_text(SYNC_RULES, origin="rules.toml").ruleset()
    got = rules.explain(feat("Catch-up with Jo", attendees=2, minutes=30.0))
    assert got.classification.decided_by == "pair-sync"
    assert got.classification.category == Category.LEADERSHIP
    assert got.rule is not None
    assert got.rule.name == "pair-sync"
    assert got.matched == (
        'title has "catch up"',
        'title has none of "wip"',
        "attendees 2 is == 2",
        "duration 30m is <= 45m",
    )
    assert [(m.rule.name, m.failed) for m in got.tried] == [
        ("drafts", "title does not match /^\\[draft\\]/"),
    ]


def test_explain_gives_the_first_failing_condition_of_each_rule_tried() -> None:
    rules = parse_rules_text(SYNC_RULES, origin="rules.toml").ruleset()
    got = rules.explain(feat("WIP sync", attendees=3))
    assert got.classification == UNCLASSIFIED
    assert got.rule is None
    assert got.matched == ()
    assert [m.failed for m in got.tried] == [
        "title does not match /^\\[draft\\]/",
        'title has "wip" (excluded by not_title)',
    ]
    got = rules.explain(feat("Sync", attendees=3, minutes=90.0))
    assert got.tried[1].failed == "attendees 3 is not == 2"
    got = rules.explain(feat("Sync", attendees=2, minutes=90.0))
    assert got.tried[1].failed == "duration 1h30m is not <= 45m"


def test_explain_regex_tags_source_and_weekday_texts() -> None:
    text = """
use_default_rules = false
[[rule]]
name = "r"
category = "hands-on"
title_regex = "inc-\\\\d+"
tags = ["deep"]
source = ["ics", "timer"]
weekday = ["mon", "fri"]
"""
    rules = parse_rules_text(text, origin="rules.toml").ruleset()
    got = rules.explain(feat("Fix INC-12", tags=("Deep",), origin="timer", weekday=4))
    assert got.matched == (
        'title matches /inc-\\d+/ at "INC-12"',
        'tags include "Deep"',
        "source is timer",
        "weekday is Fri",
    )
    miss = rules.explain(feat("Fix INC-12", tags=("Deep",), origin="log"))
    assert miss.tried[0].failed == "source is log, not ics or timer"
    miss = rules.explain(feat("Fix INC-12", tags=("Deep",), origin="ics", weekday=2))
    assert miss.tried[0].failed == "weekday is Wed, not Mon or Fri"
    miss = rules.explain(feat("Fix INC-12"))
    assert miss.tried[0].failed == 'tags include none of "deep"'


def test_explain_with_the_defaults() -> None:
    got = default_rules().explain(feat("Review bugfix PR"))
    assert got.matched == ('title has "pr"',)
    assert [m.rule.name for m in got.tried] == [
        "cancelled",
        "company-event",
        "time-off",
        "break",
        "personal",
        "travel",
        "learning",
        "git-merge-review",
        "git-rfc",
        "git-session",
        "review-follow-up",
        "incident-review",
        "hiring",
        "one-on-one",
        "mentoring",
        "people",
        "rfc-and-design",
    ]
    assert got.tried[0].failed.startswith("title does not match /^")
    assert got.tried[1].failed.startswith('title has none of "all-hands", "all hands"')
    assert got.tried[1].failed.endswith(" more")


def test_explain_catch_all() -> None:
    text = (
        'use_default_rules = false\n[[rule]]\nname = "rest"\ncategory = "other"\ncatch_all = true\n'
    )
    got = parse_rules_text(text, origin="r").ruleset().explain(feat("x"))
    assert got.matched == ("matches every entry",)


def test_rule_describe_summarises_conditions() -> None:
    rule = parse_rules_text(SYNC_RULES, origin="rules.toml").rules[1]
    assert rule.describe() == [
        'title has any of "sync", "catch up"',
        'title has none of "wip"',
        "attendees == 2",
        "duration <= 45m",
    ]


# -- fingerprint ----------------------------------------------------------------------------------


def fp(text: str) -> str:
    return parse_rules_text(text, origin="rules.toml").ruleset().fingerprint


def test_fingerprint_is_stable_across_loads_and_cosmetic_edits() -> None:
    base = fp(SYNC_RULES)
    assert fp(SYNC_RULES) == base
    cosmetic = "# my rules\n" + SYNC_RULES.replace(
        '["sync", "catch up"]', '[ "Catch-Up", "SYNC" ]'
    ).replace('duration = "<= 45m"', 'duration = "<=45min"').replace(
        'attendees = "== 2"', "attendees = 2"
    )
    assert fp(cosmetic) == base
    # the order of conditions inside a rule does not change what it matches
    moved = SYNC_RULES.replace('not_title = ["wip"]\n', "") + 'not_title = ["wip"]\n'
    assert fp(moved) == base
    # and the file's location is not part of the meaning
    assert parse_rules_text(SYNC_RULES, origin="a").ruleset().fingerprint == base


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('category = "leadership"', 'category = "hands-on"'),
        ('activity = "1:1"', 'activity = "one-on-one"'),
        ('name = "pair-sync"', 'name = "sync-2"'),
        ('attendees = "== 2"', 'attendees = ">= 2"'),
        ('not_title = ["wip"]', 'not_title = ["wip", "draft"]'),
        ('title = ["sync", "catch up"]', 'title_regex = "sync|catch up"'),
        ("use_default_rules = false", "use_default_rules = true"),
    ],
)
def test_fingerprint_changes_with_meaning(old: str, new: str) -> None:
    assert old in SYNC_RULES
    assert fp(SYNC_RULES.replace(old, new)) != fp(SYNC_RULES)


def test_fingerprint_changes_with_rule_order() -> None:
    head, first, second = SYNC_RULES.split("[[rule]]")
    assert fp(head + "[[rule]]" + second + "\n[[rule]]" + first) != fp(SYNC_RULES)


def test_fingerprint_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "from leadtime.rules import default_rules, load_rules; import sys, pathlib;"
        "print(default_rules().fingerprint, load_rules(pathlib.Path(sys.argv[1])).fingerprint)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(EXAMPLE)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_an_empty_user_file_keeps_the_default_fingerprint() -> None:
    assert fp("") == default_rules().fingerprint
    assert fp("use_default_rules = false\n") != default_rules().fingerprint


# -- shipped files --------------------------------------------------------------------------------


def test_starter_loads_and_changes_no_classification() -> None:
    text = starter_text()
    assert "[[rule]]" in text  # commented examples
    parsed = parse_rules_text(text, origin="starter.toml")
    assert parsed.rules == ()
    assert parsed.use_default_rules is True
    assert parsed.ruleset().fingerprint == default_rules().fingerprint


def test_starter_examples_load_when_uncommented() -> None:
    lines, in_example = [], False
    for line in starter_text().splitlines():
        in_example = line == "# [[rule]]" or (in_example and line.startswith("# "))
        lines.append(line[2:] if in_example else line)
    parsed = parse_rules_text("\n".join(lines), origin="starter.toml")
    assert [r.name for r in parsed.rules] == ["team-standup", "platform-guild", "friday-focus"]


def test_example_rules_file_loads_and_works() -> None:
    rules = load_rules(EXAMPLE)
    assert rules.rules[0].origin == str(EXAMPLE)
    assert rules.replaced_defaults == ("standup",)
    assert rules.classify(feat("INC-4411 db failover")).decided_by == "incident-tickets"
    assert rules.classify(feat("Postmortem INC-4411")).decided_by == "incident-review"
    standup = rules.classify(feat("Daily standup"))
    assert (standup.decided_by, standup.activity) == ("standup", "planning")
    sync = feat("Sync with Jo", attendees=2, minutes=30.0)
    assert rules.classify(sync).decided_by == "short-pair-syncs"
    assert rules.classify(sync._replace(attendees=6)).decided_by == "alignment"
    focus = feat("Focus time", minutes=30.0)
    assert rules.classify(focus).decided_by == "coding"  # a short one falls to the default
    assert rules.classify(focus._replace(minutes=120.0)).decided_by == "long-focus"


# -- suggestions -----------------------------------------------------------------------------------


def test_suggest_rule_picks_the_distinctive_words() -> None:
    text = suggest_rule("Weekly budget sync with Finance #12", 750.0)
    assert "# 12h30m unclassified: 'Weekly budget sync with Finance #12'" in text
    assert 'name = "budget-sync-with-finance"' in text
    assert 'title = ["budget sync with finance"]' in text
    assert 'broader: title = ["budget", "sync", "finance"]' in text
    assert 'category = "?"' in text


def test_suggested_rule_must_get_a_category_before_it_loads() -> None:
    text = suggest_rule("Vendor call", 60.0)
    with pytest.raises(ConfigError, match="unknown category '\\?'"):
        parse_rules_text(text, origin="rules.toml")
    chosen = parse_rules_text(text.replace('"?"', '"other"'), origin="rules.toml").ruleset()
    assert chosen.classify(feat("Vendor call")).decided_by == "vendor"


def test_suggest_rule_with_a_category_and_for_odd_titles() -> None:
    text = suggest_rule("Weekly meeting", 30.0, category=Category.HANDS_ON)
    rules = parse_rules_text(text, origin="r").ruleset()
    assert rules.rules[0].name == "weekly-meeting"
    assert rules.classify(feat("Weekly meeting")).category == Category.HANDS_ON
    odd = parse_rules_text(suggest_rule(" --- ", 5.0, category=Category.OTHER), origin="r")
    assert odd.rules[0].name == "untitled"
    assert odd.ruleset().classify(feat("---")).decided_by == "untitled"


# -- features_of --------------------------------------------------------------------------------


def test_features_of_takes_the_weekday_in_the_users_zone() -> None:
    # Sunday 23:30 UTC is Monday 00:30 in Berlin (CET, UTC+1).
    entry = Entry(
        start=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        end=datetime(2026, 3, 2, 0, 15, tzinfo=UTC),
        title="Sync",
        origin=Origin.ICS,
        note="n",
        location="Room 4",
        tags=("a",),
        calendar="Work",
        organizer="x@example.com",
        attendees=3,
    )
    assert features_of(entry, "Europe/Berlin") == Features(
        "Sync", "n", "Room 4", ("a",), "Work", "ics", "x@example.com", 3, 45.0, 0
    )
    assert features_of(entry, "UTC").weekday == 6
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Base'"):
        features_of(entry, "Mars/Base")
