"""The default rules, compiled: ``default_rules.toml`` parsed, and the keys of every keyword
its word lists hold, so that a command neither parses 1,700 lines of TOML nor stems
thousands of keywords each time it classifies an entry.

``python -m leadtime.rules.build`` writes ``default_rules.compiled`` beside the TOML; a test
checks that the shipped file is current. A file that is missing, unreadable, made from
another version of ``default_rules.toml`` or with stemmers that stem differently is
ignored: the rules are then read from the TOML, which is always the truth.

The file is a pickle of plain values (dicts, lists, tuples, frozensets, strings), shipped
inside the package like the code itself.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

from leadtime.rules.words import KnownKeys

FORMAT = 1
PATH = Path(__file__).with_name("default_rules.compiled")
# Words whose keys tell whether the stemmers at hand stem as those the file was made with.
_PROBES = ("implementations", "Besprechungen", "réunions", "przeglądu", "granskningar")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PHRASE_PROBES = ("on-call handover", "1:1", "Code-Review", "面接")


def _probe() -> list[Any]:
    """What the code makes of a few words and phrases: a compiled file made by code that
    reads words differently (stemmers, tokens) is not used."""
    from leadtime.rules.text import word_keys
    from leadtime.rules.words import phrase_keys

    words = [sorted(word_keys(w.lower())) for w in _PROBES]
    phrases = []
    for phrase in _PHRASE_PROBES:
        found = phrase_keys(phrase, "en")
        phrases.append(found if isinstance(found, str) else [sorted(k) for k in found])
    return [words, phrases]


def compile_text(text: str) -> bytes:
    """The compiled form of a default rules file's text (which must be valid)."""
    import tomllib

    from leadtime.rules.schema import DEFAULT_ORIGIN, parse_rules_data
    from leadtime.rules.words import phrase_keys

    data = tomllib.loads(text)
    parsed = parse_rules_data(data, origin=DEFAULT_ORIGIN)
    known: dict[tuple[str | None, str], Any] = {}
    vocabularies = [
        condition.vocabulary
        for rule in parsed.rules
        for condition in rule.conditions
        if hasattr(condition, "vocabulary")
    ]
    for vocabulary in vocabularies:
        for language, keywords in vocabulary.by_language.items():
            for keyword in keywords:
                if (language, keyword) not in known:
                    found = phrase_keys(keyword, language)
                    known[(language, keyword)] = (
                        found
                        if isinstance(found, str)
                        else tuple(frozenset(sys.intern(k) for k in keys) for keys in found)
                    )
    payload = {
        "format": FORMAT,
        "source": digest(text),
        "probe": _probe(),
        "data": data,
        "known": known,
    }
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def load_compiled(text: str) -> tuple[dict[str, Any], KnownKeys] | None:
    """The parsed rules and keyword keys for ``text``, if the compiled file matches it."""
    try:
        payload = pickle.loads(PATH.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return None
    if payload.get("source") != digest(text) or payload.get("probe") != _probe():
        return None
    return payload["data"], payload["known"]


def is_current(text: str) -> bool:
    """Whether the shipped compiled file was made from ``text`` with these stemmers."""
    return load_compiled(text) is not None
