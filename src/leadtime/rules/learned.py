"""The learned tier: a small naive Bayes model that guesses a title's category when no rule
decides, and abstains when it is unsure.

It reads a title as the rules do (decorations stripped, :mod:`leadtime.rules.text`) and
counts its words, their character 4-grams (which carry inflections and compounds across
languages) and, for Japanese, character pairs. The counts come from the labelled corpus
shipped with leadtime (``corpus/*.tsv``, thousands of titles in ten languages), compiled
into ``learned.model`` by ``python -m leadtime.rules.build``, and from your own manual
classifications (stored in your database), each of which counts as :data:`USER_WEIGHT`
corpus titles. A title you classified yourself is remembered as it is.

Nothing here reads the database or the clock: the caller hands the examples in. Loading
the model is one file read and one unpickling (well under 20 ms); it happens only when a
title reaches this tier.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from leadtime.entry import Category, Classification
from leadtime.record import field, record
from leadtime.rules.digest import MODEL_PATH
from leadtime.rules.text import FUNCTION_WORDS, analyse, fold, is_cjk

FORMAT = 1
FEATURES_VERSION = 2  # bump when :func:`features` changes: the shipped model is then stale
PATH = Path(MODEL_PATH)
CORPUS = Path(__file__).with_name("corpus")
NAME = "learned"  # what ``decided_by`` says for a guess of this tier

ALPHA = 0.1  # additive smoothing of the counts
THRESHOLD = 0.7  # the least confidence (probability of the category) to decide
# Naive Bayes adds up every feature as if independent: a title's char 4-grams say much the
# same thing, and its raw probabilities are near 0 or 1. Its log-odds are divided by this
# (measured by cross-validation) so that its confidence means something.
TEMPERATURE = 2.0
USER_WEIGHT = 10  # one of your classifications counts as this many corpus titles
MAX_EVIDENCE = 3  # words named by ``rules explain``
_CATEGORIES = (Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER)


class Example(NamedTuple):
    """A labelled title: ``label`` is ``category:activity`` (or just the category)."""

    title: str
    label: str


# -- features ---------------------------------------------------------------------------------


def features(title: str) -> list[tuple[str, str]]:
    """The features of a title, each with the word it comes from (for explanations)."""
    read = analyse(title)
    out: list[tuple[str, str]] = []
    content = [w for w in read.words if w not in FUNCTION_WORDS]
    for word in content:
        if is_cjk(word):
            out.extend((f"c:{word[i : i + 2]}", word[i : i + 2]) for i in range(len(word) - 1))
            out.extend((f"c1:{ch}", ch) for ch in word)
            continue
        plain = fold(word)
        out.append((f"w:{plain}", word))
        if len(plain) > 3:
            padded = f"^{plain}$"
            out.extend((f"g:{padded[i : i + 4]}", word) for i in range(len(padded) - 3))
    if content:
        out.append((f"f:{fold(content[0])}", content[0]))
    if read.cleaned.commit:
        out.append(("x:commit", "a commit subject"))
    if read.cleaned.ticket:
        out.append(("x:ticket", "a ticket key"))
    return out


def memory_key(title: str) -> str:
    """How a title you classified is recognised again: its cleaned words."""
    read = analyse(title)
    return " ".join(fold(w) for w in read.words) or title.strip().casefold()


# -- counts -------------------------------------------------------------------------------------


@record
class Counts:
    """What the model knows: for each label, how many titles and feature occurrences it
    has, and for each feature, how often it occurred with each label."""

    labels: list[str]
    docs: list[float]
    totals: list[float]
    table: dict[str, dict[int, float]] = field(default_factory=dict)

    @classmethod
    def train(cls, examples: Iterable[Example], weight: float = 1.0) -> Counts:
        counts = cls([], [], [])
        counts.add(examples, weight)
        return counts

    def label_index(self, label: str) -> int:
        try:
            return self.labels.index(label)
        except ValueError:
            self.labels.append(label)
            self.docs.append(0.0)
            self.totals.append(0.0)
            return len(self.labels) - 1

    def add(self, examples: Iterable[Example], weight: float = 1.0) -> None:
        for example in examples:
            index = self.label_index(example.label)
            found = [name for name, _ in features(example.title)]
            self.docs[index] += weight
            self.totals[index] += weight * len(found)
            for name in found:
                row = self.table.setdefault(name, {})
                row[index] = row.get(index, 0.0) + weight


def pack(counts: Counts, source: str) -> bytes:
    """The shipped model file: the counts, packed (one byte string per feature)."""
    table = {}
    for name, row in counts.table.items():
        packed = array("I")
        for index, value in sorted(row.items()):
            packed.extend((index, int(value)))
        table[name] = packed.tobytes()
    payload = {
        "format": FORMAT,
        "source": source,
        "labels": counts.labels,
        "docs": counts.docs,
        "totals": counts.totals,
        "table": table,
    }
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


# -- the corpus and the shipped model ----------------------------------------------------------


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.tsv"))


def read_corpus(paths: Sequence[Path] | None = None) -> list[tuple[str, Example]]:
    """(language, example) for every line of the corpus files (named after the language)."""
    out = []
    for path in corpus_files() if paths is None else paths:
        language = path.stem.split("-")[-1] if path.stem.startswith("extra-") else path.stem
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if number == 0 or not line.strip() or line.startswith("#"):
                continue
            title, _, label = line.partition("\t")
            out.append((language, Example(title, label.strip())))
    return out


_PROBES = (
    "Invitation: On-call handover 1:1 [Team]",
    "Sprintplaneringsmöte",
    "面接ツールのバグ修正",
)


def corpus_digest(paths: Sequence[Path] | None = None) -> str:
    """What the shipped model must have been trained on: the corpus, and the features the
    code makes of a few titles (a change in how titles are read makes the model stale)."""
    digest = hashlib.sha256(f"{FORMAT}/{FEATURES_VERSION}".encode())
    for probe in _PROBES:
        digest.update(repr(features(probe)).encode())
    for path in corpus_files() if paths is None else paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_model_file() -> bytes:
    """Train on the shipped corpus and pack the counts (``python -m leadtime.rules.build``)."""
    examples = [example for _, example in read_corpus()]
    return pack(Counts.train(examples), corpus_digest())


def model_is_current() -> bool:
    """Whether the shipped model was trained on the corpus as it is."""
    try:
        payload = pickle.loads(PATH.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        return False
    return isinstance(payload, dict) and payload.get("source") == corpus_digest()


# -- the model ----------------------------------------------------------------------------------


@record
class Evidence:
    """A word and how much it pushed toward the guess (natural log-odds)."""

    word: str
    weight: float


@record
class Guess:
    """What the learned tier makes of a title."""

    classification: Classification  # UNCLASSIFIED-like (category unclassified) when it abstains
    category: Category  # its best category, also when it abstains
    activity: str | None
    confidence: float  # the probability of that category, 0..1
    evidence: tuple[Evidence, ...]
    remembered: str | None = None  # the title you classified that it matched as it is

    @property
    def abstained(self) -> bool:
        return self.classification.category is Category.UNCLASSIFIED

    def describe(self) -> str:
        """``'debug' +2.1, 'bug' +1.4 -> hands-on, 0.93``."""
        label = self.category.value + (f":{self.activity}" if self.activity else "")
        if self.remembered is not None:
            return f"you classified {self.remembered!r} as {label}"
        words = ", ".join(f"'{e.word}' {e.weight:+.1f}" for e in self.evidence) or "no known word"
        return f"{words} -> {label}, {self.confidence:.2f}"


class Model:
    """The shipped counts, your examples on top, and the guesses made from them."""

    def __init__(
        self,
        payload: Mapping[str, Any],
        examples: Sequence[Example] = (),
        *,
        threshold: float = THRESHOLD,
        temperature: float = TEMPERATURE,
    ) -> None:
        self.temperature = temperature
        self.labels: list[str] = list(payload["labels"])
        self.docs: list[float] = list(payload["docs"])
        self.totals: list[float] = list(payload["totals"])
        self._table: Mapping[str, bytes] = payload["table"]
        self._decoded: dict[str, dict[int, float]] = {}
        self.threshold = threshold
        self._mine = Counts(self.labels, self.docs, self.totals)  # shares the label lists
        self._memory: dict[str, Example] = {}
        if examples:
            self._mine.add(examples, USER_WEIGHT)
            for example in examples:
                self._memory[memory_key(example.title)] = example
        self._size = len(self._table) + sum(1 for f in self._mine.table if f not in self._table)
        self._cache: dict[str, Guess] = {}
        self._categories = [label.partition(":")[0] for label in self.labels]

    @classmethod
    def load(cls, examples: Sequence[Example] = (), *, path: Path = PATH, **kw: Any) -> Model:
        payload = pickle.loads(path.read_bytes())
        return cls(payload, examples, **kw)

    @classmethod
    def of_counts(cls, counts: Counts, examples: Sequence[Example] = (), **kw: Any) -> Model:
        """A model over counts in memory (training and cross-validation)."""
        return cls(pickle.loads(pack(counts, "")), examples, **kw)

    def _row(self, name: str) -> dict[int, float]:
        row = self._decoded.get(name)
        if row is None:
            packed = self._table.get(name)
            row = {}
            if packed is not None:
                values = array("I")
                values.frombytes(packed)
                row = dict(zip(values[::2], map(float, values[1::2]), strict=True))
            mine = self._mine.table.get(name)
            if mine:
                row = dict(row)
                for index, value in mine.items():
                    row[index] = row.get(index, 0.0) + value
            self._decoded[name] = row
        return row

    def guess(self, title: str) -> Guess:
        """The best guess for ``title``, abstaining below the threshold (memoised)."""
        found = self._cache.get(title)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[title] = self._guess(title)
        return found

    def _guess(self, title: str) -> Guess:
        remembered = self._memory.get(memory_key(title))
        if remembered is not None:
            name, _, label = remembered.label.partition(":")
            chosen = Category(name)
            return Guess(
                Classification(chosen, label or None, NAME), chosen, label or None, 1.0, (),
                remembered.title,
            )  # fmt: skip
        pairs = [(name, word) for name, word in features(title) if self._row(name)]
        count = len(self.labels)
        if not pairs or not count:
            return Guess(Classification(), Category.UNCLASSIFIED, None, 0.0, ())
        alpha, size = ALPHA, self._size
        documents = sum(self.docs)
        norms = [math.log(t + alpha * size) for t in self.totals]
        scores: list[float] = [math.log(d / documents) if d else -1e9 for d in self.docs]
        log_alpha = math.log(alpha)
        for name, _ in pairs:
            for index, value in self._row(name).items():
                scores[index] += math.log(value + alpha) - log_alpha
        for index in range(count):
            scores[index] += len(pairs) * (log_alpha - norms[index])
        top = max(scores)
        weights = [math.exp((s - top) / self.temperature) for s in scores]
        whole = sum(weights)
        by_category: defaultdict[str, float] = defaultdict(float)
        for category, weight in zip(self._categories, weights, strict=True):
            by_category[category] += weight / whole
        best, confidence = max(by_category.items(), key=lambda item: item[1])
        chosen = Category(best)
        label_index = max(
            (i for i in range(count) if self._categories[i] == best), key=lambda i: scores[i]
        )
        activity = self.labels[label_index].partition(":")[2] or None
        evidence = self._evidence(pairs, label_index, best, scores)
        # A guess needs a word the model knows whole: fragments alone ("asdf", "blorp")
        # share letters with real words, never meaning.
        known_word = any(name.startswith(("w:", "c:")) for name, _ in pairs) or _compound_known(
            title, {name for name, _ in pairs}
        )
        decided = (
            Classification(chosen, activity, NAME)
            if confidence >= self.threshold and known_word
            else Classification()
        )
        return Guess(decided, chosen, activity, confidence, evidence)

    def _evidence(
        self, pairs: list[tuple[str, str]], winner: int, best: str, scores: list[float]
    ) -> tuple[Evidence, ...]:
        """Each word's push toward the winning label, against the best label of another
        category (natural log-odds, its features summed)."""
        others = [i for i in range(len(self.labels)) if self._categories[i] != best]
        if not others:
            return ()
        rival = max(others, key=lambda i: scores[i])
        alpha, size = ALPHA, self._size
        norm_w = math.log(self.totals[winner] + alpha * size)
        norm_r = math.log(self.totals[rival] + alpha * size)
        by_word: defaultdict[str, float] = defaultdict(float)
        for name, word in pairs:
            row = self._row(name)
            by_word[word] += (math.log(row.get(winner, 0.0) + alpha) - norm_w) - (
                math.log(row.get(rival, 0.0) + alpha) - norm_r
            )
        ranked = sorted(by_word.items(), key=lambda item: -item[1])
        return tuple(Evidence(w, round(v, 1)) for w, v in ranked[:MAX_EVIDENCE] if v > 0)


def _compound_known(title: str, known: set[str]) -> bool:
    """Whether a long word of ``title`` is mostly made of known 4-grams: a compound the
    model never saw whole ("Sprintplaneringsmöte")."""
    for word in analyse(title).words:
        plain = fold(word)
        if len(plain) >= 8 and not is_cjk(word):
            padded = f"^{plain}$"
            grams = [f"g:{padded[i : i + 4]}" for i in range(len(padded) - 3)]
            if sum(g in known for g in grams) >= 0.6 * len(grams):
                return True
    return False
