"""The classification tiers together: the rules (yours, then the shipped ones), then the
learned tier for what no rule decides (SPEC §15). Pure: the caller loads the model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from leadtime.entry import Classification
from leadtime.record import record
from leadtime.rules.ruleset import (
    Explanation,
    FeatureRow,
    Features,
    RuleSet,
    distinct_rows,
    features_of_rows,
)

if TYPE_CHECKING:
    from leadtime.rules.learned import Guess, Model


@record
class Explained:
    """Why an entry got its classification: the rules' explanation, and the learned
    tier's guess when no rule decided (None when the tier is off or was not reached)."""

    explanation: Explanation
    guess: Guess | None

    @property
    def classification(self) -> Classification:
        if self.explanation.rule is None and self.guess is not None:
            return self.guess.classification
        return self.explanation.classification


class Tiers:
    """The rules, then (when ``load_model`` is given) the learned tier.

    ``load_model`` is called the first time a title reaches the learned tier, so that a
    command whose entries the rules decide never loads the model.
    """

    def __init__(self, rules: RuleSet, load_model: Callable[[], Model | None] | None) -> None:
        self.rules = rules
        self._load_model = load_model

    @property
    def learning(self) -> bool:
        """Whether the learned tier is on."""
        return self._load_model is not None

    @cached_property
    def model(self) -> Model | None:
        return self._load_model() if self._load_model is not None else None

    def classify(self, f: Features) -> Classification:
        return self.classify_many((f,))[0]

    def classify_many(self, fs: Iterable[Features]) -> list[Classification]:
        features = fs if isinstance(fs, list) else list(fs)
        decided = self.rules.classify_many(features)
        if self._load_model is None:
            return decided
        for index, classification in enumerate(decided):
            if classification.decided_by is None:
                model = self.model
                if model is None:
                    break
                decided[index] = model.guess(features[index].title).classification
        return decided

    @cached_property
    def fields(self) -> frozenset[str]:
        """The Features fields the tiers read: the rules' fields, and the learned tier's
        title."""
        return frozenset({*self.rules.fields, "title"})

    def classify_rows(self, rows: Sequence[FeatureRow], tz: str) -> list[Classification]:
        """Classifications of stored rows, in order: once for each distinct combination of
        the fields the tiers read (the rules' fields, and the title for the learned tier)."""
        representatives, slots = distinct_rows(rows, self.fields, tz)
        decided = self.classify_many(list(features_of_rows(representatives, tz)))
        return [decided[slot] for slot in slots]

    def guess(self, title: str) -> Guess | None:
        """The learned tier's guess for ``title`` (also when it abstains), if it is on."""
        model = self.model
        return model.guess(title) if model is not None else None

    def explain(self, f: Features) -> Explained:
        explanation = self.rules.explain(f)
        guess = self.guess(f.title) if explanation.rule is None else None
        return Explained(explanation, guess)
