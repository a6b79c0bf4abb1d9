"""A bad rules file never half-works: each problem names the file, the rule and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadtime.errors import ConfigError, ExitCode
from leadtime.rules import load_rules, parse_rules_text, read_rules_file

GOOD = '[[rule]]\nname = "ok"\ncategory = "other"\ntitle = ["lunch"]\n'


def rule(body: str, name: str = "code-review") -> str:
    return f'[[rule]]\nname = "{name}"\n{body}\n'


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_rules_text(text, origin="rules.toml")
    assert caught.value.exit_code == ExitCode.CONFIG
    assert int(caught.value.exit_code) == 3
    return caught.value


def test_unknown_key_names_file_position_rule_key_and_closest_key() -> None:
    text = GOOD + GOOD.replace('"ok"', '"ok2"') + rule('category = "leadership"\ntitel = ["x"]')
    err = error_of(text)
    assert err.message == "rules.toml: rule #3 \"code-review\": unknown key 'titel'"
    assert err.hint == "did you mean 'title'?"


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("note", "description"),
        ("not_note", "not_description"),
        ("tag", "tags"),
        ("organiser", "organizer"),
        ("not_titel", "not_title"),
        ("atendees", "attendees"),
        ("categroy", "category"),
    ],
)
def test_unknown_key_hints(key: str, suggestion: str) -> None:
    err = error_of(rule(f'category = "other"\ntitle = "x"\n{key} = "y"'))
    assert f"unknown key '{key}'" in err.message
    assert err.hint == f"did you mean '{suggestion}'?"


def test_unknown_category() -> None:
    err = error_of(rule('category = "hands_on"\ntitle = "x"'))
    assert err.message == "rules.toml: rule #1 \"code-review\": unknown category 'hands_on'"
    assert err.hint is not None
    assert "did you mean 'hands-on'?" in err.hint
    assert "leadership, hands-on, other" in err.hint


def test_unclassified_is_not_a_rule_category() -> None:
    err = error_of(rule('category = "unclassified"\ntitle = "x"'))
    assert "cannot decide 'unclassified'" in err.message


def test_bad_regex() -> None:
    err = error_of(GOOD + rule('category = "leadership"\ntitle_regex = "review("'))
    assert err.message.startswith('rules.toml: rule #2 "code-review": ')
    assert "'title_regex' is not a valid regular expression" in err.message
    assert "missing )" in err.message


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            'category = "other"\ntitle = 3',
            "'title' must be a string or an array of strings, not integer",
        ),
        ('category = "other"\ntitle = ["x", 2]', "'title' item 2 must be a string, not integer"),
        ('category = "other"\ntitle = []', "'title' is an empty array"),
        ('category = "other"\ntitle = [""]', "'title' item 1 is empty"),
        (
            'category = "other"\ntitle_regex = ["a", "b"]',
            "'title_regex' must be a string, not array",
        ),
        ('category = 1\ntitle = "x"', "'category' must be a string, not integer"),
        (
            'category = "other"\nactivity = true\ntitle = "x"',
            "'activity' must be a string, not boolean",
        ),
        (
            'category = "other"\ntags = {a = 1}',
            "'tags' must be a string or an array of strings, not table",
        ),
        ('category = "other"\nattendees = 2.5', "'attendees' must be a comparison string"),
        ('category = "other"\nweekday = 1', "'weekday' must be a string or an array of strings"),
        ('category = "other"\ncatch_all = "yes"', "'catch_all' must be true or false, not string"),
        ('category = "other"\ntitle = 2026-01-01', "not date/time"),
    ],
)
def test_wrong_types(body: str, problem: str) -> None:
    err = error_of(rule(body))
    assert err.message.startswith('rules.toml: rule #1 "code-review": ')
    assert problem in err.message


def test_wrong_type_of_name_has_no_name_to_show() -> None:
    err = error_of('[[rule]]\nname = 5\ncategory = "other"\ntitle = "x"\n')
    assert err.message == "rules.toml: rule #1: 'name' must be a string, not integer"


def test_duplicate_name() -> None:
    err = error_of(GOOD + GOOD.replace('"ok"', '"b"') + GOOD)
    assert err.message == 'rules.toml: rule #3 "ok": duplicate name; rule #1 is already called that'


def test_missing_name_and_missing_category() -> None:
    err = error_of(GOOD + '[[rule]]\ncategory = "other"\ntitle = "x"\n')
    assert err.message == "rules.toml: rule #2: missing required key 'name'"
    err = error_of(rule('title = "x"'))
    assert err.message == "rules.toml: rule #1 \"code-review\": missing required key 'category'"
    assert err.hint == "category = leadership | hands-on | other"


def test_toml_syntax_error_gives_line_and_column() -> None:
    err = error_of('[[rule]]\nname = "a"\ncategory = "other\ntitle = "x"\n')
    assert err.message.startswith("rules.toml: not valid TOML: ")
    assert "line 3" in err.message
    assert "column" in err.message


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('attendees = "about 3"', "'attendees' must be a comparison such as"),
        ('attendees = ">= two"', "'attendees' must be a comparison such as"),
        ('attendees = "2.5"', "'attendees' must be a comparison such as"),
        ('attendees = "=> 2"', "'attendees' must be a comparison such as"),
        ('duration = "< 30 parsecs"', "'duration' must be a comparison such as"),
        ('duration = "<"', "'duration' must be a comparison such as"),
        ('not_duration = "1h..x"', "'not_duration' must be a comparison such as"),
        ('duration = "2h..1h"', "'duration' range \"2h..1h\" is empty"),
    ],
)
def test_bad_comparison(body: str, problem: str) -> None:
    err = error_of(rule(f'category = "other"\n{body}'))
    assert err.message.startswith('rules.toml: rule #1 "code-review": ')
    assert problem in err.message


def test_keyword_with_punctuation_at_its_edge_is_refused() -> None:
    err = error_of(rule('category = "hands-on"\ntitle = ["c++"]'))
    assert "'title' keyword \"c++\" starts or ends with punctuation" in err.message
    assert err.hint is not None
    assert '"c"' in err.hint
    assert "title_regex" in err.hint
    err = error_of(rule('category = "hands-on"\nnot_location = ["#"]'))
    assert "has no letters or digits" in err.message


def test_unknown_source_and_weekday() -> None:
    err = error_of(rule('category = "other"\nsource = "calendar"'))
    assert "'source' has unknown source \"calendar\"" in err.message
    err = error_of(rule('category = "other"\nsource = "icss"'))
    assert err.hint is not None
    assert "did you mean 'ics'?" in err.hint
    err = error_of(rule('category = "other"\nweekday = ["mon", "funday"]'))
    assert "'weekday' has unknown weekday \"funday\"" in err.message


def test_a_rule_needs_conditions_or_an_explicit_catch_all() -> None:
    err = error_of(rule('category = "other"'))
    assert err.message == 'rules.toml: rule #1 "code-review": no conditions'
    assert err.hint is not None
    assert "catch_all = true" in err.hint
    err = error_of(rule('category = "other"\ncatch_all = true\ntitle = "x"'))
    assert "cannot be combined with conditions" in err.message
    err = error_of(rule('category = "other"\ncatch_all = false'))
    assert "no conditions" in err.message


def test_top_level_problems() -> None:
    err = error_of('[[rules]]\nname = "a"\n')
    assert err.message == "rules.toml: unknown top-level key 'rules'"
    assert err.hint is not None
    assert "did you mean 'rule'?" in err.hint
    err = error_of('[rule]\nname = "a"\ncategory = "other"\ntitle = "x"\n')
    assert err.message == "rules.toml: 'rule' must be an array of tables, not table"
    assert err.hint is not None
    assert "[[rule]]" in err.hint
    err = error_of('use_default_rules = "no"\n')
    assert err.message == "rules.toml: 'use_default_rules' must be true or false, not string"


def test_one_bad_rule_rejects_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(GOOD + rule('category = "other"\ntitel = "x"'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    assert caught.value.message.startswith(f'{path}: rule #2 "code-review": ')


def test_unreadable_or_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b'[[rule]]\nname = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_rules_file(path)
    with pytest.raises(ConfigError, match="cannot read"):
        read_rules_file(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path)  # a directory


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert [r.name for r in read_rules_file(path).rules] == ["ok"]
