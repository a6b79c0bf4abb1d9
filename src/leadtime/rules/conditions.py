"""Conditions: the tests a rule is made of, and whole-word keyword matching.

Text keywords match whole words, case-insensitively. Text is split into words at every
character that is not a letter or a digit, and a keyword (itself split the same way)
matches when its words appear consecutively. So ``"pull request"`` matches
``"Pull-Request"`` while ``"PR"`` matches neither ``"PRD"`` nor ``"PRs"`` and ``"review"``
does not match ``"reviewer"``.

Numbers are stricter, because titles are full of version numbers, scores and dates: where
a keyword joins two numbers (``"1:1"``, ``"1-1"``), the text must join them with exactly one
``:`` or ``-``, and a keyword that starts or ends with a number does not match inside a
longer run of numbers, dots or brackets. So ``"1:1"`` matches ``"1:1 Sam"`` and
``"Dana / Lee 1-1"`` but not ``"Prototype 1.1 parser"``, ``"build 2.1.1"``, ``"(1-1)"`` or
``"Chivas 1 - 1 Barça"``.

User regular expressions run on RE2 (linear time, no catastrophic backtracking); keyword
patterns are generated here from escaped literals and run on the standard library.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, Self

from leadtime.record import field as record_field
from leadtime.record import record, replace
from leadtime.rules.text import Title, analyse
from leadtime.rules.words import Span, Vocabulary, head_of
from leadtime.units import WEEKDAYS, format_duration

if TYPE_CHECKING:
    from leadtime.rules.ruleset import Features

_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits (Unicode)
_SEP = r"[\W_]+"  # a run of anything else
_NUMBER_SEP = r"[:\-]"  # what may join two numbers of a keyword ("1:1", "1-1")
_NOT_AFTER_ALNUM = r"(?<![^\W_])"
_NOT_BEFORE_ALNUM = r"(?![^\W_])"
# Around a keyword that starts or ends with a digit: no digit run, dotted version, score or
# bracket may continue it ("2.1.1", "(1-1)", "1:1:1"); a full stop at the end is fine.
_NUMBER_BEFORE = r"(?<![^\W_])(?<!\()(?<!\d[.,:/\-])"
_NUMBER_AFTER = r"(?![^\W_])(?!\))(?![.,:/\-]\d)"
_LIST_SHOWN = 6  # how many keywords a description quotes before "and N more"


def words_of(text: str) -> tuple[str, ...]:
    """The lower-case words of ``text`` as whole-word matching sees them."""
    return tuple(w.lower() for w in _WORD.findall(text))


def _keyword_body(words: Sequence[str]) -> str:
    out = ""
    for i, word in enumerate(words):
        if i:
            numeric = words[i - 1][-1].isdigit() and word[0].isdigit()
            out += _NUMBER_SEP if numeric else _SEP
        out += re.escape(word)
    return out


def keywords_pattern(keywords: Iterable[Sequence[str]]) -> str:
    """One regular expression (standard library syntax) for keywords given as word lists.

    Keywords that start and end with a letter share one pair of word boundaries, which
    keeps the pattern fast; those that start or end with a number get their own.
    """
    plain: list[str] = []
    numeric: list[str] = []
    for words in keywords:
        body = _keyword_body(words)
        starts, ends = words[0][0].isdigit(), words[-1][-1].isdigit()
        if not (starts or ends):
            plain.append(body)
            continue
        before = _NUMBER_BEFORE if starts else _NOT_AFTER_ALNUM
        after = _NUMBER_AFTER if ends else _NOT_BEFORE_ALNUM
        numeric.append(before + body + after)
    # Longest first, so that the reported keyword is the most specific one.
    plain.sort(key=len, reverse=True)
    numeric.sort(key=len, reverse=True)
    alternatives = numeric
    if plain:
        alternatives = [_NOT_AFTER_ALNUM + "(?:" + "|".join(plain) + ")" + _NOT_BEFORE_ALNUM]
        alternatives += numeric
    return "|".join(alternatives)


def _quoted(values: Sequence[str], joiner: str = ", ") -> str:
    shown = [f'"{v}"' for v in values[:_LIST_SHOWN]]
    more = len(values) - len(shown)
    return joiner.join(shown) + (f" and {more} more" if more > 0 else "")


def _or_list(values: Sequence[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


class Match(Protocol):
    """What the engine uses of a match, from ``re`` or ``re2``."""

    def group(self) -> str: ...


class Searcher(Protocol):
    """A compiled pattern, from ``re`` or ``re2``."""

    def search(self, text: str) -> Match | None: ...


@record
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
        return getattr(f, self.field)

    def _text(self, f: Features) -> str:
        """The tested field as text ("" where the entry has none)."""
        return self._value(f) or ""

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


@record
class KeywordCondition(Condition):
    """Any of ``keywords`` appears as whole words (``title = [...]``)."""

    keywords: tuple[str, ...]  # as written, lower-cased
    by_words: dict[tuple[str, ...], str] = record_field(compare=False, repr=False)

    @classmethod
    def build(cls, key: str, field_name: str, negate: bool, keywords: Sequence[str]) -> Self:
        """The condition for ``keywords`` (each with at least one letter or digit)."""
        lowered = tuple(dict.fromkeys(k.strip().lower() for k in keywords))
        return cls(key, field_name, negate, lowered, {words_of(k): k for k in lowered})

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """The keywords as one pattern, compiled when a rule first reaches this condition:
        a command that classifies one entry compiles only the rules it tries."""
        return re.compile(keywords_pattern(self.by_words), re.IGNORECASE)

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


@record
class RegexCondition(Condition):
    """A case-insensitive RE2 regular expression search (``title_regex = "..."``)."""

    source: str
    pattern: Searcher = record_field(compare=False, repr=False)

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


@record
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


@record
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


@record
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


def _shown(title: Title, span: Span) -> str:
    """The title words a span covers, as the title has them (lower case)."""
    if span.phrase.cjk:
        return span.phrase.cjk
    return " ".join(title.words[span.start : span.end])


def _as_written(span: Span, title: Title) -> str:
    keyword = span.phrase.text.lower()
    shown = _shown(title, span)
    return f'"{keyword}"' if shown == keyword else f'"{keyword}" (as "{shown}")'


@record
class WordsCondition(Condition):
    """Any form of any keyword appears in the cleaned title (``title_words = [...]``)."""

    vocabulary: Vocabulary

    def _positive(self, f: Features) -> bool:
        return self.vocabulary.present(analyse(self._text(f)))

    def _describe(self, f: Features, positive: bool) -> str:
        title = analyse(self._text(f))
        span = self.vocabulary.first(title)
        if span is None:
            return f"{self.label} has no form of {_quoted(self.vocabulary.keywords())}"
        return f"{self.label} has {_as_written(span, title)}"

    def summary(self) -> str:
        """E.g. ``title has any form of "interview", "hiring"``."""
        which = "no" if self.negate else "any"
        return f"{self.label} has {which} form of {_quoted(self.vocabulary.keywords())}"

    def canonical(self) -> list[Any]:
        """Key and the keywords by language."""
        return [self.key, _canonical_vocabulary(self.vocabulary)]


@record
class StartCondition(Condition):
    """A part of the title starts with any form of a keyword (``title_start = [...]``):
    "Implement ...", "Payments: debug ..."."""

    vocabulary: Vocabulary

    @property
    def label(self) -> str:
        return "title"

    def _positive(self, f: Features) -> bool:
        return self.vocabulary.at_start(analyse(self._text(f))) is not None

    def _describe(self, f: Features, positive: bool) -> str:
        title = analyse(self._text(f))
        span = self.vocabulary.at_start(title)
        if span is None:
            return f"title starts with none of {_quoted(self.vocabulary.keywords())}"
        return f"title starts with {_as_written(span, title)}"

    def summary(self) -> str:
        """E.g. ``title starts with any form of "implement", "debug"``."""
        which = "no" if self.negate else "any"
        return f"title starts with {which} form of {_quoted(self.vocabulary.keywords())}"

    def canonical(self) -> list[Any]:
        """Key and the keywords by language."""
        return [self.key, _canonical_vocabulary(self.vocabulary)]


@record
class EndCondition(Condition):
    """The first part of the title ends with any form of a keyword (``title_end = [...]``):
    the verb of a German or Dutch title ("Review-Bot implementieren")."""

    vocabulary: Vocabulary

    @property
    def label(self) -> str:
        return "title"

    def _positive(self, f: Features) -> bool:
        return self.vocabulary.at_end(analyse(self._text(f))) is not None

    def _describe(self, f: Features, positive: bool) -> str:
        title = analyse(self._text(f))
        span = self.vocabulary.at_end(title)
        if span is None:
            return f"title ends with none of {_quoted(self.vocabulary.keywords())}"
        return f"title ends with {_as_written(span, title)}"

    def summary(self) -> str:
        """E.g. ``title ends with any form of "implementieren"``."""
        which = "no" if self.negate else "any"
        return f"title ends with {which} form of {_quoted(self.vocabulary.keywords())}"

    def canonical(self) -> list[Any]:
        """Key and the keywords by language."""
        return [self.key, _canonical_vocabulary(self.vocabulary)]


class Actions:
    """The actions of a rule set: every ``title_head`` keyword of its rules, from which
    the head of a title is found. Shared by the rule set's head conditions."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._heads: dict[str, Span | None] = {}

    def head(self, text: str) -> tuple[Title, Span | None]:
        title = analyse(text)
        try:
            return title, self._heads[text]
        except KeyError:
            if len(self._heads) > _HEAD_CACHE:
                self._heads.clear()
            found = self._heads[text] = head_of(title, self.vocabulary)
            return title, found


