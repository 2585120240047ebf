"""The rule engine: rule packs (TOML) → validated `Rule`s → a `RuleSet` that checks a `Guide`.

from guidecheck.engine import load_ruleset
ruleset = load_ruleset(select=["MAT"], severity={"MAT07": "warning"})
findings = ruleset.check(guide, lang="en")
"""

from guidecheck.engine.rule import SEVERITY_WEIGHTS, Rule, RuleDoc, RuleSource
from guidecheck.engine.ruleset import BLOCKING_DIAGNOSTICS, RuleSet, load_ruleset

__all__ = [
    "BLOCKING_DIAGNOSTICS",
    "SEVERITY_WEIGHTS",
    "Rule",
    "RuleDoc",
    "RuleSet",
    "RuleSource",
    "load_ruleset",
]
