"""The pure rules engine: conditions, rules, first-match classification and explanations.

Nothing here reads files, the database or the clock. :mod:`leadtime.rules.schema` turns a
``rules.toml`` into the objects defined here; the store feeds :class:`Features` in and gets
:class:`~leadtime.entry.Classification` values back.

Text keywords match whole words, case-insensitively. Text is split into words at every
character that is not a letter or a digit, and a keyword (itself split the same way)
matches when its words appear consecutively. So ``"pull request"`` matches
``"Pull-Request"``, ``"1:1"`` matches ``"1:1"``, ``"1-1"`` and ``"1 1"``, while ``"PR"``
matches neither ``"PRD"`` nor ``"PRs"`` and ``"review"`` does not match ``"reviewer"``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leadtime.entry import UNCLASSIFIED, Category, Classification, Entry
from leadtime.errors import ConfigError
from leadtime.units import WEEKDAYS, format_duration

# Bump when the meaning of a rule changes in code (matching semantics), so that a stored
# fingerprint no longer matches and the store re-classifies.
ENGINE_VERSION = 1


_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits (Unicode)
_SEP = r"[\W_]+"  # a run of anything else
_NOT_AFTER_ALNUM = r"(?<![^\W_])"
_NOT_BEFORE_ALNUM = r"(?![^\W_])"
_LIST_SHOWN = 6  # how many keywords a description quotes before "and N more"
_CACHE_LIMIT = 200_000  # memoised decisions kept per rule set before the memo starts over


class Features(NamedTuple):
    """What the engine may look at in an entry. Built by the store from stored rows."""

    title: str
    note: str
    location: str
    tags: tuple[str, ...]
    calendar: str | None
    origin: str  # "log" | "timer" | "ics"
    organizer: str | None
    attendees: int
    minutes: float
    weekday: int  # 0 = Monday, in the user's time zone


_FIELD_INDEX = {name: i for i, name in enumerate(Features._fields)}


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"unknown time zone '{name}'", hint="use an IANA name such as 'Europe/Berlin'"
        ) from exc


def features_of(entry: Entry, tz: str) -> Features:
    """Features of ``entry``; the weekday is that of its start in the time zone ``tz``."""
    weekday = entry.start.astimezone(_zone(tz)).weekday()
    return Features(
        title=entry.title,
        note=entry.note,
        location=entry.location,
        tags=entry.tags,
        calendar=entry.calendar,
        origin=str(entry.origin),
        organizer=entry.organizer,
        attendees=entry.attendees,
        minutes=entry.minutes,
        weekday=weekday,
    )


def words_of(text: str) -> tuple[str, ...]:
    """The lower-case words of ``text`` as whole-word matching sees them."""
    return tuple(w.lower() for w in _WORD.findall(text))


def _quoted(values: Sequence[str], joiner: str = ", ") -> str:
    shown = [f'"{v}"' for v in values[:_LIST_SHOWN]]
    more = len(values) - len(shown)
    return joiner.join(shown) + (f" and {more} more" if more > 0 else "")


def _or_list(values: Sequence[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


# -- conditions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition(ABC):
    """One test of a rule. ``key`` is the key as written in the file (``not_title``)."""

    key: str
    field: str  # the Features field it reads
    negate: bool

    @property
    def label(self) -> str:
        """The tested field as the rules file names it (``description``, ``source``...)."""
        return self.key.removeprefix("not_").removesuffix("_regex")

    def _value(self, f: Features) -> Any:
        return f[_FIELD_INDEX[self.field]]

    def holds(self, f: Features) -> bool:
        """Whether the condition holds for ``f`` (negation applied)."""
        return self._positive(f) != self.negate

    def describe(self, f: Features) -> str:
        """Why the condition holds or fails for ``f``, in a few words."""
        positive = self._positive(f)
        text = self._describe(f, positive)
        if self.negate and positive:
            text += f" (excluded by {self.key})"
        return text

    @abstractmethod
    def _positive(self, f: Features) -> bool: ...

    @abstractmethod
    def _describe(self, f: Features, positive: bool) -> str: ...

    @abstractmethod
    def summary(self) -> str:
        """The condition in a few words, independent of any entry."""

    @abstractmethod
    def canonical(self) -> list[Any]:
        """A JSON-able form that is equal for two conditions iff they test the same thing."""


@dataclass(frozen=True)
class KeywordCondition(Condition):
    """Any of ``keywords`` appears as whole words (``title = [...]``)."""

    keywords: tuple[str, ...]  # as written, lower-cased
    pattern: re.Pattern[str] = dataclasses.field(compare=False, repr=False)
    by_words: dict[tuple[str, ...], str] = dataclasses.field(compare=False, repr=False)

    @classmethod
    def build(cls, key: str, field_name: str, negate: bool, keywords: Sequence[str]) -> Self:
        """Compile ``keywords`` (each with at least one letter or digit) into one pattern."""
        lowered = tuple(dict.fromkeys(k.strip().lower() for k in keywords))
        by_words = {words_of(k): k for k in lowered}
        alternatives = sorted(
            (_SEP.join(re.escape(w) for w in words) for words in by_words),
            key=len,
            reverse=True,
        )
        pattern = re.compile(
            _NOT_AFTER_ALNUM + "(?:" + "|".join(alternatives) + ")" + _NOT_BEFORE_ALNUM,
            re.IGNORECASE,
        )
        return cls(key, field_name, negate, lowered, pattern, by_words)

    def _text(self, f: Features) -> str:
        return self._value(f) or ""

    def _positive(self, f: Features) -> bool:
        return self.pattern.search(self._text(f)) is not None

    def _describe(self, f: Features, positive: bool) -> str:
        match = self.pattern.search(self._text(f))
        if match is None:
            return f"{self.label} has none of {_quoted(self.keywords)}"
        keyword = self.by_words.get(words_of(match.group()), match.group())
        return f'{self.label} has "{keyword}"'

    def summary(self) -> str:
        """E.g. ``title has any of "review", "pr"``."""
        which = "none" if self.negate else "any"
        return f"{self.label} has {which} of {_quoted(self.keywords)}"

    def canonical(self) -> list[Any]:
        """Key and the sorted keyword word-lists."""
        return [self.key, sorted(" ".join(w) for w in self.by_words)]


@dataclass(frozen=True)
class RegexCondition(Condition):
    """A case-insensitive regular expression search (``title_regex = "..."``)."""

    source: str
    pattern: re.Pattern[str] = dataclasses.field(compare=False, repr=False)

    def _text(self, f: Features) -> str:
        return self._value(f) or ""

    def _positive(self, f: Features) -> bool:
        return self.pattern.search(self._text(f)) is not None

    def _describe(self, f: Features, positive: bool) -> str:
        match = self.pattern.search(self._text(f))
        if match is None:
            return f"{self.label} does not match /{self.source}/"
        return f'{self.label} matches /{self.source}/ at "{match.group()}"'

    def summary(self) -> str:
        """E.g. ``title matches /^inc-\\d+/``."""
        verb = "does not match" if self.negate else "matches"
        return f"{self.label} {verb} /{self.source}/"

    def canonical(self) -> list[Any]:
        """Key and pattern."""
        return [self.key, self.source]


@dataclass(frozen=True)
class TagCondition(Condition):
    """The entry has any of ``tags`` (case-insensitive, exact)."""

    tags: tuple[str, ...]  # casefolded, in file order

    def _positive(self, f: Features) -> bool:
        return any(t.casefold() in self.tags for t in f.tags)

    def _describe(self, f: Features, positive: bool) -> str:
        found = [t for t in f.tags if t.casefold() in self.tags]
        if found:
            return f'tags include "{found[0]}"'
        return f"tags include none of {_quoted(self.tags)}"

    def summary(self) -> str:
        """E.g. ``tags include any of "review"``."""
        which = "none" if self.negate else "any"
        return f"tags include {which} of {_quoted(self.tags)}"

    def canonical(self) -> list[Any]:
        """Key and the sorted tags."""
        return [self.key, sorted(self.tags)]


@dataclass(frozen=True)
class ChoiceCondition(Condition):
    """A field with few values is one of ``choices`` (``source``, ``weekday``)."""

    choices: tuple[str | int, ...]

    def _show(self, value: object) -> str:
        if self.field == "weekday" and isinstance(value, int):
            return WEEKDAYS[value].capitalize()
        return str(value)

    def _positive(self, f: Features) -> bool:
        return self._value(f) in self.choices

    def _describe(self, f: Features, positive: bool) -> str:
        value = self._value(f)
        if positive:
            return f"{self.label} is {self._show(value)}"
        return f"{self.label} is {self._show(value)}, not {self._choices_text()}"

    def _choices_text(self) -> str:
        return _or_list([self._show(c) for c in self.choices])

    def summary(self) -> str:
        """E.g. ``weekday is Mon or Fri``."""
        verb = "is not" if self.negate else "is"
        return f"{self.label} {verb} {self._choices_text()}"

    def canonical(self) -> list[Any]:
        """Key and the sorted choices."""
        return [self.key, sorted(self.choices, key=str)]


@dataclass(frozen=True)
class CompareCondition(Condition):
    """A number compared with a bound (``attendees = ">= 2"``, ``duration = "< 30m"``).

    ``op`` is one of ``< <= > >= == !=`` or ``..`` (inclusive range ``low..high``).
    """

    op: str
    low: float
    high: float | None = None  # only for ".."

    def _show(self, value: float) -> str:
        return format_duration(value) if self.field == "minutes" else f"{value:g}"

    def _positive(self, f: Features) -> bool:
        value: float = self._value(f)
        return _COMPARE[self.op](value, self.low, self.high)

    def _bound(self) -> str:
        if self.op == "..":
            assert self.high is not None
            return f"{self._show(self.low)}..{self._show(self.high)}"
        return f"{self.op} {self._show(self.low)}"

    def _describe(self, f: Features, positive: bool) -> str:
        verb = "is" if positive else "is not"
        return f"{self.label} {self._show(self._value(f))} {verb} {self._bound()}"

    def summary(self) -> str:
        """E.g. ``attendees >= 2`` or ``not duration < 30m``."""
        return ("not " if self.negate else "") + f"{self.label} {self._bound()}"

    def canonical(self) -> list[Any]:
        """Key, operator and bounds."""
        return [self.key, self.op, self.low, self.high]


_COMPARE: dict[str, Callable[[float, float, float | None], bool]] = {
    "<": lambda v, a, _: v < a,
    "<=": lambda v, a, _: v <= a,
    ">": lambda v, a, _: v > a,
    ">=": lambda v, a, _: v >= a,
    "==": lambda v, a, _: v == a,
    "!=": lambda v, a, _: v != a,
    "..": lambda v, a, b: a <= v <= (b if b is not None else a),
}
COMPARE_OPS = tuple(_COMPARE)


# -- rules and rule sets -------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One ``[[rule]]``: all ``conditions`` must hold; none at all means a catch-all."""

    name: str
    category: Category
    activity: str | None
    origin: str  # the rules file's path, or "default"
    index: int  # 1-based position in its file
    conditions: tuple[Condition, ...]

    @property
    def classification(self) -> Classification:
        """What this rule decides when it matches."""
        return Classification(self.category, self.activity, self.name)

    @property
    def where(self) -> str:
        """``rule #3 "code-review" (default)``: where the rule comes from, for messages."""
        return f'rule #{self.index} "{self.name}" ({self.origin})'

    def describe(self) -> list[str]:
        """The rule's conditions in a few words each."""
        return [c.summary() for c in self.conditions] or ["catch-all: matches every entry"]

    def first_failure(self, f: Features) -> Condition | None:
        """The first condition (in file order) that does not hold for ``f``, if any."""
        for condition in self.conditions:
            if not condition.holds(f):
                return condition
        return None

    def matches(self, f: Features) -> bool:
        """Whether every condition holds for ``f``."""
        return all(c.holds(f) for c in self.conditions)

    def canonical(self) -> list[Any]:
        """A JSON-able form of what the rule decides and when."""
        return [
            self.name,
            str(self.category),
            self.activity,
            sorted((c.canonical() for c in self.conditions), key=json.dumps),
        ]


