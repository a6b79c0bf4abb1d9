"""Vocabularies: words and phrases matched in any of their forms, in any language.

A :class:`Vocabulary` is what a ``title_words``, ``title_head`` or ``title_start``
condition holds: keywords, each tagged with its language (or with none: every language),
turned into comparison keys by :mod:`leadtime.rules.text`. A keyword matches a run of
title words when each of its words shares a key with the title word at that place, so
``"write test"`` matches "Writing tests" and ``"reunião"`` matches "Reuniões".

The head of a title (:func:`head_of`) is found with the union of every head vocabulary of
a rule set: its *actions*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import NamedTuple

from leadtime.record import field, record
from leadtime.rules.text import Title, fold, is_cjk, keyword_tokens, language_keys


class Phrase(NamedTuple):
    """One keyword: as written, its language (None: any) and each token's keys."""

    text: str
    language: str | None
    keys: tuple[frozenset[str], ...]  # empty for a CJK keyword, which matches as a substring
    cjk: str = ""  # the CJK keyword, lower case


KnownKeys = Mapping[tuple[str | None, str], tuple[frozenset[str], ...]]
"""Precomputed phrase keys by (language, keyword), from the compiled default rules."""


@record
class Span:
    """Where a phrase matched: words ``start`` to ``end`` (one past), and which phrase.

    A CJK phrase matches inside one word; ``offset`` is where it ends in that word.
    """

    start: int
    end: int
    phrase: Phrase
    offset: int = 0


def phrase_keys(text: str, language: str | None) -> tuple[frozenset[str], ...] | str:
    """A keyword's keys, one set per word; a CJK keyword is its text; () for no words."""
    words = keyword_tokens(text.strip().lower())
    if len(words) == 1 and is_cjk(words[0]):
        return words[0]
    return tuple(language_keys(w, language) for w in words)


def make_phrase(text: str, language: str | None, known: KnownKeys | None = None) -> Phrase | None:
    """The phrase for a keyword, or None when it has no letters or digits."""
    keys = known.get((language, text)) if known else None
    found = phrase_keys(text, language) if keys is None else keys
    if isinstance(found, str):
        return Phrase(text, language, (), found)
    return Phrase(text, language, found) if found else None


