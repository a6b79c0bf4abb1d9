"""Rules: ``rules.toml`` in, a classification (and its explanation) out. Pure code.

``conditions`` holds the tests a rule is made of, ``ruleset`` rules, rule sets and the
features of an entry, ``schema`` the file format, ``suggest`` rule suggestions.
"""

from __future__ import annotations

from leadtime.rules.conditions import Condition, words_of
from leadtime.rules.ruleset import (
    ENGINE_VERSION,
    Explanation,
    FeatureRow,
    Features,
    Miss,
    Rule,
    RuleSet,
    features_of,
    features_of_rows,
    local_weekday,
)
from leadtime.rules.schema import (
    DEFAULT_ORIGIN,
    RuleFile,
    closest_category,
    default_rules,
    load_rules,
    parse_rules_text,
    read_rules_file,
    rules_fingerprint,
    starter_text,
)
from leadtime.rules.suggest import suggest_rule

__all__ = [
    "DEFAULT_ORIGIN",
    "ENGINE_VERSION",
    "Condition",
    "Explanation",
    "FeatureRow",
    "Features",
    "Miss",
    "Rule",
    "RuleFile",
    "RuleSet",
    "closest_category",
    "default_rules",
    "features_of",
    "features_of_rows",
    "load_rules",
    "local_weekday",
    "parse_rules_text",
    "read_rules_file",
    "rules_fingerprint",
    "starter_text",
    "suggest_rule",
    "words_of",
]