@dataclass(frozen=True)
class Miss:
    """A rule tried before the deciding one, and the first condition that failed."""

    rule: Rule
    failed: str


@dataclass(frozen=True)
class Explanation:
    """Why an entry got its classification."""

    classification: Classification
    rule: Rule | None  # None: no rule matched
    matched: tuple[str, ...]  # the deciding rule's conditions, as they held
    tried: tuple[Miss, ...]  # every rule tried before it, in order


def fingerprint_of(rules: Sequence[Rule]) -> str:
    """A stable hash that changes iff the classification of some entry could change."""
    payload = json.dumps(
        [ENGINE_VERSION, [r.canonical() for r in rules]], separators=(",", ":"), sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


_Step = tuple[tuple[Callable[[Features], bool], ...], Classification]


@dataclass(frozen=True)
class RuleSet:
    """The effective rules, in the order they are tried. Build with :meth:`of`."""

    rules: tuple[Rule, ...]
    fingerprint: str
    replaced_defaults: tuple[str, ...] = ()  # default rules a user rule of that name replaced
    _cache: dict[Any, Classification] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _plan: tuple[tuple[tuple[Callable[[Features], bool], ...], Classification], ...] = (
        dataclasses.field(default=(), init=False, repr=False, compare=False, hash=False)
    )

    def __post_init__(self) -> None:
        plan = tuple((tuple(c.holds for c in r.conditions), r.classification) for r in self.rules)
        object.__setattr__(self, "_plan", plan)

    @classmethod
    def of(cls, rules: Iterable[Rule], *, replaced_defaults: Iterable[str] = ()) -> RuleSet:
        """A rule set over ``rules`` (names must be unique) with its fingerprint."""
        ordered = tuple(rules)
        names = [r.name for r in ordered]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique within a rule set")
        return cls(ordered, fingerprint_of(ordered), tuple(replaced_defaults))

    @property
    def fields(self) -> tuple[str, ...]:
        """The Features fields some rule reads (what the memo is keyed on)."""
        used = {c.field for r in self.rules for c in r.conditions}
        return tuple(name for name in Features._fields if name in used)

    def rule(self, name: str) -> Rule | None:
        """The rule called ``name``, if any."""
        return next((r for r in self.rules if r.name == name), None)

    def _decide(self, f: Features) -> Classification:
        for tests, result in self._plan:
            for test in tests:
                if not test(f):
                    break
            else:
                return result
        return UNCLASSIFIED

    def classify(self, f: Features) -> Classification:
        """The classification by the first matching rule; ``UNCLASSIFIED`` if none matches."""
        return self.classify_many((f,))[0]

    def classify_many(self, fs: Iterable[Features]) -> list[Classification]:
        """``[classify(f) for f in fs]``, memoised on the fields the rules read."""
        indices = [_FIELD_INDEX[name] for name in self.fields]
        if not indices:  # only catch-alls, or no rules: the same answer for everything
            constant = self._plan[0][1] if self._plan else UNCLASSIFIED
            return [constant for _ in fs]
        key_of: Callable[[Features], Any] = itemgetter(*indices)
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        decide = self._decide
        out: list[Classification] = []
        append = out.append
        get = cache.get
        for f in fs:
            key = key_of(f)
            decided = get(key)
            if decided is None:
                decided = cache[key] = decide(f)
            append(decided)
        return out

    def explain(self, f: Features) -> Explanation:
        """The deciding rule and its conditions, and the first failing test of each rule
        tried before it."""
        tried: list[Miss] = []
        for rule in self.rules:
            failed = rule.first_failure(f)
            if failed is None:
                matched = tuple(c.describe(f) for c in rule.conditions)
                return Explanation(
                    rule.classification, rule, matched or ("matches every entry",), tuple(tried)
                )
            tried.append(Miss(rule, failed.describe(f)))
        return Explanation(UNCLASSIFIED, None, (), tuple(tried))


# -- coverage suggestions -----------------------------------------------------------------

# Words that say little about what a meeting is; left out of suggested keywords.
_FILLER_WORDS = """
    a an the and or with w for of on in at to from by about re fw fwd aw wg via vs x
    my our your me we us i you his her their
    weekly daily monthly biweekly quarterly meeting meetings call calls chat session
    invitation invite updated canceled cancelled new
    und mit fuer für der die das den dem ein eine zu im am von
    le la les un une avec pour de du des et au aux en sur
"""
_STOPWORDS = frozenset(_FILLER_WORDS.split())
_PHRASE_WORDS = 4


def _toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def _significant(word: str) -> bool:
    return word not in _STOPWORDS and not word.isdigit()


def suggest_rule(title: str, minutes: float, *, category: Category | None = None) -> str:
    """A ``[[rule]]`` snippet that matches ``title``, to paste into ``rules.toml``.

    The rule tests the title's distinctive words as one phrase (leading and trailing filler
    words and numbers dropped). Without ``category`` the category is a placeholder the user
    must replace: the snippet is refused until they do.
    """
    words = list(words_of(title))
    keep = [i for i, w in enumerate(words) if _significant(w)]
    if keep:
        core = words[keep[0] : keep[-1] + 1][:_PHRASE_WORDS]
        while not _significant(core[-1]):
            core.pop()
        distinctive = [w for w in words if _significant(w)]
    else:
        core = [w for w in words if not w.isdigit()][:_PHRASE_WORDS] or words[:_PHRASE_WORDS]
        distinctive = []
    if core:
        name = "-".join(core)
        test = f"title = [{_toml_string(' '.join(core))}]"
    else:
        name = "untitled"
        exact = r"^\s*" + re.escape(title.strip()) + r"\s*$"
        test = f"title_regex = {_toml_string(exact)}"
    broader = [w for w in dict.fromkeys(distinctive) if w not in core or len(core) > 1]
    lines = [
        f"# {format_duration(round(minutes, 1))} unclassified: {title.strip()!r}",
        "[[rule]]",
        f"name = {_toml_string(name)}",
    ]
    if category is None:
        lines.append('category = "?"  # choose: leadership | hands-on | other')
    else:
        lines.append(f"category = {_toml_string(str(category))}")
    lines.append(f"activity = {_toml_string(core[0] if core else 'untitled')}  # optional label")
    if len(broader) > 1:
        lines.append(f"{test}  # broader: title = [{', '.join(map(_toml_string, broader))}]")
    else:
        lines.append(test)
    return "\n".join(lines) + "\n"
