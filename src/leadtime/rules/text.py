"""Reading a title the way the classification does: decorations stripped, words and their
stems in every supported language, and the title's head (its leading action).

Calendars and trackers decorate titles: ``Invitation:``, ``Updated invitation:``,
``Einladung:``, ``FW:``, ``[Team]``, ``(optional)``, emoji, times, rooms, video-call
hints, e-mail addresses, ticket keys. :func:`clean` removes them, in every language the
classification speaks, so that neither a rule nor the learned tier is misled by them.

Words are compared by their stems (Snowball stemmers, through PyStemmer, for English,
German, French, Spanish, Portuguese, Dutch, Italian, Polish and Swedish), with and without
accents, so that ``review`` matches ``Reviews``/``reviewing`` and ``reunião`` matches
``reuniao``. Japanese (and Chinese) text, which has no spaces, is matched by substrings.

Nothing here reads files, the database or the clock; everything is cached per word and
per title, so classifying many entries with the same titles costs one analysis each.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from leadtime.record import record

LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "it", "pl", "sv", "ja")
STEMMED = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "pt": "portuguese",
    "nl": "dutch", "it": "italian", "pl": "polish", "sv": "swedish",
}  # fmt: skip
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese",
    "nl": "Dutch", "it": "Italian", "pl": "Polish", "sv": "Swedish", "ja": "Japanese",
}  # fmt: skip

_CACHE = 65_536  # titles and words remembered per process


class _Pattern:
    """A regular expression compiled on first use: most titles need few of them, and a
    command that classifies nothing compiles none."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def sub(self, repl: Any, text: str) -> str:
        return self.compiled.sub(repl, text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text)

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text)


# -- decorations ----------------------------------------------------------------------------

