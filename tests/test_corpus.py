"""The labelled corpus the learned tier is trained on (``src/leadtime/rules/corpus/``): kept
apart from the title set the classification is measured on, and described truly by its
README, whose counts the documentation quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from leadtime.rules.learned import CORPUS, memory_key, read_corpus
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


def readme_table(heading: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows (cells, stripped) of the first table after ``heading`` in
    the corpus's README."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    after = text.split(f"\n{heading}\n", 1)[1]
    rows = []
    for line in after.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[0], rows[2:]  # the rule under the header is no row


def count(cell: str) -> int:
    return int(re.sub(r"[*,]|\s*\(.*\)", "", cell))


def share(cell: str) -> int:
    return int(re.findall(r"\((\d+)%\)", cell)[0])


CATEGORIES = ("leadership", "hands-on", "other")


def test_the_readme_counts_are_the_corpus_counts() -> None:
    rows = read_corpus()
    by_language = Counter(language for language, _ in rows)
    by_category = Counter((language, example.label.partition(":")[0]) for language, example in rows)
    for language in list(by_language):
        by_language["all"] += by_language[language]
        for category in CATEGORIES:
            by_category["all", category] += by_category[language, category]
    _, table = readme_table("## Counts")
    assert len(table) == len(by_language)
    for cells in table:
        language = Path(cells[0].strip("`")).stem if cells[0] else "all"
        titles = by_language[language]
        assert count(cells[2]) == titles, language
        for category, cell in zip(CATEGORIES, cells[3:6], strict=True):
            assert count(cell) == by_category[language, category], (language, category)
            assert share(cell) == round(100 * by_category[language, category] / titles), cell


def test_the_readme_counts_every_label_in_every_language() -> None:
    rows = read_corpus()
    by_label = Counter((language, example.label) for language, example in rows)
    header, table = readme_table("Per label and language:")
    languages = header[1:-1]
    assert sum(count(cells[-1]) for cells in table) == len(rows)
    assert {cells[0].strip("`") for cells in table} == {label for _, label in by_label}
    for cells in table:
        label = cells[0].strip("`")
        for language, cell in zip(languages, cells[1:-1], strict=True):
            assert count(cell) == by_label[language, label], (label, language)
        assert count(cells[-1]) == sum(by_label[lang, label] for lang in languages), label
