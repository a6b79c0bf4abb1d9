"""The labelled corpus the learned tier is trained on (``src/leadtime/rules/corpus/``): kept
apart from the title set the classification is measured on.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from leadtime.rules.learned import memory_key, read_corpus
from leadtime.rules.text import clean, fold, tokens

DEV = REPO.parent / "shared" / "titles" / "dev.tsv"


def same_title(title: str) -> set[str]:
    """What two titles share when they are the same title: their words without the
    decorations, in lower case, without accents or punctuation, with and without the words
    of their ``[tags]``."""
    words = " ".join(fold(word) for word in tokens(clean(title).text))
    return {key for key in (words, memory_key(title)) if key}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Invitation: Lunch 🍜 @ Tue Mar 12, 2024 12pm - 1pm (CET) (ana@corp.example)", "lunch"),
        ("  Tech  Leads weekly (Raum Elbe) ", "tech leads weekly"),
        ("[Payments] Sprint review / demo", "Sprint review - demo."),
        ("Rétro", "retro"),
        ("Zahnarzt 8:30", "ZAHNARZT"),
    ],
)
def test_decorated_forms_of_a_title_are_the_same_title(a: str, b: str) -> None:
    assert same_title(a) & same_title(b)


@pytest.mark.parametrize(
    "a, b",
    [("Lunch", "Lunch and learn"), ("Retro", "Retro prep"), ("Sprint planning", "Planning")],
)
def test_other_titles_are_not_the_same_title(a: str, b: str) -> None:
    assert not same_title(a) & same_title(b)


@pytest.mark.skipif(not DEV.is_file(), reason="../shared/titles/dev.tsv is not beside the repo")
def test_no_corpus_title_is_taken_from_the_measured_title_set() -> None:
    # The measured set is held out: a corpus title that is one of its titles would be
    # trained on and then scored, and the figures measured on it would flatter the model.
    measured: set[str] = set()
    for number, line in enumerate(DEV.read_text(encoding="utf-8").splitlines()):
        if number and line.strip():
            measured |= same_title(line.split("\t")[0])
    taken = [
        f"{language}: {example.title}"
        for language, example in read_corpus()
        if same_title(example.title) & measured
    ]
    assert not taken, f"{len(taken)} corpus titles are measured titles:\n" + "\n".join(taken)
