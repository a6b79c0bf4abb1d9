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

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from leadtime.entry import Category
from leadtime.errors import ConfigError
from leadtime.record import field, record
from leadtime.rules.conditions import Condition
from leadtime.rules.keys import (
    ALL_RULE_KEYS,
    CONDITIONS,
    RULE_CATEGORIES,
    RULE_KEYS,
    WORD_KEYS,
    Where,
    WordContext,
    Words,
    closest_key,
    compile_regex,
    type_name,
    vocabulary_value,
    words_condition,
)
from leadtime.rules.ruleset import Rule, RuleSet
from leadtime.rules.words import KnownKeys

DEFAULT_ORIGIN = "default"


@record
class RuleFile:
    """A parsed, valid rules file."""

    origin: str
    use_default_rules: bool
    rules: tuple[Rule, ...]
    words: dict[str, Words] = field(default_factory=dict)  # the file's [words.NAME] tables

    def ruleset(self) -> RuleSet:
        """The effective rule set: this file's rules, then the defaults not replaced."""
        if not self.use_default_rules:
            return RuleSet.of(self.rules)
        names = {r.name for r in self.rules}
        defaults = default_rules().rules
        replaced = [r.name for r in defaults if r.name in names]
        kept = [r for r in defaults if r.name not in names]
        return RuleSet.of((*self.rules, *kept), replaced_defaults=replaced)


# -- rules ----------------------------------------------------------------------------------


def _parse_rule(raw: object, origin: str, index: int, words: WordContext) -> Rule:
    at = Where(origin, index)
    if not isinstance(raw, dict):
        at.fail(f"must be a table, not {type_name(raw)}", hint="write each rule as [[rule]]")
    name = raw.get("name")
    if name is None:
        at.fail("missing required key 'name'")
    if not isinstance(name, str):
        at.fail(f"'name' must be a string, not {type_name(name)}")
    if not name.strip():
        at.fail("'name' is empty")
    at = Where(origin, index, name)

    for key in raw:
        if key not in RULE_KEYS and key not in CONDITIONS:
            close = closest_key(key, list(ALL_RULE_KEYS))
            at.fail(f"unknown key '{key}'", hint=f"did you mean '{close}'?" if close else None)

    category = _parse_category(at, raw.get("category"))
    activity = raw.get("activity")
    if activity is not None and not isinstance(activity, str):
        at.fail(f"'activity' must be a string, not {type_name(activity)}")
    if activity is not None and not activity.strip():
        at.fail("'activity' is empty", hint="leave the key out for no activity")

    conditions: list[Condition] = []
    for key, value in raw.items():
        if key.removeprefix("not_") in WORD_KEYS:
            conditions.append(words_condition(at, key, key.startswith("not_"), value, words))
        elif key in CONDITIONS:
            field_name, parse = CONDITIONS[key]
            conditions.append(parse(at, key, field_name, key.startswith("not_"), value))

    catch_all = raw.get("catch_all", False)
    if not isinstance(catch_all, bool):
        at.fail(f"'catch_all' must be true or false, not {type_name(catch_all)}")
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
    import difflib

    found = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if not found:
        found = difflib.get_close_matches(squashed, [n.replace("-", "") for n in names], 1, 0.6)
        found = [names[[n.replace("-", "") for n in names].index(found[0])]] if found else []
    return Category(found[0]) if found else None


def _parse_category(at: Where, value: object) -> Category:
    allowed = [c.value for c in RULE_CATEGORIES]
    if value is None:
        at.fail("missing required key 'category'", hint="category = " + " | ".join(allowed))
    if not isinstance(value, str):
        at.fail(f"'category' must be a string, not {type_name(value)}")
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
    at = Where(origin)
    from leadtime.config import read_toml

    try:
        data: Mapping[str, Any] = read_toml(text)
    except ValueError as exc:
        at.fail(str(exc))
    return parse_rules_data(data, origin=origin)


def parse_rules_data(
    data: Mapping[str, Any], *, origin: str, known: KnownKeys | None = None
) -> RuleFile:
    """Validate a parsed rules file. ``known`` holds precomputed keyword keys (the compiled
    default rules, already validated: their keywords are not checked again)."""
    at = Where(origin)
    for key in data:
        if key not in TOP_KEYS:
            close = closest_key(key, list(TOP_KEYS))
            at.fail(
                f"unknown top-level key '{key}'",
                hint=(f"did you mean '{close}'? " if close else "")
                + "a rules file holds use_default_rules, [words.NAME] tables and [[rule]] tables",
            )
    plain = WordContext(check=known is None)
    words = _parse_words(at, data.get("words", {}), plain)

    def named(name: str) -> Words | None:
        if name in words:
            return words[name]
        return None if origin == DEFAULT_ORIGIN else default_words().get(name)

    context = WordContext(named, known, known is None)

    use_defaults = data.get("use_default_rules", True)
    if not isinstance(use_defaults, bool):
        at.fail(f"'use_default_rules' must be true or false, not {type_name(use_defaults)}")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        at.fail(
            f"'rule' must be an array of tables, not {type_name(raw_rules)}",
            hint="write each rule as [[rule]], with double brackets",
        )
    rules: list[Rule] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raw_rules, 1):
        rule = _parse_rule(raw, origin, index, context)
        if rule.name in first_index:
            Where(origin, index, rule.name).fail(
                f"duplicate name; rule #{first_index[rule.name]} is already called that",
                hint="rule names must be unique",
            )
        first_index[rule.name] = index
        rules.append(rule)
    return RuleFile(origin, use_defaults, tuple(rules), words)


TOP_KEYS = ("use_default_rules", "words", "rule")


def _parse_words(at: Where, raw: object, context: WordContext) -> dict[str, Words]:
    """The ``[words.NAME]`` tables: keyword lists by language, that rules name as "@NAME"."""
    if not isinstance(raw, dict):
        at.fail(
            f"'words' must be a table of word lists, not {type_name(raw)}",
            hint='write [words.review] with en = ["review", ...]',
        )
    out: dict[str, Words] = {}
    for name, value in raw.items():
        if not isinstance(value, dict):
            at.fail(
                f"'words.{name}' must be a table of keywords by language, not {type_name(value)}",
                hint=f'[words.{name}] with en = ["...", ...], de = ["...", ...]',
            )
        out[name] = vocabulary_value(at, f"words.{name}", value, context)
    return out


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
    return Path(__file__).with_name(name).read_text(encoding="utf-8")


@cache
def _default_file() -> RuleFile:
    from leadtime.rules.compiled import load_compiled

    text = _package_text("default_rules.toml")
    compiled = load_compiled(text)
    if compiled is None:  # not built, or built from another version of the file
        return parse_rules_text(text, origin=DEFAULT_ORIGIN)
    data, known = compiled
    return parse_rules_data(data, origin=DEFAULT_ORIGIN, known=known)


@cache
def default_rules() -> RuleSet:
    """The rule set shipped with leadtime (``default_rules.toml``)."""
    return RuleSet.of(_default_file().rules)


def default_words() -> dict[str, Words]:
    """The shipped word lists (``[words.NAME]`` of ``default_rules.toml``), by name."""
    return _default_file().words


def starter_text() -> str:
    """A commented rules file for ``leadtime rules init``; it changes no classification."""
    return _package_text("starter.toml")


__all__ = [
    "ALL_RULE_KEYS",
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
