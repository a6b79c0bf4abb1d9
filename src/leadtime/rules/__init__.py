"""Rules: ``rules.toml`` in, a classification (and its explanation) out. Pure code."""

from __future__ import annotations

from leadtime.rules.engine import (
    Condition,
    Explanation,
    Features,
    Miss,
    Rule,
    RuleSet,
    features_of,
    suggest_rule,
    words_of,
)
from leadtime.rules.schema import (
    DEFAULT_ORIGIN,
    RuleFile,
    default_rules,
    load_rules,
    parse_rules_text,
    read_rules_file,
    starter_text,
)

__all__ = [
    "DEFAULT_ORIGIN",
    "Condition",
    "Explanation",
    "Features",
    "Miss",
    "Rule",
    "RuleFile",
    "RuleSet",
    "default_rules",
    "features_of",
    "load_rules",
    "parse_rules_text",
    "read_rules_file",
    "starter_text",
    "suggest_rule",
    "words_of",
]
