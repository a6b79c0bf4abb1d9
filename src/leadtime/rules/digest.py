"""What the stored classifications were made with, told without loading the rules engine:
a command that finds them current (the common case) classifies nothing and needs no more.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from leadtime.rules.schema import RuleFile

# Bump when the meaning of a rule changes in code (matching semantics), so that a stored
# fingerprint no longer matches and the store re-classifies.
# 2: numbers in keywords match strictly ("1:1" is not "1.1"); regular expressions are RE2.
# 3: Polish and Swedish words also match by their roots ("wdrożono", "granskningen").
ENGINE_VERSION = 3

DEFAULT_RULES_PATH = os.path.join(os.path.dirname(__file__), "default_rules.toml")
MODEL_PATH = os.path.join(os.path.dirname(__file__), "learned.model")  # see leadtime.rules.learned


@cache
def default_digest() -> str:
    """Names the shipped rules file and the engine's version."""
    with open(DEFAULT_RULES_PATH, encoding="utf-8") as handle:
        text = handle.read()
    return hashlib.sha256(f"{ENGINE_VERSION}\x1f{text}".encode()).hexdigest()[:16]


def rules_fingerprint(user: RuleFile | None) -> str:
    """What the stored classifications depend on, without loading the shipped rules: your
    rules (if any) and the shipped file as it is. Changes with any change to either."""
    if user is None:
        return f"default:{default_digest()}"
    from leadtime.rules.ruleset import fingerprint_of

    mine = fingerprint_of(user.rules)
    return f"{mine}+default:{default_digest()}" if user.use_default_rules else mine


def model_id() -> str:
    """Names the shipped learned model in fingerprints, without loading it: a digest of its
    last bytes (its counts end there; a retrained model changes them)."""
    try:
        with open(MODEL_PATH, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - 4096))
            tail = handle.read()
    except OSError:
        return "none"
    return hashlib.sha256(tail + str(size).encode()).hexdigest()[:12]
