"""Classification as a new user meets it: titles in ten languages, the head of a title over
a later noun, the learned tier (its guesses, its abstentions, what it learns from you), and
the commands that teach it: ``classify --series`` and ``rules add``.

The titles here were written for these tests, in each language, as leads write them; none
comes from the shipped corpus or from a measured title set.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Home, Run
from leadtime.entry import Category
from leadtime.rules import Features, default_rules
from leadtime.rules.learned import Model
from leadtime.rules.tiers import Tiers

L, H, OT, U = Category.LEADERSHIP, Category.HANDS_ON, Category.OTHER, Category.UNCLASSIFIED


@pytest.fixture(scope="module")
def tiers() -> Tiers:
    """The shipped rules, then the shipped learned tier (no examples of anyone's)."""
    model = Model.load()
    return Tiers(default_rules(), lambda: model)


def category(tiers: Tiers, title: str) -> Category:
    return tiers.classify(Features(title, "", "", (), None, "ics", None, 3, 30.0, 1)).category


BY_LANGUAGE = {
    "en": [
        ("Invitation: Hiring sync for the data role @ Thu 3pm (sam@corp.example)", L),
        ("Walk through the caching design with Noor", L),
        ("Chase the memory leak in the uploader", H),
        ("fix(auth): refresh tokens expire too early", H),
        ("Dentist 🦷", OT),
        ("Write the onboarding checklist for new engineers", L),
    ],
    "de": [
        ("Einladung: Sprintplanung Team Kasse", L),
        ("Speicherleck im Uploader suchen", H),
        ("Code-Review für Jonas' Migration", L),
        ("Zertifikate auf Staging erneuern", H),
        ("Kinderarzt mit Mia", OT),
    ],
    "fr": [
        ("Entretien d'embauche \u2013 développeur mobile", L),
        ("Corriger le bug d'export PDF", H),
        ("Revue de conception : nouveau moteur de recherche", L),
        ("Déjeuner avec l'équipe", OT),
        ("Point hebdo avec la direction produit", L),
    ],
    "es": [
        ("Revisión de código del módulo de pagos", L),
        ("Depurar fallo en el login con SSO", H),
        ("Entrevista técnica candidata backend", L),
        ("Cita médica", OT),
        ("Migrar la base de datos a Postgres 16", H),
    ],
    "pt": [
        ("Revisar PR da Camila sobre cache", L),
        ("Corrigir erro no checkout", H),
        ("Reunião individual com o Tiago", L),
        ("Almoço", OT),
        ("Implementar exportação de relatórios", H),
    ],
    "nl": [
        ("Sollicitatiegesprek frontend developer", L),
        ("Bug in de facturatie oplossen", H),
        ("Teamoverleg platform", L),
        ("Tandarts", OT),
        ("Nieuwe endpoint voor rapportages bouwen", H),
    ],
    "it": [
        ("Colloquio con candidato per il team mobile", L),
        ("Correggere il bug del carrello", H),
        ("Revisione del codice di Giulia", L),
        ("Pausa pranzo", OT),
        ("Pianificazione dello sprint", L),
    ],
    "pl": [
        ("Przegląd kodu modułu płatności", L),
        ("Naprawa błędu logowania", H),
        ("Rozmowa rekrutacyjna \u2013 backend", L),
        ("Urlop", OT),
        ("Spotkanie jeden na jeden z Kasią", L),
    ],
    "sv": [
        ("Kodgranskning av Eriks ändringar", L),
        ("Felsöka inloggningsproblemet", H),
        ("Intervju med kandidat till plattformsteamet", L),
        ("Tandläkare", OT),
        ("Sprintplanering", L),
    ],
    "ja": [
        ("面接 バックエンドエンジニア", L),
        ("ログイン画面のバグ修正", H),
        ("コードレビュー", L),
        ("昼休み", OT),
    ],
}


@pytest.mark.parametrize(
    ("title", "want"),
    [pytest.param(t, c, id=f"{lang}:{t}") for lang, rows in BY_LANGUAGE.items() for t, c in rows],
)
def test_titles_in_every_language(tiers: Tiers, title: str, want: Category) -> None:
    assert category(tiers, title) == want


# Polish and Swedish as logs and calendars write them: past tenses and participles
# ("przejrzano", "wdrożono", "granskade"), nouns made from verbs ("granskningen",
# "felsökningen"), compounds ("Styrgruppsmöte"), their calendars' decorations and
# cancellations, and dates with a month name. The shipped rules decide each one.
POLISH_AND_SWEDISH = [
    ("Zaproszenie: Przejrzano poprawki Oli w module zwrotów @ wt. 11 mar 2025 10:00 - "
     "10:30 (CET)", L),
    ("Zaimplementowano kolejkę ponowień dla webhooków", H),
    ("Wdrożono hotfix płatności na produkcję (Teams)", H),
    ("Przetestowano import faktur na stagingu", H),
    ("Wdrożenie nowej osoby w zespole", L),
    ("Wdrożenie nowej wersji API", H),
    ("Planowanie wydania aplikacji", L),
    ("Napisać wytyczne dotyczące logowania błędów", L),
    ("Podsumowanie incydentu z 12 marca \u2013 szyna zdarzeń", L),
    ("Anulowane: Planowanie sprintu 31", OT),
    ("Odrzucona: Rozmowa rekrutacyjna \u2013 frontend", OT),
    ("Nie odbędzie się: daily zespołu", OT),
    ("Inbjudan: Granskningen av Saras PR för kassaflödet (valfritt)", L),
    ("Granskade Nils ändringar i Terraform", L),
    ("Felsökningen av minnesläckan i rapporttjänsten", H),
    ("Driftsättning av nya betaltjänsten 🚀", H),
    ("Fixade avrundningsfelet i fakturorna", H),
    ("Implementerade exporten av kundlistan", H),
    ("Planeringsmöte inför Q3", L),
    ("Styrgruppsmöte molnplattformen", L),
    ("Buggfix KASSA-88: dubbla dragningar på kortet", H),
    ("Incidentgenomgång 4 april \u2013 köerna stannade", L),
    ("Inställt: Sprintplanering", OT),
    ("Midsommarafton", OT),
    ("Preliminärt accepterat: Förfining av backloggen (distans)", L),
    ("Nowe wydarzenie: Przegląd kodu w Teams (zdalnie), salka 2.14", L),
    ("Daglig avstämning för plattformsteamet (Teams-möte)", L),
]  # fmt: skip


@pytest.mark.parametrize(("title", "want"), POLISH_AND_SWEDISH)
def test_polish_and_swedish_word_forms_and_decorations(
    tiers: Tiers, title: str, want: Category
) -> None:
    assert category(tiers, title) == want
    got = default_rules().classify(Features(title, "", "", (), None, "ics", None, 3, 30.0, 1))
    assert got.decided_by is not None, "decided by a guess, not by the rules"


def test_a_holiday_is_not_read_as_an_english_abbreviation(tiers: Tiers) -> None:
    # The Polish stem of "Ciało" is "ci", which is not continuous integration.
    assert category(tiers, "Boże Ciało") != H


@pytest.mark.parametrize(
    ("title", "verb", "written"),
    [
        ("Wdrożono hotfix płatności na produkcję", "wdrożyć", "wdrożono"),
        ("Przejrzałem PR Kuby z cache'em", "przejrzeć", "przejrzałem"),
        ("Granskningen av Saras PR", "granskning", "granskningen"),
    ],
)
def test_rules_explain_names_the_keyword_and_the_form_it_found(
    cli: Run, title: str, verb: str, written: str
) -> None:
    result = cli("rules", "explain", title)
    assert result.exit_code == 0
    assert f'"{verb}" (as "{written}")' in result.stdout


@pytest.mark.parametrize(
    ("title", "want"),
    [
        # a hands-on verb leads: the leadership nouns later on are what is worked on
        ("Implement the review reminder bot", H),
        ("Debug the interview scheduling tool", H),
        ("Write tests for the 1:1 notes export", H),
        ("Build the planning-poker plugin", H),
        ("Fix the postmortem template generator", H),
        ("Review-Erinnerungs-Bot implementieren", H),
        ("Implémenter le rappel de revue de code", H),
        # a leadership head: the hands-on nouns later on are what it is about
        ("Write tickets for the epic breakdown", L),
        ("Write coding guidelines", L),
        ("Walkthrough of a colleague's migration plan", L),
        ("Review Sofia's Terraform changes", L),
        ("Release planning", L),
        ("Planung des Datenbank-Upgrades", L),
        ("Revue du refactoring de Paul", L),
    ],
)
def test_the_head_of_a_title_decides_over_a_later_noun(
    tiers: Tiers, title: str, want: Category
) -> None:
    assert category(tiers, title) == want


@pytest.mark.parametrize(
    "title",
    ["Accepted: Sprint planning", "Einladung: Sprintplanung", "FW: Sprint planning (optional)",
     "[Team] Sprint planning 🗓️ 10:00-11:00 Room Everest via Zoom"],
)  # fmt: skip
def test_decorations_do_not_decide(tiers: Tiers, title: str) -> None:
    assert category(tiers, title) == L
    got = default_rules().classify(Features(title, "", "", (), None, "ics", None, 3, 30.0, 1))
    assert got.decided_by == "planning"


@pytest.mark.parametrize("title", ["asdf qwer", "🙂🎉🚀", "Zxqv plorbu", "12345", "???"])
def test_the_learned_tier_abstains_on_nonsense(tiers: Tiers, title: str) -> None:
    assert category(tiers, title) == U
    guess = tiers.guess(title)
    assert guess is not None and guess.abstained


def test_an_unknown_title_is_guessed_with_its_evidence(tiers: Tiers) -> None:
    title = "Yaml tweaks for the namespace quota"
    assert (
        default_rules()
        .classify(Features(title, "", "", (), None, "ics", None, 3, 30.0, 1))
        .decided_by
        is None
    )
    guess = tiers.guess(title)
    assert guess is not None and not guess.abstained
    assert guess.category == H and guess.confidence >= 0.7
    assert guess.evidence and all(e.weight > 0 for e in guess.evidence)
    assert guess.describe().startswith(f"'{guess.evidence[0].word}' +")


# -- learning from you ---------------------------------------------------------------------


def ids_by_title(cli: Run) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for e in json.loads(cli("ls", "--format", "json").stdout):
        found.setdefault(e["title"], []).append(e["id"])
    return found


def classification_of(cli: Run, title: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (e["category"], e["activity"], e["decided_by"])
        for e in json.loads(cli("ls", "--format", "json").stdout)
        if e["title"] == title
    ]


def test_a_manual_classification_changes_a_later_guess(cli: Run) -> None:
    assert cli("log", "Zxqv plorbu", "30m", "--at", "9:00").exit_code == 0
    assert classification_of(cli, "Zxqv plorbu") == [("unclassified", None, None)]
    (entry,) = ids_by_title(cli)["Zxqv plorbu"]
    assert cli("classify", entry, "leadership:alignment").exit_code == 0
    # A later entry of the same title (written differently) is guessed alike, and says why.
    assert cli("log", "ZXQV Plorbu!", "30m", "--at", "11:00").exit_code == 0
    assert classification_of(cli, "ZXQV Plorbu!") == [("leadership", "alignment", "learned")]
    text = cli("rules", "explain", "zxqv plorbu").stdout
    assert (
        "decided by the learned tier: you classified 'Zxqv plorbu' as leadership:alignment" in text
    )
    # Forgetting it hands the title back: the next command re-classifies.
    assert cli("classify", entry, "--clear").exit_code == 0
    assert classification_of(cli, "ZXQV Plorbu!") == [("unclassified", None, None)]


def test_your_examples_weigh_above_the_corpus(cli: Run) -> None:
    # The shipped corpus reads "lunch" as a break; after you classify a lunch meeting as
    # leadership, a similar title with more words is guessed from your example.
    cli("log", "Quarterly zorblax lunch", "1h", "--at", "12:00")
    (entry,) = ids_by_title(cli)["Quarterly zorblax lunch"]
    cli("classify", entry, "leadership:alignment")
    cli("log", "Zorblax quarterly", "1h", "--at", "14:00")
    assert classification_of(cli, "Zorblax quarterly")[0][:2] == ("leadership", "alignment")


def test_learned_off_leaves_unknown_titles_unclassified(cli: Run, home: Home) -> None:
    home.config.write_text('timezone = "Europe/Berlin"\nlearned = "off"\n', encoding="utf-8")
    cli("log", "Yaml tweaks for the namespace quota", "1h", "--at", "9:00")
    assert classification_of(cli, "Yaml tweaks for the namespace quota") == [
        ("unclassified", None, None)
    ]
    assert "the learned tier is off" in cli("rules", "explain", "Zxqv plorbu").stdout
    assert "then the learned tier: off" in cli("rules", "show").stdout
    # Turning it on re-classifies what is stored.
    assert cli("config", "set", "learned", "on").exit_code == 0
    assert classification_of(cli, "Yaml tweaks for the namespace quota")[0][0] == "hands-on"


SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//tests//EN\r
BEGIN:VEVENT\r
UID:zorb-weekly@example.com\r
DTSTART:20261102T090000Z\r
DTEND:20261102T093000Z\r
RRULE:FREQ=WEEKLY;COUNT=3\r
SUMMARY:Zorblax weekly\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:other@example.com\r
DTSTART:20261103T090000Z\r
DTEND:20261103T093000Z\r
SUMMARY:Zorblax weekly\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_classify_series_classifies_the_whole_recurring_series(cli: Run, tmp_path: Path) -> None:
    calendar = tmp_path / "work.ics"
    calendar.write_text(SERIES, encoding="utf-8")
    assert cli("import", str(calendar)).exit_code == 0
    listed = json.loads(cli("ls", "--weeks", "4", "--format", "json").stdout)
    series = [e for e in listed if e["uid"] == "zorb-weekly@example.com"]
    assert len(series) == 3
    out = cli("classify", series[1]["id"], "other:personal", "--series")
    assert out.exit_code == 0 and "and 2 other entries of its series" in out.stdout
    after = json.loads(cli("ls", "--weeks", "4", "--format", "json").stdout)
    mine = {e["id"]: (e["category"], e["decided_by"]) for e in after}
    assert all(mine[e["id"]] == ("other", "manual") for e in series)
    # The one-off event of the same title is not part of the series: the learned tier
    # guesses it from the example the classification left.
    (single,) = [e for e in after if e["uid"] == "other@example.com"]
    assert (single["category"], single["decided_by"]) == ("other", "learned")


def test_classify_series_of_a_logged_entry_takes_every_entry_with_its_title(cli: Run) -> None:
    for at in ("mon 9:00", "tue 9:00", "wed 9:00"):
        cli("log", "Zorblax weekly", "30m", "--at", at)
    cli("log", "Zorblax weekly retro", "30m", "--at", "thu 9:00")
    first = ids_by_title(cli)["Zorblax weekly"][0]
    out = cli("classify", first, "leadership:team", "--series")
    assert "and 2 other entries with the same title" in out.stdout
    assert classification_of(cli, "Zorblax weekly") == [("leadership", "team", "manual")] * 3
    assert classification_of(cli, "Zorblax weekly retro")[0][2] != "manual"


# -- rules add -----------------------------------------------------------------------------


def test_rules_add_appends_a_rule_and_keeps_the_comments(cli: Run, home: Home) -> None:
    original = (
        "# my rules: keep this comment\n"
        "use_default_rules = true  # and this one\n\n"
        '[[rule]]\nname = "vendors"  # vendors are alignment\ncategory = "leadership"\n'
        'title = ["vendor"]\n'
    )
    home.rules.write_text(original, encoding="utf-8")
    out = cli("rules", "add", "zorblax sync", "other:personal")
    assert out.exit_code == 0, out.stderr
    text = home.rules.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert text[len(original) :] == (
        '\n[[rule]]\nname = "zorblax-sync"\ncategory = "other"\nactivity = "personal"\n'
        'title_words = ["zorblax sync"]\n'
    )
    cli("log", "Zorblax syncs with Ana", "30m", "--at", "9:00")
    assert classification_of(cli, "Zorblax syncs with Ana") == [
        ("other", "personal", "zorblax-sync")
    ]
    # The same words again get a name of their own.
    cli("rules", "add", "zorblax sync", "leadership")
    assert 'name = "zorblax-sync-2"' in home.rules.read_text(encoding="utf-8")


def test_rules_add_creates_the_file_and_refuses_a_bad_category(cli: Run, home: Home) -> None:
    assert not home.rules.exists()
    assert cli("rules", "add", "design crit", "leadership:review").exit_code == 0
    created = home.rules.read_text(encoding="utf-8")
    assert created.startswith("# leadtime rules")  # the commented starter, then the rule
    assert created.rstrip().endswith('title_words = ["design crit"]')
    bad = cli("rules", "add", "zorblax", "leadershop")
    assert bad.exit_code == 2 and "did you mean 'leadership'?" in bad.stderr
    assert home.rules.read_text(encoding="utf-8") == created  # nothing written


def test_rules_add_refuses_to_touch_an_invalid_file(cli: Run, home: Home) -> None:
    home.rules.write_text('[[rule]]\nname = "x"\ncategory = "nope"\ntitle = ["x"]\n')
    before = home.rules.read_text()
    out = cli("rules", "add", "zorblax", "other")
    assert out.exit_code == 3 and "unknown category 'nope'" in out.stderr
    assert home.rules.read_text() == before


# -- storage and speed -------------------------------------------------------------------------


def test_examples_are_stored_on_every_backend(cli: Run, db_url: str) -> None:
    assert cli("--db", db_url, "log", "Zxqv plorbu", "30m", "--at", "9:00").exit_code == 0
    listed = json.loads(cli("--db", db_url, "ls", "--format", "json").stdout)
    assert cli("--db", db_url, "classify", listed[0]["id"], "other:personal").exit_code == 0
    from leadtime.store import Store
    from leadtime.store.examples import examples_version, list_examples

    store = Store.open(db_url)
    try:
        with store.read() as conn:
            assert [tuple(e) for e in list_examples(conn)] == [("Zxqv plorbu", "other", "personal")]
            assert examples_version(conn) == "1"
    finally:
        store.close()
    text = cli("--db", db_url, "rules", "explain", "Zxqv Plorbu").stdout
    assert "you classified 'Zxqv plorbu' as other:personal" in text


def test_the_shipped_compiled_files_are_current() -> None:
    from leadtime.rules.build import stale_files

    assert stale_files() == [], "run: python -m leadtime.rules.build"


@pytest.mark.parametrize("command", [["status"], ["cancel"], ["--help"], ["stop"]])
def test_daily_commands_never_load_the_learned_tier(home: Home, command: list[str]) -> None:
    code = (
        "import sys\n"
        "from leadtime.cli import main\n"
        f"sys.argv = ['leadtime', *{command!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('leadtime.rules.learned')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=home.env(), timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
