"""The keys of a ``[[rule]]``: how each condition's value is read, checked and compiled.

Every problem raises :class:`~leadtime.errors.ConfigError` through :class:`Where`, which
names the file, the rule (position and name) and the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import NoReturn

from leadtime.entry import Category, Origin
from leadtime.errors import ConfigError
from leadtime.record import field as record_field
from leadtime.record import record
from leadtime.rules.conditions import (
    Actions,
    ChoiceCondition,
    CompareCondition,
    Condition,
    EndCondition,
    HeadCondition,
    KeywordCondition,
    RegexCondition,
    Searcher,
    StartCondition,
    TagCondition,
    WordsCondition,
)
from leadtime.rules.text import LANGUAGE_NAMES
from leadtime.rules.words import KnownKeys, Vocabulary
from leadtime.units import WEEKDAY_NAMES, WEEKDAYS, read_duration

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


# -- messages --------------------------------------------------------------------------------


def type_name(value: object) -> str:
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


def closest_key(word: str, choices: list[str]) -> str | None:
    if word in _ALIASES and _ALIASES[word] in choices:
        return _ALIASES[word]
    if word.startswith("not_") and word[4:] in _ALIASES and "not_" + _ALIASES[word[4:]] in choices:
        return "not_" + _ALIASES[word[4:]]
    import difflib

    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


@record
class Where:
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


def _strings(at: Where, key: str, value: object, what: str) -> list[str]:
    """A string or a non-empty array of non-empty strings."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        at.fail(f"'{key}' must be a string or an array of strings, not {type_name(value)}")
    if not items:
        at.fail(f"'{key}' is an empty array; list at least one {what}")
    out: list[str] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, str):
            at.fail(f"'{key}' item {n} must be a string, not {type_name(item)}")
        if not item.strip():
            at.fail(f"'{key}' item {n} is empty")
        out.append(item.strip())
    return out


def _keywords(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
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


def _regex(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    if not isinstance(value, str):
        hint = "one regular expression; use | for alternatives" if isinstance(value, list) else None
        at.fail(f"'{key}' must be a string, not {type_name(value)}", hint=hint)
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


Words = dict[str | None, list[str]]


@record
class WordContext:
    """What word conditions are read with: the ``[words.NAME]`` lists a rule may name, the
    precomputed keys of the compiled default rules, and whether keywords need checking."""

    named: Callable[[str], Words | None] = lambda name: None
    known: KnownKeys | None = None
    check: bool = True
    shared: dict[str, Vocabulary] = record_field(default_factory=dict)  # "@name" -> it


def vocabulary_value(at: Where, key: str, value: object, context: WordContext) -> Words:
    """Keywords for every language (a string or an array), by language (a table such as
    ``{ en = [...], de = [...] }``), or ``"@name"`` for a ``[words.name]`` table."""
    if isinstance(value, dict):
        out: Words = {}
        for language, keywords in value.items():
            if language not in LANGUAGE_NAMES:
                close = closest_key(language, list(LANGUAGE_NAMES))
                at.fail(
                    f"'{key}' has unknown language '{language}'",
                    hint=(f"did you mean '{close}'? " if close else "")
                    + "languages: "
                    + ", ".join(LANGUAGE_NAMES),
                )
            out.setdefault(language, []).extend(
                _word_list(at, f"{key}.{language}", keywords, context.check)
            )
        if not any(out.values()):
            at.fail(f"'{key}' is an empty table; list at least one keyword")
        return out
    out = {}
    for item in _strings(at, key, value, "keyword"):
        if item.startswith("@"):
            found = context.named(item[1:])
            if found is None:
                at.fail(
                    f"'{key}' names no word list \"{item}\"",
                    hint="define it as a [words.NAME] table, by language",
                )
            for language, keywords in found.items():
                out.setdefault(language, []).extend(keywords)
        else:
            out.setdefault(None, []).extend(_word_list(at, key, [item], context.check))
    return out


def _word_list(at: Where, key: str, value: object, check: bool) -> list[str]:
    if not check and isinstance(value, list):
        return value
    from leadtime.rules.text import keyword_tokens

    words = _strings(at, key, value, "keyword")
    for word in words:
        if not keyword_tokens(word):
            at.fail(f"'{key}' keyword \"{word}\" has no letters or digits")
    return words


def words_condition(
    at: Where, key: str, negate: bool, value: object, context: WordContext
) -> Condition:
    """A ``title_words``, ``title_start`` or ``title_head`` condition."""
    if isinstance(value, str) and value.startswith("@") and value in context.shared:
        vocabulary = context.shared[value]  # one vocabulary per word list, however often named
    else:
        vocabulary = Vocabulary.of(vocabulary_value(at, key, value, context), context.known)
        if isinstance(value, str) and value.startswith("@"):
            context.shared[value] = vocabulary
    kind = key.removeprefix("not_")
    if kind == "title_head":
        return HeadCondition(key, "title", negate, vocabulary, Actions(vocabulary))
    if kind == "title_start":
        return StartCondition(key, "title", negate, vocabulary)
    if kind == "title_end":
        return EndCondition(key, "title", negate, vocabulary)
    return WordsCondition(key, "title", negate, vocabulary)


def _tags(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    tags = tuple(dict.fromkeys(t.casefold() for t in _strings(at, key, value, "tag")))
    return TagCondition(key, field, negate, tags)


def _source(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    valid = [o.value for o in Origin]
    chosen: list[str | int] = []
    for item in _strings(at, key, value, "source"):
        if item.lower() not in valid:
            close = closest_key(item.lower(), valid)
            at.fail(
                f"'{key}' has unknown source \"{item}\"",
                hint=(f"did you mean '{close}'? " if close else "")
                + "sources: "
                + ", ".join(valid),
            )
        chosen.append(item.lower())
    return ChoiceCondition(key, field, negate, tuple(dict.fromkeys(chosen)))


def _weekday(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
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
    at: Where,
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
        at.fail(f"'{key}' must be a comparison string such as {examples}, not {type_name(value)}")
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


def _attendees(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    return _comparison(at, key, field, negate, value, _parse_count, '">= 2", "== 1" or "2..5"')


def _duration(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    return _comparison(
        at, key, field, negate, value, _parse_duration, '"< 30m", ">= 1h" or "15m..45m"'
    )


_Parser = Callable[[Where, str, str, bool, object], Condition]

# Conditions on the title's words in any form and language; parsed with the file's
# [words] tables (see :func:`words_condition`).
WORD_KEYS = ("title_words", "title_start", "title_end", "title_head")


def _needs_words(at: Where, key: str, field: str, negate: bool, value: object) -> Condition:
    return words_condition(at, key, negate, value, WordContext())


def _condition_table() -> dict[str, tuple[str, _Parser]]:
    table: dict[str, tuple[str, _Parser]] = {}
    for key, field in TEXT_KEYS.items():
        table[key] = (field, _keywords)
        table[key + "_regex"] = (field, _regex)
    for key in WORD_KEYS:
        table[key] = ("title", _needs_words)
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