_HEAD_CACHE = 65_536


@record
class HeadCondition(Condition):
    """The title's head — its leading action — is any form of a keyword
    (``title_head = [...]``); see :func:`leadtime.rules.words.head_of`."""

    vocabulary: Vocabulary
    actions: Actions = record_field(compare=False, repr=False)

    @property
    def label(self) -> str:
        return "title"

    def bound(self, actions: Actions) -> HeadCondition:
        """This condition, finding heads with a rule set's ``actions``."""
        return replace(self, actions=actions)

    def _positive(self, f: Features) -> bool:
        title, head = self.actions.head(self._text(f))
        return head is not None and self.vocabulary.matches(title, head) is not None

    def _describe(self, f: Features, positive: bool) -> str:
        title, head = self.actions.head(self._text(f))
        if head is None:
            return "title has no leading action"
        if positive:
            return f"title's head is {_as_written(head, title)}"
        listed = _quoted(self.vocabulary.keywords())
        return f'title\'s head is "{_shown(title, head)}", none of {listed}'

    def summary(self) -> str:
        """E.g. ``title's head is any form of "implement", "debug"``."""
        which = "no" if self.negate else "any"
        return f"title's head is {which} form of {_quoted(self.vocabulary.keywords())}"

    def canonical(self) -> list[Any]:
        """Key and the keywords by language."""
        return [self.key, _canonical_vocabulary(self.vocabulary)]


def _canonical_vocabulary(vocabulary: Vocabulary) -> str:
    """A digest of the keywords by language (their order does not matter)."""
    return vocabulary.digest
