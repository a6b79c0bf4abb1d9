"""No rules file can hang leadtime or crash it: slow patterns, deep nesting, huge numbers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.errors import ConfigError, ExitCode
from leadtime.rules import Features, parse_rules_text, read_rules_file

EVIL = "(a+)+$"  # backtracks exponentially in a backtracking engine
EVIL_TITLE = "a" * 35 + "!"


def feat(title: str) -> Features:
    return Features(title, "", "", (), None, "log", None, 0, 30.0, 0)


def rules_with(line: str) -> str:
    return f'use_default_rules = false\n[[rule]]\nname = "x"\ncategory = "other"\n{line}\n'


def error_of(path: Path, text: str) -> ConfigError:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_rules_file(path)
    assert caught.value.exit_code == ExitCode.CONFIG
    assert caught.value.message.startswith(f"{path}: ")
    assert "\n" not in caught.value.message
    return caught.value


def test_a_catastrophic_pattern_matches_in_linear_time() -> None:
    rules = parse_rules_text(rules_with(f'title_regex = "{EVIL}"'), origin="r").ruleset()
    started = time.perf_counter()
    got = rules.classify_many([feat("a" * n + "!") for n in range(35, 235)])
    assert time.perf_counter() - started < 1.0  # a backtracking engine needs hours
    assert {c.decided_by for c in got} == {None}
    assert rules.classify(feat("aaaa")).decided_by == "x"


@pytest.mark.slow
def test_log_and_rules_check_finish_with_a_catastrophic_pattern(cli: Run, home: Home) -> None:
    home.rules.write_text(rules_with(f'title_regex = "{EVIL}"'), encoding="utf-8")
    started = time.perf_counter()
    assert cli("rules", "check").exit_code == 0
    logged = cli("log", EVIL_TITLE, "30m")
    assert logged.exit_code == 0, logged.stderr
    assert cli("ls").exit_code == 0
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (r"(a)\\1", "backreference"),
        (r"review(?=s)", "lookahead"),
        (r"(?<!pre)view", "lookbehind"),
        (r"(?P<x>a)(?P=x)", "named backreference"),
    ],
)
def test_patterns_re2_cannot_run_are_config_errors(
    tmp_path: Path, pattern: str, what: str, capfd: pytest.CaptureFixture[str]
) -> None:
    err = error_of(tmp_path / "rules.toml", rules_with(f'title_regex = "{pattern}"'))
    assert err.message.startswith(f"{tmp_path / 'rules.toml'}: rule #1 \"x\": 'title_regex' is not")
    assert err.hint is not None and "RE2" in err.hint, what
    assert "lookarounds" in err.hint
    assert capfd.readouterr().err == ""  # RE2 logs nothing of its own


def test_an_invalid_pattern_names_the_reason(tmp_path: Path) -> None:
    err = error_of(tmp_path / "r.toml", rules_with('not_location_regex = "(unclosed"'))
    assert "'not_location_regex' is not a valid regular expression: missing )" in err.message


def test_five_hundred_nested_groups(tmp_path: Path, cli: Run) -> None:
    path = tmp_path / "nested.toml"
    err = error_of(path, rules_with('title_regex = "' + "(" * 500 + "a" + ")" * 500 + '"'))
    assert "'title_regex' is too complex" in err.message
    assert err.hint is not None and "split it" in err.hint
    result = cli("rules", "check", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {path}: rule #1")


def test_a_huge_pattern_is_too_complex(tmp_path: Path) -> None:
    err = error_of(tmp_path / "r.toml", rules_with('title_regex = "' + "ab|" * 1000 + 'c"'))
    assert "too complex" in err.message


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 3000 + "1" + "}" * 3000,
        rules_with("title = " + "[" * 2000 + '"a"' + "]" * 2000),
    ],
    ids=["arrays", "tables", "in-a-rule"],
)
def test_deeply_nested_toml(tmp_path: Path, cli: Run, text: str) -> None:
    path = tmp_path / "deep.toml"
    err = error_of(path, text)
    assert err.message == f"{path}: not valid TOML: arrays or tables nested too deeply"
    result = cli("rules", "check", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: {path}: not valid TOML")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("attendees = " + "9" * 5000, "not valid TOML: Exceeds the limit"),
        ("attendees = " + "9" * 30, "'attendees' value is out of range (at most 100000)"),
        ("duration = " + "9" * 30, "'duration' value is out of range"),
        ('attendees = ">= ' + "9" * 5000 + '"', "'attendees' must be a comparison"),
        ('attendees = "1..' + "9" * 400 + '"', "'attendees' must be a comparison"),
        ('duration = "< ' + "9" * 400 + 'h"', "'duration' must be a comparison"),
        ('duration = "< 99999999h"', "'duration' must be a comparison"),
        ("attendees = 1e400", "'attendees' must be a comparison string"),
        ("attendees = inf", "'attendees' must be a comparison string"),
    ],
)
def test_huge_numbers(tmp_path: Path, line: str, expected: str) -> None:
    err = error_of(tmp_path / "big.toml", rules_with(line))
    assert expected in err.message


def test_the_largest_accepted_bounds_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(rules_with('attendees = "<= 100000"\nduration = "< 8760h"'), encoding="utf-8")
    rules = read_rules_file(path).ruleset()
    assert rules.classify(feat("x")).decided_by == "x"