@record
class Vocabulary:
    """Keywords by language; ``None`` is the language of keywords given for every one.

    Its phrases are made when it is first used to match: a rule set whose rules decide
    before a vocabulary is reached never stems its keywords.
    """

    by_language: Mapping[str | None, tuple[str, ...]]
    known: KnownKeys | None = field(default=None, compare=False, repr=False)
    parts: tuple[Vocabulary, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(
        cls, by_language: Mapping[str | None, Sequence[str]], known: KnownKeys | None = None
    ) -> Vocabulary:
        cleaned = {
            lang: tuple(dict.fromkeys(k.strip() for k in kws)) for lang, kws in by_language.items()
        }
        return cls(cleaned, known)

    @classmethod
    def union(cls, vocabularies: Iterable[Vocabulary]) -> Vocabulary:
        parts = tuple(vocabularies)
        merged: dict[str | None, list[str]] = {}
        for vocabulary in parts:
            for lang, keywords in vocabulary.by_language.items():
                merged.setdefault(lang, []).extend(keywords)
        return cls({k: tuple(v) for k, v in merged.items()}, None, parts)

    @cached_property
    def phrases(self) -> tuple[Phrase, ...]:
        if self.parts:
            return tuple(p for part in self.parts for p in part.phrases)
        return tuple(
            p
            for lang, keywords in self.by_language.items()
            for k in keywords
            if (p := make_phrase(k, lang, self.known)) is not None
        )

    @cached_property
    def _first(self) -> dict[str, tuple[Phrase, ...]]:
        index: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            if phrase.keys:
                for key in phrase.keys[0]:
                    index.setdefault(key, []).append(phrase)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _first_keys(self) -> frozenset[str]:
        return frozenset(self._first)

    @cached_property
    def _cjk(self) -> tuple[Phrase, ...]:
        return tuple(p for p in self.phrases if p.cjk)

    @cached_property
    def digest(self) -> str:
        """Equal for two vocabularies with the same keywords in the same languages."""
        import hashlib

        content = sorted(
            f"{lang or '*'}\x1f{keyword.lower()}"
            for lang, keywords in self.by_language.items()
            for keyword in keywords
        )
        return hashlib.sha256("\x1e".join(content).encode()).hexdigest()[:16]

    def keywords(self) -> list[str]:
        """Every keyword, in file order."""
        return [k for keywords in self.by_language.values() for k in keywords]

    def spans(self, title: Title, *, overlapping: bool = False) -> list[Span]:
        """Every match in ``title``, the longest first at each place, without overlaps
        (unless ``overlapping``: then every phrase that matches anywhere)."""
        lexicon: Lexicon | None = self.__dict__.get("_lexicon")
        if lexicon is not None:
            return lexicon.spans(self, title, overlapping)
        found = self._find(title)
        return found if overlapping else without_overlaps(found)

    def bind(self, lexicon: Lexicon) -> None:
        """Let ``lexicon`` (which holds this vocabulary) find its matches."""
        object.__setattr__(self, "_lexicon", lexicon)

    def _find(self, title: Title) -> list[Span]:
        found: list[Span] = []
        hits = self._first_keys & title.all_keys
        if hits:
            keys = title.keys
            count = len(keys)
            for i, word_keys in enumerate(keys):
                common = word_keys & hits
                if not common:
                    continue
                for key in common:
                    for phrase in self._first[key]:
                        n = len(phrase.keys)
                        if (
                            i + n <= count
                            and all(phrase.keys[j] & keys[i + j] for j in range(1, n))
                            and not _agent_of(title.words[i + n - 1], phrase)
                        ):
                            found.append(Span(i, i + n, phrase))
        if self._cjk:
            for i, word in enumerate(title.words):
                if is_cjk(word):
                    for phrase in self._cjk:
                        at = word.rfind(phrase.cjk)
                        if at >= 0:
                            found.append(Span(i, i + 1, phrase, at + len(phrase.cjk)))
        return found

    def first(self, title: Title) -> Span | None:
        """The first match in ``title``, if any."""
        found = self.spans(title)
        return found[0] if found else None

    def present(self, title: Title) -> bool:
        """Whether any keyword matches in ``title`` (:meth:`first` without building it)."""
        return bool(self.spans(title, overlapping=True))

    def matches(self, title: Title, span: Span) -> Phrase | None:
        """The phrase of this vocabulary that covers exactly ``span``, if any."""
        place = (span.start, span.end, span.offset)
        if not any(
            (m.start, m.end, m.offset) == place for m in self.spans(title, overlapping=True)
        ):
            return None
        for mine in self.spans(title):
            if (mine.start, mine.end, mine.offset) == place:
                return mine.phrase
        return None

    def at_start(self, title: Title) -> Span | None:
        """A verb that starts ``title`` ("Implement ...", "Debug ...").

        A noun made from the verb does not count ("Implementation review" is a review,
        "Developer sync" a sync): a title word with a noun ending the keyword lacks.
        """
        if not title.parts:
            return None
        first = title.parts[0][0].start
        found = [s for s in self.spans(title, overlapping=True) if s.start == first]
        for span in _as_written_first(title, found) if found else ():
            if span.phrase.cjk:
                continue
            word = title.words[span.start]
            keyword = keyword_tokens(span.phrase.text.lower())[0]
            noun = _NOUN_ENDING.search(word)
            if noun is None or keyword.endswith(noun.group()):
                return span
        return None

    def at_end(self, title: Title) -> Span | None:
        """A verb that ends the first part of ``title``, as German and Dutch put it
        ("Review-Bot implementieren", "Reviewcommentaar op mijn PR verwerken")."""
        if not title.parts:
            return None
        last = title.parts[0][-1].end
        found = [s for s in self.spans(title, overlapping=True) if s.end == last]
        for span in _as_written_first(title, found) if found else ():
            if span.phrase.cjk:
                continue
            # Only the forms listed: stems would take nouns for verbs ("migratie").
            word, keyword = title.words[last - 1], keyword_tokens(span.phrase.text.lower())[-1]
            if word in (keyword, fold(keyword)) or fold(word) == fold(keyword):
                return span
        return None


def without_overlaps(found: list[Span]) -> list[Span]:
    """The longest match first at each place, and no match inside another."""
    if len(found) < 2:
        return found
    ordered = sorted(found, key=lambda s: (s.start, -(s.end - s.start), -s.offset))
    kept: list[Span] = []
    for span in ordered:
        if kept and span.start < kept[-1].end and not (span.phrase.cjk and kept[-1].phrase.cjk):
            continue
        kept.append(span)
    return kept


_Owned = tuple[Phrase, tuple[int, ...]]


class Lexicon:
    """Every vocabulary of a rule set in one index, so that a title is read once for all
    of them (instead of once per condition), and what it holds is remembered per title.

    The index costs more to build than reading a few titles against the keywords
    themselves: the first titles (a ``log``, a ``start``) are read that way, and the
    index is built when more come. Both find the same matches.
    """

    def __init__(self, vocabularies: Iterable[Vocabulary]) -> None:
        self._numbers: dict[int, int] = {}  # id(vocabulary) -> its number here
        self._held: list[Vocabulary] = []
        for vocabulary in vocabularies:
            if id(vocabulary) in self._numbers:
                continue
            self._numbers[id(vocabulary)] = len(self._held)
            self._held.append(vocabulary)
        self._owners: dict[tuple[str | None, str], tuple[KnownKeys | None, list[int]]] = {}
        self._phrases: dict[tuple[str | None, str], Phrase | None] = {}
        self._index: dict[str, list[_Owned]] | None = None
        self._cjk: list[_Owned] = []
        self._keys: frozenset[str] = frozenset()
        self._scans = 0
        self._memo: dict[str, dict[int, list[Span]]] = {}
        self._plain: dict[tuple[str, int], list[Span]] = {}

    def _owned(self) -> dict[tuple[str | None, str], tuple[KnownKeys | None, list[int]]]:
        """Each keyword (by language), with the keys known for it and the numbers of the
        vocabularies that hold it, in the order the vocabularies list them."""
        if not self._owners and self._held:
            owners = self._owners
            for number, vocabulary in enumerate(self._held):
                for leaf in _leaves(vocabulary):
                    known = leaf.known
                    for language, keywords in leaf.by_language.items():
                        for keyword in keywords:
                            owners.setdefault((language, keyword), (known, []))[1].append(number)
        return self._owners

    def _phrase(self, language: str | None, keyword: str, known: KnownKeys | None) -> Phrase | None:
        place = (language, keyword)
        if place in self._phrases:
            return self._phrases[place]
        phrase = self._phrases[place] = make_phrase(keyword, language, known)
        return phrase

    def _build(self) -> dict[str, list[_Owned]]:
        index: dict[str, list[_Owned]] = {}
        self._cjk = []
        for (language, keyword), (known, numbers) in self._owned().items():
            phrase = self._phrase(language, keyword, known)
            if phrase is None:
                continue
            entry = (phrase, tuple(dict.fromkeys(numbers)))
            if phrase.cjk:
                self._cjk.append(entry)
            else:
                for key in phrase.keys[0]:
                    index.setdefault(key, []).append(entry)
        self._keys = frozenset(index)
        self._index = index
        return index

    def _relevant(
        self,
        place: tuple[str | None, str],
        known: KnownKeys | None,
        present: frozenset[str],
        has_cjk: bool,
    ) -> Phrase | None:
        """The phrase of a keyword if it could match in a title with keys ``present``."""
        found: tuple[frozenset[str], ...] | str | None = known.get(place) if known else None
        if found is not None:
            if isinstance(found, str):
                if not has_cjk:
                    return None
            elif not found or not found[0] & present:
                return None
        phrase = self._phrase(place[0], place[1], known)
        if phrase is None:
            return None
        if phrase.cjk:
            return phrase if has_cjk else None
        return phrase if phrase.keys[0] & present else None

    def _scan(self, title: Title) -> dict[int, list[Span]]:
        """:meth:`_table` without the full index: an index of only the keywords whose
        first word the title holds (only those are made into phrases), read in the same
        order as the full one, so that it finds the same matches in the same order."""
        present = title.all_keys
        has_cjk = any(is_cjk(word) for word in title.words)
        owners: dict[tuple[str | None, str], tuple[Phrase, list[int]]] = {}
        passed: set[tuple[str | None, str]] = set()
        for number, vocabulary in enumerate(self._held):
            for leaf in _leaves(vocabulary):
                known = leaf.known
                for language, keywords in leaf.by_language.items():
                    for keyword in keywords:
                        place = (language, keyword)
                        found = known.get(place) if known else None
                        if (
                            found is not None
                            and found.__class__ is tuple
                            and (not found or not found[0] & present)
                        ):
                            continue  # the common case: the title lacks its first word
                        owned = owners.get(place)
                        if owned is not None:
                            owned[1].append(number)
                            continue
                        if place in passed:
                            continue
                        phrase = self._relevant(place, known, present, has_cjk)
                        if phrase is None:
                            passed.add(place)
                        else:
                            owners[place] = (phrase, [number])
        index: dict[str, list[_Owned]] = {}
        cjk: list[_Owned] = []
        for phrase, holders in owners.values():
            entry = (phrase, tuple(dict.fromkeys(holders)))
            if phrase.cjk:
                cjk.append(entry)
            else:
                for key in phrase.keys[0]:
                    index.setdefault(key, []).append(entry)
        return _read(title, index, cjk)

    def knows(self, vocabulary: Vocabulary) -> bool:
        return id(vocabulary) in self._numbers

    def _table(self, title: Title) -> dict[int, list[Span]]:
        table = self._memo.get(title.text)
        if table is not None:
            return table
        if len(self._memo) > _MEMO:
            self._memo.clear()
            self._plain.clear()
        index = self._index
        if index is None and self._scans < _SCANS:
            self._scans += 1
            table = self._memo[title.text] = self._scan(title)
            return table
        if index is None:
            index = self._build()
        table = _read(title, index if self._keys & title.all_keys else {}, self._cjk)
        self._memo[title.text] = table
        return table

    def spans(self, vocabulary: Vocabulary, title: Title, overlapping: bool) -> list[Span]:
        number = self._numbers.get(id(vocabulary))
        if number is None:  # not this lexicon's: read it alone
            found = vocabulary._find(title)
            return found if overlapping else without_overlaps(found)
        found = self._table(title).get(number, [])
        if overlapping:
            return found
        plain = self._plain.get((title.text, number))
        if plain is None:
            plain = self._plain[(title.text, number)] = without_overlaps(found)
        return plain


def _read(title: Title, index: dict[str, list[_Owned]], cjk: list[_Owned]) -> dict[int, list[Span]]:
    """The matches in ``title`` of the phrases in ``index`` (by a phrase's first keys) and of
    the CJK phrases, by the number of each vocabulary that holds them, in reading order."""
    table: dict[int, list[Span]] = {}
    keys = title.keys
    count = len(keys)
    for i in range(count) if index else ():
        # In a fixed order: a set's order changes with the process's string hashing, and
        # which of two keywords of one root is named must not.
        for key in sorted(key for key in keys[i] if key in index):
            for phrase, numbers in index[key]:
                n = len(phrase.keys)
                if (
                    i + n <= count
                    and all(phrase.keys[j] & keys[i + j] for j in range(1, n))
                    and not _agent_of(title.words[i + n - 1], phrase)
                ):
                    span = Span(i, i + n, phrase)
                    for number in numbers:
                        table.setdefault(number, []).append(span)
    for i, word in enumerate(title.words) if cjk else ():
        if is_cjk(word):
            for phrase, numbers in cjk:
                at = word.rfind(phrase.cjk)
                if at >= 0:
                    span = Span(i, i + 1, phrase, at + len(phrase.cjk))
                    for number in numbers:
                        table.setdefault(number, []).append(span)
    return table


_MEMO = 20_000  # titles whose matches a lexicon remembers
_SCANS = 2  # titles a lexicon reads without its index (see Lexicon)


def _leaves(vocabulary: Vocabulary) -> Iterator[Vocabulary]:
    """The vocabularies whose keywords ``vocabulary`` holds, in order (itself, or the
    parts of a union)."""
    if vocabulary.parts:
        for part in vocabulary.parts:
            yield from _leaves(part)
    else:
        yield vocabulary


def _as_written_first(title: Title, spans: list[Span]) -> list[Span]:
    """``spans``, those whose keyword is written as in the title first (so that an
    explanation quotes "review", not the German "reviewen" that stems alike)."""

    def exact(span: Span) -> bool:
        return " ".join(title.words[span.start : span.end]) == span.phrase.text.lower()

    return sorted(spans, key=lambda s: not exact(s))


# Endings that make a person of a verb: a "developer" is no development, an "Entwickler"
# no "Entwicklung", a "desarrollador" no "desarrollo".
_AGENT_ENDING = re.compile(
    r"(?:ers?|ors?|eurs?|ador|adores|edor|edores|atore|atori|are|aar|ista|isti)$"
)


def _agent_of(word: str, phrase: Phrase) -> bool:
    """Whether ``word`` is a person doing what the phrase's last word names."""
    found = _AGENT_ENDING.search(word)
    if found is None:
        return False
    last = keyword_tokens(phrase.text.lower())[-1]
    return not last.endswith(found.group()) and word != last


# Endings that make a noun of a verb, in the supported languages: "implementation",
# "deployment", "Implementierung", "implementación", "developer", "refactorización",
# "wdrożenie", "felsökning".
_NOUN_ENDING = re.compile(
    r"(?:tions?|sions?|ments?|ances?|ences?|ung|ungen|ción|ciones|cion|ção|ções|cao|zione|"
    r"zioni|ties|tie|acja|acji|anie|enie|ania|enia|aniu|eniu|ering|eringen|"
    r"(?<=[bcdfkpstvz])ning(?:en|ar|arna)?|eurs?|ers?|ors?|ores?|ador|adores)$"
)


def head_of(title: Title, actions: Vocabulary) -> Span | None:
    """The title's head: the action that says what the work is.

    The title is read part by part ("Search v2: epic breakdown" has two parts), each part
    chunk by chunk (function words such as "for", "of", "the", "für", "de" end a chunk; a
    phrase may run on over them: "entretien d'embauche"). Words that only name the form of
    the work ("notes", "prep", "writeup") are passed over at the end of a chunk.

    In the first chunk of a part, an action that ends it after other words is the head of
    a compound ("Release planning", "Review bot implementation", "Review-Bot
    implementieren"); an action that is the whole chunk is the head ("Code review"); an
    action that starts it is a verb with its object ("Review PR 123") — a weaker head,
    unless the title is in a language whose nouns come before what qualifies them
    (French, Spanish, Portuguese, Italian, Polish: "Przegląd kodu" is a review) —
    used only when no later part has a stronger one ("Interview scheduler: fix timezone
    bug"). In a language whose nouns come first, the first action of the first chunk is
    its head, after a verb that is none ("Napisać wytyczne dotyczące kodu": guidelines).
    In Japanese, the last action of a word is its head (面接ツールのバグ修正: 修正).
    """
    spans = actions.spans(title)
    if not spans:
        return None
    weak: Span | None = None
    for part in title.parts:
        covered = -1
        for index, chunk in enumerate(part):
            if chunk.start < covered:
                continue
            inside = [s for s in spans if chunk.start <= s.start < chunk.end]
            if not inside:
                continue
            end = max(chunk.end, *(s.end for s in inside))
            covered = end
            cjk = [s for s in inside if s.phrase.cjk]
            if cjk:
                return max(cjk, key=lambda s: (s.start, s.offset))
            while end - 1 > inside[-1].start and title.neutral[end - 1]:
                end -= 1  # "Postmortem writeup", "Interview prep notes"
            last = inside[-1]
            if index == 0:
                if title.head_first:
                    return inside[0]  # "Przegląd kodu", "Revisión código", "Refonte checkout"
                if last.end == end:
                    return last  # a compound's head, or the whole chunk
                if weak is None:
                    weak = inside[0]
            elif weak is None:  # the object of a verb that is no action ("Prep for interview")
                weak = last if last.end == end else inside[0]
            break
    return weak
