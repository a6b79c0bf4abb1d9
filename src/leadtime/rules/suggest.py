"""Rule suggestions: a ``[[rule]]`` snippet for an unclassified title (``rules coverage``)."""

from __future__ import annotations

import re

from leadtime.entry import Category
from leadtime.rules.conditions import KeywordCondition, words_of
from leadtime.units import format_duration

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
_RE2_SPACE = " \t\n\r\f"


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


def rule_text(name: str, category: Category, activity: str | None, words: str) -> str:
    """A ``[[rule]]`` deciding ``category`` for titles with any form of ``words``."""
    lines = [
        "[[rule]]",
        f"name = {_toml_string(name)}",
        f"category = {_toml_string(category.value)}",
    ]
    if activity:
        lines.append(f"activity = {_toml_string(activity)}")
    lines.append(f"title_words = [{_toml_string(words)}]")
    return "\n".join(lines) + "\n"


def suggest_rule(
    title: str,
    minutes: float,
    *,
    category: Category | None = None,
    activity: str | None = None,
    why: str | None = None,
) -> str:
    """A ``[[rule]]`` snippet that matches ``title``, to paste into ``rules.toml``.

    The rule tests the title's distinctive words as one phrase (leading and trailing filler
    words and numbers dropped). Without ``category`` the category is a placeholder the user
    must replace: the snippet is refused until they do. ``why`` says where a proposed
    category comes from (the learned tier's guess).
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
    phrase = " ".join(core)
    if core and KeywordCondition.build("title", "title", False, [phrase]).pattern.search(title):
        name = "-".join(core)
        test = f"title = [{_toml_string(phrase)}]"
    else:  # no words, or numbers that whole-word matching keeps apart ("0;0", "v2.1")
        name = "-".join(core) or "untitled"
        # RE2's \s is ASCII white space only: strip just that, so the rule still matches.
        exact = r"^\s*" + re.escape(title.strip(_RE2_SPACE)) + r"\s*$"
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
        note = f"  # {why}" if why else ""
        lines.append(f"category = {_toml_string(category.value)}{note}")
    label = activity or (core[0] if core else "untitled")
    lines.append(f"activity = {_toml_string(label)}  # optional label")
    if len(broader) > 1:
        lines.append(f"{test}  # broader: title = [{', '.join(map(_toml_string, broader))}]")
    else:
        lines.append(test)
    return "\n".join(lines) + "\n"
