"""Reading and validating ``rules.toml``: one schema, every problem named precisely.

A rules file is TOML::

    use_default_rules = true     # false: only the rules of this file

    [[rule]]
    name = "code-review"         # unique within the file
    category = "leadership"      # leadership | hands-on | other
    activity = "review"          # optional label
    title = ["review", "pull request"]
    not_title = ["cancelled"]
    attendees = ">= 2"

The file's rules are tried first, in order, then the shipped defaults (unless
``use_default_rules = false``). A rule whose name is that of a default rule replaces that
default. A bad file never half-works: every problem raises :class:`ConfigError` naming the
file, the rule (position and name), the key and what is wrong.

Regular expressions (``title_regex`` ...) are RE2: matching time is linear in the text, so
no pattern can hang classification; patterns RE2 cannot run (backreferences, lookarounds)
and patterns longer than 2,000 characters or nested deeper than 50 groups are errors.
Bounds are limited too: at most 100,000 attendees and a year of duration; TOML nested
too deeply or with integers of thousands of digits is an error, never a crash.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from leadtime.entry import Category, Origin
from leadtime.errors import ConfigError
from leadtime.rules.conditions import (
    ChoiceCondition,
    CompareCondition,
    Condition,
    KeywordCondition,
    RegexCondition,
    Searcher,
    TagCondition,
)
from leadtime.rules.ruleset import Rule, RuleSet
from leadtime.units import WEEKDAY_NAMES, WEEKDAYS, read_duration

DEFAULT_ORIGIN = "default"

# Rule keys that are not conditions.
RULE_KEYS = ("name", "category", "activity", "catch_all")

# Text conditions: key in the file -> Features field.
TEXT_KEYS = {
    "title": "title",
    "description": "note",
    "location": "location",
    "calendar": "calendar",
    "organizer": "organizer",
}

RULE_CATEGORIES = (Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER)

# Keys people reach for that are spelled differently here.
_ALIASES = {
    "note": "description",
    "notes": "description",
    "summary": "title",
    "subject": "title",
    "tag": "tags",
    "origin": "source",
    "sources": "source",
    "day": "weekday",
    "days": "weekday",
    "weekdays": "weekday",
    "minutes": "duration",
    "length": "duration",
    "participants": "attendees",
    "attendee": "attendees",
    "organiser": "organizer",
    "label": "activity",
    "type": "category",
    "regex": "title_regex",
}

_COUNT = re.compile(r"^\d{1,9}$")

MAX_REGEX_LENGTH = 2_000
MAX_REGEX_NESTING = 50
MAX_ATTENDEES = 100_000
MAX_DURATION_MINUTES = 366 * 24 * 60  # a year: no entry is longer
_RANGE = re.compile(r"^(?P<low>.+?)\s*\.\.\s*(?P<high>.+)$")
_COMPARISON = re.compile(r"^(?P<op><=|>=|==|!=|<|>|=)?\s*(?P<value>.+)$")


@dataclass(frozen=True)
class RuleFile:
    """A parsed, valid rules file."""

    origin: str
    use_default_rules: bool
    rules: tuple[Rule, ...]

    def ruleset(self) -> RuleSet:
        """The effective rule set: this file's rules, then the defaults not replaced."""
        if not self.use_default_rules:
            return RuleSet.of(self.rules)
        names = {r.name for r in self.rules}
        defaults = default_rules().rules
        replaced = [r.name for r in defaults if r.name in names]
        kept = [r for r in defaults if r.name not in names]
        return RuleSet.of((*self.rules, *kept), replaced_defaults=replaced)


# -- errors --------------------------------------------------------------------------------


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, datetime | date | time):
        return "date/time"
    return type(value).__name__


def _closest(word: str, choices: list[str]) -> str | None:
    if word in _ALIASES and _ALIASES[word] in choices:
        return _ALIASES[word]
    if word.startswith("not_") and word[4:] in _ALIASES and "not_" + _ALIASES[word[4:]] in choices:
        return "not_" + _ALIASES[word[4:]]
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True)
class _Where:
    origin: str
    index: int | None = None
    name: str | None = None

    def fail(self, problem: str, hint: str | None = None) -> NoReturn:
        where = self.origin
        if self.index is not None:
            where += f": rule #{self.index}"
            if self.name is not None:
                where += f' "{self.name}"'
        raise ConfigError(f"{where}: {problem}", hint=hint)


# -- condition parsers ------------------------------------------------------------------------