# What calendars put before a title, in the languages they speak ("Updated invitation:",
# "Aktualisierte Einladung:", "Invitation mise à jour :", "FW:", "AW:", "招待:" ...).
_PREFIX_WORDS = r"""
    invitation | updated\ invitation(?:\ with\ note)? | invitation\ with\ note | invite |
    new\ event | updated\ event | event\ updated | updated | accepted | tentative |
    tentatively\ accepted | reminder | fwd? | re | copy | forwarded |
    einladung | aktualisierte\ einladung | aktualisiert | angenommen | mit\ vorbehalt |
    vorläufig(?:\ angenommen)? | erinnerung | neuer\ termin | verschoben | wg | aw |
    invitation\ mise\ à\ jour | mise\ à\ jour | accepté | acceptée | provisoire | rappel |
    tr | réf |
    invitación(?:\ actualizada)? | aceptado | aceptada | provisional | recordatorio | rv |
    convite(?:\ atualizado)? | aceito | aceite | provisório | lembrete | enc | res |
    uitnodiging | bijgewerkte\ uitnodiging | geaccepteerd | voorlopig | herinnering | doorst |
    invito(?:\ aggiornato)? | accettato | provvisorio | promemoria | i | r |
    zaproszenie | zaktualizowane\ zaproszenie | zaakceptowano | wstępnie\ zaakceptowano |
    zaakceptowane | wstępnie\ zaakceptowane | nowe\ wydarzenie | zaktualizowane\ wydarzenie |
    przypomnienie | pd | odp |
    inbjudan | uppdaterad\ inbjudan | accepterad | accepterat | preliminär |
    preliminärt(?:\ accepterad|\ accepterat)? | ny\ händelse | uppdaterad\ händelse |
    påminnelse | vb | sv |
    招待 | 招待状 | 更新された招待 | 承諾 | 仮承諾 | 転送 | 通知
"""
_PREFIX = _Pattern(
    r"^(?:\s*(?:" + _PREFIX_WORDS + r")\s*[:\uff1a]\s*)+", re.IGNORECASE | re.VERBOSE
)
# Google's invitation subjects end with " @ <day, date, time> (<zone>) (<address>)".
_AT_WHEN = _Pattern(r"\s+@\s+[^@]*\d[^@]*$")
_EMAIL = _Pattern(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = _Pattern(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Month names (and their usual abbreviations) in the languages read, for dates written
# with a day: "3 March", "March 3rd", "3. März", "3 mars", "14 marca", "3 de marzo".
_MONTHS = r"""
    jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|
    sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|
    januar|februar|märz|mai|juni|juli|oktober|dezember|okt|dez|
    janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|
    décembre|decembre|janv|févr|juil|
    enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|
    noviembre|diciembre|ene|dic|
    janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|
    fev|
    januari|februari|maart|mei|augustus|augusti|
    gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|giu|lug|ott|
    styczeń|stycznia|luty|lutego|marzec|marca|kwiecień|kwietnia|maj|maja|czerwiec|czerwca|
    lipiec|lipca|sierpień|sierpnia|wrzesień|września|październik|października|listopad|
    listopada|grudzień|grudnia|sty|lut|kwi|cze|lip|wrz|paź|lis|gru
"""
# Times of day, time ranges, numeric dates and durations: "10:30", "10am-11am", "14h",
# "2024-03-12", "12.03.", "12/03", "(30 min)", "3 March", "14 marca 2025". "1:1" is not a
# time (minutes have 2 digits).
_TIME = _Pattern(
    r"""
    \b\d{1,2}(?:\.|st|nd|rd|th|er)?\s+(?:de\s+)?(?:"""
    + _MONTHS
    + r""")\b\.?(?:\s+(?:de\s+)?\d{4}\b)?
    | \b(?:"""
    + _MONTHS
    + r""")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?![:.]\d)(?:,?\s+\d{4}\b)?
    | \b\d{4}-\d{2}-\d{2}(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?\b
    | \b\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?\b|uhr\b|h\b)?
    | \b\d{1,2}\s*[ap]\.?m\.?\b
    | \b\d{1,2}\s*h\b(?!\w)
    | \b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?:\.|\b)(?![\d.])
    | \b\d+\s*(?:min|mins|minutes|minuten|minutos|minuti|minuter|minut|hrs?|hours?|stunden?)\b
    | \b(?:utc|gmt|cet|cest|mez|mesz|bst|est|edt|pst|pdt|jst|ist)\b(?:\s*[+-]\d{1,2})?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Video-call hints: "(Zoom)", "via Teams", "Google Meet", "MS Teams call", "visio".
_CALL = _Pattern(
    r"""
    (?:\b(?:via|on|over|per|über|en|por|em|op|på|su|przez|in)\s+)?
    \b(?:zoom(?:\s+call)?|google\s+meet|g\s*meet|hangouts?|microsoft\s+teams|ms\s+teams|
    webex|jitsi|whereby|gotomeeting|goto\s+meeting|skype|bluejeans|chime|
    video\s*call|videocall|video\s*conference|videokonferenz|visio(?:conférence)?|
    videollamada|videochamada|videogesprek|videosamtal|videochiamata|wideokonferencja)\b
    (?:-(?:möte|mötet|samtal|spotkanie|meeting|call|besprechung)\b)?
    | (?:\b(?:via|on|in|über|per|en|op|på|su|przez|w|na|i)\s+|\(\s*)teams\b
    (?:-(?:möte|mötet|samtal|spotkanie|meeting|call|besprechung)\b)?\s*\)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Rooms: "Room 4.12", "Raum: Everest", "Salle Orion", "sala 2", "meeting room Berlin".
_ROOM = _Pattern(
    r"\b(?:(?:meeting|conference|conf)\s+room|room|raum|besprechungsraum|salle|sala|zaal|"
    r"vergaderruimte|rum|mötesrum|konferensrum|pokój|salka|sala\s+riunioni|会議室)"
    r"\s*[:#]?\s*[\w.-]+",
    re.IGNORECASE,
)
# Parenthesised notes that say nothing about the work.
_NOTE_WORDS = (
    r"optional|optionnel|facultatif|opcional|facoltativo|optioneel|valfri|valfritt|"
    r"opcjonalnie|任意|tentative|tbc|tbd|rescheduled|moved|new\s+time|updated|copy|"
    r"verschoben|neu|reporté|déplacé|reprogramado|reagendado|verplaatst|spostato|"
    r"przeniesione|flyttad|remote|hybrid|online|in\s+person|vor\s+ort|sur\s+place|"
    r"presencial|presencial|ter\s+plaatse|in\s+presenza|na\s+miejscu|på\s+plats|"
    r"recurring|wiederkehrend|récurrent|recurrente|recorrente|terugkerend|ricorrente|"
    r"cykliczne|återkommande|internal|extern|external|zdalnie|stacjonarnie|hybrydowo|"
    r"do\s+potwierdzenia|distans|på\s+distans|preliminärt|prel\.?"
)
_NOTE = _Pattern(r"[(\[]\s*(?:" + _NOTE_WORDS + r")\s*[)\]]", re.IGNORECASE)
_EDGES = " :-\u2013\u2014|"  # what a cleaned title does not start or end with
_EMPTY_BRACKETS = _Pattern(r"[(\[{]\s*[)\]}]")
# Cheap tests that spare most titles the patterns above.
_CALL_HINTS = (
    "zoom", "meet", "teams", "webex", "video", "visio", "skype", "jitsi", "hangout",
    "chime", "whereby", "goto", "bluejeans", "wideo",
)  # fmt: skip
_ROOM_HINTS = (
    "room", "raum", "salle", "sala", "salka", "zaal", "ruimte", "rum", "pokój", "会議室",
)  # fmt: skip
_ZONE_HINTS = (
    "utc",
    "gmt",
    "cet",
    "cest",
    "mez",
    "mesz",
    "bst",
    "est",
    "edt",
    "pst",
    "pdt",
    "jst",
    "ist",
)
_BRACKET = _Pattern(r"\[([^\[\]]{0,40})\]|【([^【】]{0,40})】")
# "PROJ-4821", "#1234", "!567" (merge requests), "v1.4.0".
TICKET = _Pattern(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}-\d{1,6}(?![\w-])")
_NUMBER_REF = _Pattern(r"(?<![\w&])[#!]\d+\b")
_VERSION = _Pattern(
    r"(?<![\w.])(?:v\d+(?:\.\d+){0,3}|\d+\.\d+\.\d+(?:\.\d+)?)(?:-[\w.]+)?(?![\w.])", re.I
)
# "1:1", "1-1", "1on1", "1x1", "121": one person with one person.
_ONE_ON_ONE = _Pattern(
    r"(?<![\w.:/,(\-])1(?:[:x\-]|\s?on\s?|o)1(?:s\b)?(?![\w:/,)\-])(?!\.\d)", re.I
)
ONE_ON_ONE_TOKEN = "1on1"
# "on-call", "on call", "oncall": one word, so that a "call" is not taken for it.
_ON_CALL = _Pattern(r"\bon[\s-]?call\b", re.I)
ON_CALL_TOKEN = "oncall"
# Conventional commit subjects: "fix:", "feat(api):", "build!:", "chore(deps):".
COMMIT = _Pattern(
    r"^\s*(?:feat|fix|bugfix|hotfix|chore|refactor|perf|test|tests|build|ci|docs|style|"
    r"revert|deps|cleanup)(?:\([^()]{0,40}\))?!?:\s*\S",
    re.IGNORECASE,
)

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """``text`` without accents (``reunião`` -> ``reuniao``, ``łączenie`` -> ``laczenie``)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PICTOGRAPH_CATEGORIES = frozenset(("So", "Sk", "Cs", "Co", "Cn", "Me"))
_INVISIBLE = frozenset("\u200d\ufe0f\ufe0e\u20e3")


def _is_pictograph(ch: str) -> bool:
    return not ch.isascii() and (
        ch in _INVISIBLE or unicodedata.category(ch) in _PICTOGRAPH_CATEGORIES
    )


def strip_pictographs(text: str) -> str:
    """``text`` without emoji and other pictographs (🚀, ✅, 🍕, variation selectors)."""
    if text.isascii():
        return text
    return "".join(" " if _is_pictograph(ch) else ch for ch in text)


@record
class Cleaned:
    """A title without its decorations, and what the decorations said about the work."""

    text: str  # the title as the classification reads it ("" when nothing is left)
    topics: str  # the words of leading "[Team]"-style tags, read after the title
    ticket: bool  # it names a ticket ("PROJ-4821"), a pull request ("#123") or a version
    commit: bool  # it is a conventional commit subject ("fix: ...", "feat(api): ...")
    keys: frozenset[str] = frozenset()  # the letters of its ticket keys ("lan" of "LAN-41")


@lru_cache(maxsize=_CACHE)
def clean(title: str) -> Cleaned:
    """``title`` without invitation prefixes, times, rooms, call hints, addresses, emoji,
    tags and ticket keys (each language's forms)."""
    text = unicodedata.normalize("NFKC", title).replace("\n", " ")
    lower = text.lower()
    digits = any(ch.isdigit() for ch in text)
    if "http" in lower or "www." in lower:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _AT_WHEN.sub("", _EMAIL.sub(" ", text))
    colon = ":" in text
    if colon:
        text = _PREFIX.sub("", text)
    commit = COMMIT.match(text) if colon else None
    if commit:
        text = text[commit.end() - 1 :]
    text = strip_pictographs(text)
    ticket = False
    keys: set[str] = set()
    if digits:
        ticket = bool(TICKET.search(text) or _NUMBER_REF.search(text))

        def letters(match: re.Match[str]) -> str:
            keys.add(match.group().split("-")[0].lower())
            return " " + match.group().split("-")[0] + " "

        # "RFC-042", "ADR-017": the key's letters may say what it is; its number never does.
        text = _NUMBER_REF.sub(" ", TICKET.sub(letters, text))
    if "(" in text or "[" in text:
        text = _NOTE.sub(" ", text)
    if any(hint in lower for hint in _CALL_HINTS):
        text = _CALL.sub(" ", text)
    if any(hint in lower for hint in _ROOM_HINTS):
        text = _ROOM.sub(" ", text)
    if "call" in lower:
        text = _ON_CALL.sub(ON_CALL_TOKEN, text)
    if digits:
        if _VERSION.search(text):
            ticket = True
            text = _VERSION.sub(" ", text)
        text = _ONE_ON_ONE.sub(f" {ONE_ON_ONE_TOKEN} ", text)
    if digits or any(zone in lower for zone in _ZONE_HINTS):
        text = _TIME.sub(" ", text)
    topics: list[str] = []

    def tag(match: re.Match[str]) -> str:
        if match.group(2):  # 【定例】: in Japanese, the meeting's kind, read first
            return match.group(2) + " : "
        topics.append(match.group(1) or "")
        return " : "

    if "[" in text or "【" in text:
        text = _BRACKET.sub(tag, text)
        text = _PREFIX.sub("", text.strip(_EDGES))
    if "(" in text or "[" in text or "{" in text:
        text = _EMPTY_BRACKETS.sub(" ", text)  # brackets emptied by the steps above
    text = " ".join(text.split()).strip(_EDGES + ",;/")
    topic = " ".join(" ".join(topics).split())
    return Cleaned(text, topic, ticket, commit is not None, frozenset(keys))


# -- words ------------------------------------------------------------------------------------

# A token: a run of letters and digits, a run of CJK characters, or "1on1".
_TOKEN = _Pattern(r"[^\W_]+")
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _cjk_char(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES) or ch == "\u3005"


def _split_scripts(token: str) -> list[str]:
    """A token split where it turns from CJK to other letters ("PRレビュー")."""
    if token.isascii():
        return [token]
    out: list[str] = []
    for ch in token:
        kind = _cjk_char(ch)
        if out and _cjk_char(out[-1][-1]) == kind:
            out[-1] += ch
        else:
            out.append(ch)
    return out


# What ends a part of a title: "Search v2: epic breakdown", "Payments - debug timeout"
# (with a hyphen, an en or an em dash), Japanese punctuation.
_PART_BREAK = _Pattern(
    r"\s*(?:[:;|,!?()\[\]{}\u201c\u201d\"\u00ab\u00bb\u2192]|\s[-\u2013\u2014]+\s|[\u2013\u2014]"
    r"|\.\s|\u3002|\u3001|\uff1a)\s*"
)

# Words that join phrases rather than name the work: articles, prepositions, possessives,
# conjunctions. They end a chunk of a title ("Review | of a colleague's | migration plan").
FUNCTION_WORDS_TEXT = """
    the a an for of with on in to at about re from by into onto via vs versus and or my
    our your his her their its this that these those per w s der die das den dem des ein
    eine einen einem einer eines für mit von zu zum zur im in am an auf aus bei über und
    oder mein meine meinem meinen unser unsere dein ihr ihre sein seine nach vor bis le
    la les l un une des du de d pour avec sur en au aux et ou mon ma mes notre nos votre
    vos son sa ses à par dans chez el los las una unos unas del para con sobre y o mi
    mis nuestro nuestra su sus al por o os as um uma do da dos das para com em no na nos
    nas e ou meu minha nosso nossa seu sua ao pelo pela het een van voor met op aan over
    en mijn onze ons jouw zijn haar bij naar tot om il lo gli i uno della dei degli
    delle di su sul sulla nel nella mio mia nostro nostra suo alla da z ze w we na do
    dla od po oraz lub mój moja nasz nasza jego jej przez przed przy nad bez między
    dotyczące dotyczący dotycząca ett det för med på till av om efter inför inom utan
    mellan kring enligt
    och eller min mitt mina vår vårt våra hans hennes från hos の と を に で へ や
"""
FUNCTION_WORDS = frozenset(FUNCTION_WORDS_TEXT.split())


# Nouns that name the form of the work, not the work: in "Postmortem writeup", "Interview
# prep" or "Retro notes", the word before them is the head.
NEUTRAL_HEADS_TEXT = """
    writeup write up notes note prep preparation doc docs document session sessions
    meeting meetings call calls follow up followup summary agenda slot time block chat
    readout recap draft report catch day days schreiben aufschreiben schrijven
    uitschrijven vorbereitung notizen protokoll termin runde nachbereitung dokument
    zusammenfassung préparation compte rendu séance réunion suivi ordre du jour résumé
    preparación notas acta sesión reunión seguimiento resumen preparação ata sessão
    reunião resumo voorbereiding notities verslag sessie vergadering samenvatting
    preparazione verbale sessione riunione riepilogo przygotowanie notatki notatka sesja
    spotkanie podsumowanie förberedelse anteckningar möte sammanfattning
"""
NEUTRAL_HEADS = frozenset(NEUTRAL_HEADS_TEXT.split())


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    import Stemmer  # PyStemmer: C code, well under a millisecond to load

    return Stemmer.Stemmer(STEMMED[language])


# Languages that join nouns into one word, whose last part is its head: "Sprintplanung",
# "teamoverleg", "kodgranskning". A title word of theirs also matches its tails.
COMPOUNDING = ("de", "nl", "sv")
_COMPOUND = 8  # shortest word read as a compound
_TAIL = 5  # shortest tail (stem) matched; the part before it has at least 3 letters
_RAW_TAIL = 5  # shortest tail matched as written ("Teammeeting" -> "meeting")
# A Swedish compound that ends in "möte" (a meeting) is named by what comes before it:
# "styrgruppsmöte" is a steering group, "planeringsmöte" planning.
_MEETING_TAILS = {"sv": ("mötet", "möten", "möte", "motet", "moten", "mote")}


def _before_meeting(language: str, form: str) -> tuple[str, ...]:
    """The stem of what comes before a compound's "meeting" ("styrgruppsmöte" ->
    "styrgrupp"), with and without its linking "s"; () when there is none."""
    for tail in _MEETING_TAILS.get(language, ()):
        if form.endswith(tail) and len(form) - len(tail) >= 4:
            first = form[: -len(tail)].rstrip("-")
            stem = _stemmer(language).stemWord
            found = [stem(first)]
            if first.endswith("s") and len(first) > 4:
                found.append(stem(first[:-1]))
            return tuple(found)
    return ()


# Snowball's Polish and Swedish stemmers take inflections off, not what makes a verb of a
# noun or a participle of a verb: "wdrożyć", "wdrożyłem", "wdrożono" and "wdrożenie" stem
# to "wdrożyc", "wdrożył", "wdrożon" and "wdrożen"; "granska" and "granskning" to "gransk"
# and "granskning". Their roots ("wdroż", "gransk") are keys too, for these languages only.
_POLISH_ENDINGS = (
    "owan", "ywan", "iwan", "ion", "ien", "an", "on", "en", "ył", "ił", "ał", "ęł",
    "yc", "ic", "ec", "ac", "ow",
)  # fmt: skip
_SWEDISH_DOUBLE = _Pattern(r"([bdfgklmnprstv])\1$")


def _roots(language: str, stemmed: str) -> tuple[str, ...]:
    """What a Polish or Swedish stem comes from, besides the stem: the verb's root of a
    participle, a past tense or a noun made from the verb (none in other languages)."""
    if language == "pl":
        for ending in _POLISH_ENDINGS:
            if stemmed.endswith(ending) and len(stemmed) - len(ending) >= 4:
                root = stemmed[: -len(ending)]
                if root.endswith("ow") and len(root) >= 6:
                    root = root[:-2]  # "testowan" -> "testow" -> "test"
                return (root,)
        return ()
    if language == "sv":
        if stemmed.endswith("ering") and len(stemmed) >= 8:
            return (stemmed[:-3],)  # "planering" -> "planer", as "planera"
        if stemmed.endswith("ning") and len(stemmed) >= 7 and stemmed[-5] in "bcdfkpstvz":
            root = stemmed[:-4]  # "granskning" -> "gransk", as "granska"
            single = _SWEDISH_DOUBLE.sub(r"\1", root)  # "driftsätt" -> "driftsät"
            return (root, single) if single != root else (root,)
    return ()


def _keys(word: str, languages: Iterable[str], *, title: bool) -> frozenset[str]:
    forms = {word, fold(word)}
    keys = set(forms)
    if len(word) > 2 and not word.isdigit():
        for language in languages:
            stem = _stemmer(language).stemWord
            for form in forms:
                stemmed = stem(form)
                keys.add(f"{language}:{stemmed}")
                found = _roots(language, stemmed)
                keys.update(f"{language}:{root}" for root in found)
                if title:
                    if len(stemmed) > 2 or form == f"{stemmed}s":  # "prs", not "ciało"
                        keys.add(stemmed)
                    if language in COMPOUNDING and len(form) >= _COMPOUND:
                        for whole in (stemmed, *found, *_before_meeting(language, form)):
                            keys.update(
                                f"{language}:{whole[i:]}" for i in range(3, len(whole) - _TAIL + 1)
                            )
                            if whole not in (stemmed, *found):
                                keys.add(f"{language}:{whole}")
        if title and len(word) >= _COMPOUND:
            for form in forms:
                keys.update(form[i:] for i in range(3, len(form) - _RAW_TAIL + 1))
    return frozenset(k for k in keys if k)


@lru_cache(maxsize=_CACHE)
def word_keys(word: str) -> frozenset[str]:
    """What a (lower-case) title word is compared by: itself, its accent-free form, and
    their stems in every stemmed language, alone ("review") and with the language
    ("en:review"). A keyword matches a word when they share a key: the same form, a stem
    of the word that is the keyword as written ("reviewen" -> "review"), or the same stem
    by the keyword's language's stemmer ("Planung" and "planen" -> "de:plan")."""
    if is_cjk(word):
        return frozenset((word,))
    return _keys(word, STEMMED, title=True)


def language_keys(word: str, language: str | None) -> frozenset[str]:
    """A keyword's keys: its stems in ``language`` only (or in every language, None)."""
    if is_cjk(word):
        return frozenset((word,))
    if language is None or language not in STEMMED:
        return _keys(word, STEMMED, title=False)
    return _keys(word, (language,), title=False)


def is_cjk(word: str) -> bool:
    return not word.isascii() and any(_cjk_char(ch) for ch in word)


def tokens(text: str) -> list[str]:
    """The lower-case tokens of ``text`` (CJK runs kept whole; "&" is "and")."""
    found = _TOKEN.findall(text.replace("&", " and ").lower())
    if text.isascii():
        return found
    return [part for token in found for part in _split_scripts(token)]


# -- the analysed title -----------------------------------------------------------------------


@record
class Chunk:
    """A run of content words between function words, within a part of the title."""

    start: int  # index of its first word in Title.words
    end: int  # one past its last word


@record
class Title:
    """A title as the classification reads it."""

    cleaned: Cleaned
    words: tuple[str, ...]  # lower-case tokens, function words included
    neutral: tuple[bool, ...]  # whether each word is a neutral head ("notes", "prep", "2")
    head_first: bool  # a language whose nouns come first ("Przegląd kodu", "Revue code")
    keys: tuple[frozenset[str], ...]  # each word's comparison keys
    parts: tuple[tuple[Chunk, ...], ...]  # the title's parts, each a list of chunks
    all_keys: frozenset[str]  # every key of every word (a fast first test)
    text: str  # cleaned.text with its topics, lower case, for substring (CJK) tests


@lru_cache(maxsize=_CACHE)
def analyse(title: str) -> Title:
    """The cleaned title, its words, their keys, and its parts and chunks."""
    cleaned = clean(title)
    words: list[str] = []
    parts: list[tuple[Chunk, ...]] = []
    for piece in (*_PART_BREAK.split(cleaned.text), "\x00", cleaned.topics):
        if piece == "\x00":  # the tags come last, as a part of their own
            continue
        chunks: list[Chunk] = []
        start = len(words)
        for token in tokens(piece):
            if token in FUNCTION_WORDS:
                if len(words) > start:
                    chunks.append(Chunk(start, len(words)))
                words.append(token)
                start = len(words)
            else:
                words.append(token)
        if len(words) > start:
            chunks.append(Chunk(start, len(words)))
        if chunks:
            parts.append(tuple(chunks))
    keys = tuple(frozenset((w,)) if w in FUNCTION_WORDS else word_keys(w) for w in words)
    all_keys = frozenset().union(*keys) if keys else frozenset()
    text = " ".join(filter(None, (cleaned.text, cleaned.topics))).lower()
    # A ticket key's letters are no part of the work's name: "Buggfix LAN-41: …" is a fix.
    neutral = tuple(w in NEUTRAL_HEADS or w.isdigit() or w in cleaned.keys for w in words)
    head_first = _head_first(words)
    return Title(cleaned, tuple(words), neutral, head_first, keys, tuple(parts), all_keys, text)


# Signs of a language whose nouns come before what qualifies them (French, Spanish,
# Portuguese, Italian, Polish) against one that compounds (English, German, Dutch,
# Swedish): function words, letters and endings only these languages have.
_HEAD_FIRST_WORDS_TEXT = """
    le la les du des au aux une pour avec sur dans chez el los las del para con por una
    os as do da dos das um uma com pelo pela il gli della dei degli delle nel nella sul
    sulla per z ze w we na do dla od po oraz przez jest się
"""
_HEAD_FIRST_WORDS = frozenset(_HEAD_FIRST_WORDS_TEXT.split())
_HEAD_LAST_WORDS_TEXT = """
    the for with of and der die das den dem des für mit von und het een van voor met en
    ett för med och på av
"""
_HEAD_LAST_WORDS = frozenset(_HEAD_LAST_WORDS_TEXT.split())
_HEAD_FIRST_LETTERS = frozenset("ąćęłńśźżñãõçèêàùìò")
_HEAD_LAST_LETTERS = frozenset("äöüßåø")
_HEAD_FIRST_ENDINGS = (
    "acja", "acji", "anie", "enie", "owy", "owa", "ości", "ción", "ção", "zione", "mento",
    "ment", "ité", "idade", "ità", "ować", "ować",
)  # fmt: skip


# Polish endings that no English, German, Dutch or Swedish word has, even unaccented.
_HEAD_FIRST_ASCII_ENDINGS = ("acja", "acji", "anie", "enie", "ania", "enia", "aniu", "eniu")


def _head_first(words: Iterable[str]) -> bool:
    """Whether the title reads like a language that puts its head noun first."""
    first = last = 0
    for word in words:
        if word in _HEAD_FIRST_WORDS:
            first += 2
        elif word in _HEAD_LAST_WORDS:
            last += 2
        if word.isascii():
            if len(word) > 5 and word.endswith(_HEAD_FIRST_ASCII_ENDINGS):
                first += 1  # "Planowanie wydania", "Konfiguracja alertow"
            continue
        if any(ch in _HEAD_FIRST_LETTERS for ch in word):
            first += 1
        if any(ch in _HEAD_LAST_LETTERS for ch in word):
            last += 1
        if word.endswith(_HEAD_FIRST_ENDINGS):
            first += 1
    return first > last


def keyword_tokens(keyword: str) -> list[str]:
    """The tokens of a keyword as titles are tokenised ("1:1" -> ``1on1``)."""
    text = _ONE_ON_ONE.sub(f" {ONE_ON_ONE_TOKEN} ", unicodedata.normalize("NFKC", keyword))
    return tokens(_ON_CALL.sub(ON_CALL_TOKEN, text))


def distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
