"""Rules: ``rules.toml`` in, a classification (and its explanation) out. Pure code.

``conditions`` holds the tests a rule is made of, ``ruleset`` rules, rule sets and the
features of an entry, ``schema`` the file format, ``suggest`` rule suggestions, ``digest``
what the stored classifications were made with.

The names below are loaded on first use: a command that only asks whether the stored
classifications are current (:func:`rules_fingerprint`) loads no engine.
"""

from __future__ import annotations

from leadtime.lazy import loader

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from leadtime.rules.conditions import Condition, words_of
    from leadtime.rules.digest import ENGINE_VERSION, rules_fingerprint
    from leadtime.rules.ruleset import (
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
        starter_text,
    )
    from leadtime.rules.suggest import suggest_rule

_HOME = {
    "Condition": "conditions",
    "words_of": "conditions",
    "ENGINE_VERSION": "digest",
    "rules_fingerprint": "digest",
    "Explanation": "ruleset",
    "FeatureRow": "ruleset",
    "Features": "ruleset",
    "Miss": "ruleset",
    "Rule": "ruleset",
    "RuleSet": "ruleset",
    "features_of": "ruleset",
    "features_of_rows": "ruleset",
    "local_weekday": "ruleset",
    "DEFAULT_ORIGIN": "schema",
    "RuleFile": "schema",
    "closest_category": "schema",
    "default_rules": "schema",
    "load_rules": "schema",
    "parse_rules_text": "schema",
    "read_rules_file": "schema",
    "starter_text": "schema",
    "suggest_rule": "suggest",
}


__getattr__ = loader(__name__, {name: f"{__name__}.{home}" for name, home in _HOME.items()},
                     globals())  # fmt: skip


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