def _strings(at: _Where, key: str, value: object, what: str) -> list[str]:
    """A string or a non-empty array of non-empty strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        at.fail(f"'{key}' must be a string or an array of strings, not {_type_name(value)}")
    if not items:
        at.fail(f"'{key}' is an empty array; list at least one {what}")
    out: list[str] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, str):
            at.fail(f"'{key}' item {n} must be a string, not {_type_name(item)}")
        if not item.strip():
            at.fail(f"'{key}' item {n} is empty")
        out.append(item.strip())
    return out


def _keywords(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    keywords = _strings(at, key, value, "keyword")
    label = key.removeprefix("not_")
    for keyword in keywords:
        if not (keyword[0].isalnum() and keyword[-1].isalnum()):
            core = re.sub(r"^[\W_]+|[\W_]+$", "", keyword)
            if not core:
                at.fail(
                    f"'{key}' keyword \"{keyword}\" has no letters or digits",
                    hint=f"keywords match whole words; use {label}_regex for symbols",
                )
            at.fail(
                f"'{key}' keyword \"{keyword}\" starts or ends with punctuation, "
                "which whole-word matching ignores",
                hint=f'write "{core}", or use {label}_regex to match the symbols too',
            )
    return KeywordCondition.build(key, field, negate, keywords)


def compile_regex(source: str) -> Searcher:
    """Compile a user's regular expression with RE2, case-insensitively.

    RE2 matches in time linear in the text, so no pattern can hang classification; it has
    no backreferences or lookarounds. Raises :class:`ValueError` with RE2's reason.
    """
    import re2  # a few milliseconds; only rules files with regular expressions pay it

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        compiled: Searcher = re2.compile(source, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from exc
    return compiled


def _nesting(source: str) -> int:
    depth = deepest = 0
    escaped = False
    for ch in source:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(depth - 1, 0)
    return deepest


def _regex(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    if not isinstance(value, str):
        hint = "one regular expression; use | for alternatives" if isinstance(value, list) else None
        at.fail(f"'{key}' must be a string, not {_type_name(value)}", hint=hint)
    if not value:
        at.fail(f"'{key}' is empty, which would match everything")
    if len(value) > MAX_REGEX_LENGTH or _nesting(value) > MAX_REGEX_NESTING:
        at.fail(
            f"'{key}' is too complex (longer than {MAX_REGEX_LENGTH} characters "
            f"or groups nested deeper than {MAX_REGEX_NESTING})",
            hint=f"split it into several rules, or use {key.removesuffix('_regex')} keywords",
        )
    try:
        pattern = compile_regex(value)
    except ValueError as exc:
        unsupported = any(s in value for s in ("(?=", "(?!", "(?<", "\\1", "\\2", "(?P="))
        at.fail(
            f"'{key}' is not a valid regular expression: {exc}",
            hint="regular expressions use RE2 syntax: no lookarounds (?=...) (?!...) "
            "or backreferences \\1"
            if unsupported
            else "regular expressions use RE2 syntax (like Python's re, without "
            "lookarounds and backreferences)",
        )
    return RegexCondition(key, field, negate, value, pattern)


def _tags(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    tags = tuple(dict.fromkeys(t.casefold() for t in _strings(at, key, value, "tag")))
    return TagCondition(key, field, negate, tags)


def _source(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    valid = [o.value for o in Origin]
    chosen: list[str | int] = []
    for item in _strings(at, key, value, "source"):
        if item.lower() not in valid:
            close = _closest(item.lower(), valid)
            at.fail(
                f"'{key}' has unknown source \"{item}\"",
                hint=(f"did you mean '{close}'? " if close else "")
                + "sources: "
                + ", ".join(valid),
            )
        chosen.append(item.lower())
    return ChoiceCondition(key, field, negate, tuple(dict.fromkeys(chosen)))


def _weekday(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    chosen: list[str | int] = []
    for item in _strings(at, key, value, "weekday"):
        day = WEEKDAY_NAMES.get(item.lower())
        if day is None:
            at.fail(
                f"'{key}' has unknown weekday \"{item}\"",
                hint="weekdays: " + ", ".join(WEEKDAYS) + " (or full English names)",
            )
        chosen.append(day)
    return ChoiceCondition(key, field, negate, tuple(sorted(set(chosen), key=int)))


def _parse_duration(text: str) -> float | None:
    try:
        value = read_duration(text)
    except (ValueError, OverflowError):
        return None
    if value is None:
        return None
    minutes = value.total_seconds() / 60
    return minutes if minutes <= MAX_DURATION_MINUTES else None


def _parse_count(text: str) -> float | None:
    if not _COUNT.match(text.strip()):
        return None
    count = int(text)
    return float(count) if count <= MAX_ATTENDEES else None


def _comparison(
    at: _Where,
    key: str,
    field: str,
    negate: bool,
    value: object,
    parse: Callable[[str], float | None],
    examples: str,
) -> Condition:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        limit = MAX_DURATION_MINUTES if field == "minutes" else MAX_ATTENDEES
        if value > limit:
            at.fail(f"'{key}' value is out of range (at most {limit})")
        return CompareCondition(key, field, negate, "==", float(value))
    if not isinstance(value, str):
        at.fail(f"'{key}' must be a comparison string such as {examples}, not {_type_name(value)}")
    bad = f"'{key}' must be a comparison such as {examples}, got \"{value}\""
    text = value.strip()
    ranged = _RANGE.match(text)
    if ranged:
        low, high = parse(ranged.group("low")), parse(ranged.group("high"))
        if low is None or high is None:
            at.fail(bad)
        if low > high:
            at.fail(f"'{key}' range \"{value}\" is empty: its low end is above its high end")
        return CompareCondition(key, field, negate, "..", low, high)
    compared = _COMPARISON.match(text)
    bound = parse(compared.group("value")) if compared else None
    if compared is None or bound is None:
        at.fail(bad, hint="operators: < <= > >= == !=, or a range low..high")
    op = compared.group("op") or "=="
    return CompareCondition(key, field, negate, "==" if op == "=" else op, bound)


def _attendees(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    return _comparison(at, key, field, negate, value, _parse_count, '">= 2", "== 1" or "2..5"')


def _duration(at: _Where, key: str, field: str, negate: bool, value: object) -> Condition:
    return _comparison(
        at, key, field, negate, value, _parse_duration, '"< 30m", ">= 1h" or "15m..45m"'
    )


_Parser = Callable[[_Where, str, str, bool, object], Condition]


def _condition_table() -> dict[str, tuple[str, _Parser]]:
    table: dict[str, tuple[str, _Parser]] = {}
    for key, field in TEXT_KEYS.items():
        table[key] = (field, _keywords)
        table[key + "_regex"] = (field, _regex)
    table["tags"] = ("tags", _tags)
    table["source"] = ("origin", _source)
    table["weekday"] = ("weekday", _weekday)
    table["attendees"] = ("attendees", _attendees)
    table["duration"] = ("minutes", _duration)
    for key in list(table):
        table["not_" + key] = table[key]
    return table


CONDITIONS = _condition_table()
CONDITION_KEYS = tuple(CONDITIONS)
ALL_RULE_KEYS = (*RULE_KEYS, *CONDITION_KEYS)


# -- rules ----------------------------------------------------------------------------------


def _parse_rule(raw: object, origin: str, index: int) -> Rule:
    at = _Where(origin, index)
    if not isinstance(raw, dict):
        at.fail(f"must be a table, not {_type_name(raw)}", hint="write each rule as [[rule]]")
    name = raw.get("name")
    if name is None:
        at.fail("missing required key 'name'")
    if not isinstance(name, str):
        at.fail(f"'name' must be a string, not {_type_name(name)}")
    if not name.strip():
        at.fail("'name' is empty")
    at = _Where(origin, index, name)

    for key in raw:
        if key not in RULE_KEYS and key not in CONDITIONS:
            close = _closest(key, list(ALL_RULE_KEYS))
            at.fail(f"unknown key '{key}'", hint=f"did you mean '{close}'?" if close else None)

    category = _parse_category(at, raw.get("category"))
    activity = raw.get("activity")
    if activity is not None and not isinstance(activity, str):
        at.fail(f"'activity' must be a string, not {_type_name(activity)}")
    if activity is not None and not activity.strip():
        at.fail("'activity' is empty", hint="leave the key out for no activity")

    conditions: list[Condition] = []
    for key, value in raw.items():
        if key in CONDITIONS:
            field, parse = CONDITIONS[key]
            conditions.append(parse(at, key, field, key.startswith("not_"), value))

    catch_all = raw.get("catch_all", False)
    if not isinstance(catch_all, bool):
        at.fail(f"'catch_all' must be true or false, not {_type_name(catch_all)}")
    if catch_all and conditions:
        at.fail(
            "'catch_all = true' cannot be combined with conditions",
            hint="remove catch_all, or the conditions",
        )
    if not catch_all and not conditions:
        at.fail(
            "no conditions",
            hint="add a condition such as title = [...], or set catch_all = true "
            "to match every entry",
        )
    return Rule(
        name=name,
        category=category,
        activity=activity.strip() if activity else None,
        origin=origin,
        index=index,
        conditions=tuple(conditions),
    )


_CATEGORY_ALIASES = {
    "lead": Category.LEADERSHIP,
    "leader": Category.LEADERSHIP,
    "management": Category.LEADERSHIP,
    "handson": Category.HANDS_ON,
    "hands": Category.HANDS_ON,
    "hand-on": Category.HANDS_ON,
    "ic": Category.HANDS_ON,
    "none": Category.OTHER,
    "others": Category.OTHER,
}


def closest_category(text: str) -> Category | None:
    """The category ``text`` most likely means (``"handson"`` -> hands-on), or None.

    For "did you mean" hints; an exact name (any case, ``_`` or space for ``-``) is returned
    as is, so callers can also use it to read a category the user typed.
    """
    key = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    names = [c.value for c in Category]
    if key in names:
        return Category(key)
    squashed = key.replace("-", "")
    if squashed in _CATEGORY_ALIASES:
        return _CATEGORY_ALIASES[squashed]
    if key in _CATEGORY_ALIASES:
        return _CATEGORY_ALIASES[key]
    found = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if not found:
        found = difflib.get_close_matches(squashed, [n.replace("-", "") for n in names], 1, 0.6)
        found = [names[[n.replace("-", "") for n in names].index(found[0])]] if found else []
    return Category(found[0]) if found else None


def _parse_category(at: _Where, value: object) -> Category:
    allowed = [c.value for c in RULE_CATEGORIES]
    if value is None:
        at.fail("missing required key 'category'", hint="category = " + " | ".join(allowed))
    if not isinstance(value, str):
        at.fail(f"'category' must be a string, not {_type_name(value)}")
    if value in allowed:
        return Category(value)
    close = closest_category(value)
    if value == Category.UNCLASSIFIED.value or close is Category.UNCLASSIFIED:
        at.fail(
            "a rule cannot decide 'unclassified' (entries that no rule matches are)",
            hint="categories: " + ", ".join(allowed),
        )
    at.fail(
        f"unknown category '{value}'",
        hint=(f"did you mean '{close.value}'? " if close else "")
        + "categories: "
        + ", ".join(allowed),
    )


def parse_rules_text(text: str, *, origin: str) -> RuleFile:
    """Parse and validate the text of a rules file; ``origin`` names it in messages."""
    at = _Where(origin)
    try:
        data: Mapping[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at.fail(f"not valid TOML: {exc}")
    except RecursionError:
        at.fail("not valid TOML: arrays or tables nested too deeply")
    except ValueError as exc:  # e.g. an integer of thousands of digits
        at.fail(f"not valid TOML: {exc}".split(";")[0])
    for key in data:
        if key not in ("use_default_rules", "rule"):
            close = _closest(key, ["use_default_rules", "rule"])
            at.fail(
                f"unknown top-level key '{key}'",
                hint=(f"did you mean '{close}'? " if close else "")
                + "a rules file holds use_default_rules and [[rule]] tables",
            )
    use_defaults = data.get("use_default_rules", True)
    if not isinstance(use_defaults, bool):
        at.fail(f"'use_default_rules' must be true or false, not {_type_name(use_defaults)}")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        at.fail(
            f"'rule' must be an array of tables, not {_type_name(raw_rules)}",
            hint="write each rule as [[rule]], with double brackets",
        )
    rules: list[Rule] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_rules, 1):
        rule = _parse_rule(raw, origin, index)
        if rule.name in first_index:
            _Where(origin, index, rule.name).fail(
                f"duplicate name; rule #{first_index[rule.name]} is already called that",
                hint="rule names must be unique",
            )
        first_index[rule.name] = index
        rules.append(rule)
    return RuleFile(origin=origin, use_default_rules=use_defaults, rules=tuple(rules))


def read_rules_file(path: Path) -> RuleFile:
    """Read and validate the rules file at ``path`` (which must exist)."""
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{origin}: not UTF-8 text (bad byte at offset {exc.start})",
            hint="save the file as UTF-8",
        ) from exc
    return parse_rules_text(text, origin=origin)


def load_rules(user_file: Path | None) -> RuleSet:
    """The effective rules: ``user_file`` (if given and present) and the shipped defaults."""
    if user_file is None or not user_file.exists():
        return default_rules()
    return read_rules_file(user_file).ruleset()


def _package_text(name: str) -> str:
    return resources.files("leadtime.rules").joinpath(name).read_text(encoding="utf-8")


@cache
def default_rules() -> RuleSet:
    """The rule set shipped with leadtime (``default_rules.toml``)."""
    parsed = parse_rules_text(_package_text("default_rules.toml"), origin=DEFAULT_ORIGIN)
    return RuleSet.of(parsed.rules)


def starter_text() -> str:
    """A commented rules file for ``leadtime rules init``; it changes no classification."""
    return _package_text("starter.toml")


__all__ = [
    "ALL_RULE_KEYS",
    "CONDITION_KEYS",
    "DEFAULT_ORIGIN",
    "RuleFile",
    "closest_category",
    "compile_regex",
    "default_rules",
    "load_rules",
    "parse_rules_text",
    "read_rules_file",
    "starter_text",
]
