"""`RuleSet`: the loaded rules, lookup by id/alias/name, and running them over a guide."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from guidecheck.checks import CHECK_KINDS
from guidecheck.checks._text import reset_text_caches
from guidecheck.checks.base import Hit, ParamError, Text, UnknownParam
from guidecheck.engine.conditions import always
from guidecheck.engine.loader import load_rules
from guidecheck.engine.rule import SEVERITY_WEIGHTS, Rule
from guidecheck.errors import GuidecheckError
from guidecheck.findings import FACETS, Finding, Severity, fingerprint
from guidecheck.labels import Labels, folder_labels
from guidecheck.model import Guide

BLOCKING_DIAGNOSTICS = frozenset({"not-auditable"})
"""A guide with one of these diagnostics gets no rule findings: the caller reports the page instead."""

RULE_NOTE = "guidecheck rule: "
"""The note `check` adds to an exception a rule raised: RULE_NOTE + the rule's id."""

_Step = tuple[Rule, Callable[[Guide, object], Iterable[Hit]], object, Callable[[Guide], bool] | None]
"""A rule as `check` runs it: the rule, its kind's run, its prepared params, its condition (None: none)."""


class RuleSet:
    """An ordered set of rules with their compiled parameters."""

    def __init__(self, rules: Iterable[Rule], labels: Labels | None = None):
        self.rules: list[Rule] = list(rules)
        self.labels = labels
        """The label synonyms pages are read with: None for the built-in ones (rules/labels.toml); a rules
        folder's own labels.toml adds to them (see `load_ruleset`)."""
        self._index: dict[str, Rule] = {}
        self._planned: list[Rule] = []
        self._plan: list[_Step] = []
        self._reindex()

    def _reindex(self) -> None:
        self._index = {}
        for rule in self.rules:
            for key in (rule.id, rule.name, *rule.aliases):
                self._index.setdefault(key.lower(), rule)

    def _steps(self) -> list[_Step]:
        """How `check` runs the rules, looked up once (again if `rules` changed)."""
        rules = self.rules
        if len(rules) != len(self._planned) or not all(map(operator.is_, rules, self._planned)):
            self._planned = list(rules)
            self._plan = []
            for rule in rules:
                prepared, condition = rule.prepared
                run = CHECK_KINDS[rule.check].run
                self._plan.append((rule, run, prepared, None if condition is always else condition))
        return self._plan

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)

    def get(self, key: str) -> Rule:
        """The rule with this id, alias or name (case-insensitive)."""
        rule = self._index.get(key.strip().lower())
        if rule is None:
            raise GuidecheckError(f"unknown rule {key!r}; closest: {', '.join(self.closest(key))}")
        return rule

    def closest(self, key: str, limit: int = 3) -> list[str]:
        """The ids of the `limit` rules whose id, alias or name is nearest to `key`."""
        choices = {k: r.id for k, r in self._index.items()}
        found: list[str] = []
        for match, _score, _ in process.extract(key.lower(), list(choices), scorer=fuzz.WRatio, limit=limit * 4):
            rule_id = choices[match]
            if rule_id not in found:
                found.append(rule_id)
            if len(found) == limit:
                break
        return found

    def set_param(self, key: str, value: object) -> list[str]:
        """Give every rule whose check kind takes parameter `key` that value (e.g. the local `area_code`
        from the project config); returns the ids of the rules changed."""
        changed: list[str] = []
        for index, rule in enumerate(self.rules):
            params = {**rule.params, key: value}
            try:
                prepared = CHECK_KINDS[rule.check].prepare(params)
            except UnknownParam:
                continue  # the kind does not take this parameter
            except ParamError as err:
                raise GuidecheckError(f"rule {rule.id}: parameter {err.key}: {err}") from None
            self.rules[index] = dataclasses.replace(rule, params=params, prepared=(prepared, rule.prepared[1]))
            changed.append(rule.id)
        self._reindex()
        return changed

    def check(self, guide: Guide, lang: str = "zh") -> list[Finding]:
        """Run every rule over `guide`; findings carry id, severity, facet, weight, message, fingerprint."""
        if any(d.code in BLOCKING_DIAGNOSTICS for d in guide.diagnostics):
            return []
        reset_text_caches(guide)
        try:
            findings: list[Finding] = []
            for rule, run, prepared, condition in self._steps():
                try:
                    if condition is not None and not condition(guide):
                        continue
                    hits = list(run(guide, prepared))
                    if hits:
                        findings.extend(_findings(guide, rule, lang, hits))
                except Exception as err:
                    err.add_note(f"{RULE_NOTE}{rule.id}")  # api.audit_guide names the rule in the guide's error
                    raise
        finally:
            reset_text_caches()
        return findings


def _findings(guide: Guide, rule: Rule, lang: str, hits: list[Hit]) -> Iterator[Finding]:
    """A rule's findings from its hits, one per fingerprint (built only for rules with hits: most have none)."""
    seen: set[str] = set()
    template = rule.message_for(lang)
    for hit in hits:
        print_ = fingerprint(guide.id, rule.id, hit.evidence)
        if print_ in seen:
            continue
        seen.add(print_)
        params = {k: _pick(v, lang) for k, v in hit.params.items()}
        yield Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            facet=rule.facet,
            severity=rule.severity,
            message=template.format_map(_Params(params, evidence=hit.evidence)),
            evidence=hit.evidence,
            loc=hit.loc,
            guide_id=guide.id,
            guide_source=guide.source,
            guide_title=guide.title,
            fingerprint=print_,
            weight=rule.weight,
            extra=params,
        )


def _pick(value: Text, lang: str) -> str:
    if isinstance(value, tuple):
        return value[1] if lang == "en" else value[0]
    return str(value)


class _Params(dict[str, str]):
    """Message parameters; `{evidence}` is always available, an unknown field is printed as is."""

    def __init__(self, params: Mapping[str, str], evidence: str):
        super().__init__(params)
        self.setdefault("evidence", evidence)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _matches(rule: Rule, token: str) -> bool:
    t = token.strip().lower()
    if t in ("all", "*"):
        return True
    keys = {rule.id.lower(), rule.name.lower(), rule.group.lower(), rule.facet, *(a.lower() for a in rule.aliases)}
    return t in keys or rule.name.lower().startswith(t + ".")


def _resolve(rules: Sequence[Rule], tokens: Sequence[str], option: str) -> None:
    known = RuleSet(rules)
    for token in tokens:
        if not any(_matches(rule, token) for rule in rules):
            groups = sorted({r.group for r in rules}) + sorted(FACETS)
            raise GuidecheckError(
                f"{option}: unknown rule or group {token!r}; closest rules: {', '.join(known.closest(token))}; "
                f"groups: {', '.join(groups)}"
            )


def load_ruleset(
    extra_dirs: Sequence[Path] = (),
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    severity: Mapping[str, str] | None = None,
) -> RuleSet:
    """Load the built-in packs plus `extra_dirs`, keep the selected rules, apply severity overrides.

    `select`/`ignore` take rule ids, aliases, names, groups (CMP, MAT …), facets (materials …) or name
    prefixes (time …); `severity` maps an id/alias/name to error, warning or info (a rule without an
    explicit `weight` then takes the new severity's weight).
    """
    rules = all_rules = load_rules(extra_dirs)
    select = [t for t in select if t.strip()]
    ignore = [t for t in ignore if t.strip()]
    _resolve(rules, select, "select")
    _resolve(rules, ignore, "ignore")
    if select:
        rules = [r for r in rules if any(_matches(r, t) for t in select)]
    rules = [r for r in rules if not any(_matches(r, t) for t in ignore)]
    if severity:
        everything = RuleSet(all_rules)
        by_id = {r.id: i for i, r in enumerate(rules)}
        for key, value in severity.items():
            target = everything.get(key)
            try:
                level = Severity.parse(value)
            except ValueError as err:
                raise GuidecheckError(f"severity for {key}: {err}") from None
            if target.id in by_id:
                rule = rules[by_id[target.id]]
                weight = SEVERITY_WEIGHTS[level] if rule.weight == SEVERITY_WEIGHTS[rule.severity] else rule.weight
                rules[by_id[target.id]] = dataclasses.replace(rule, severity=level, weight=weight)
    return RuleSet(rules, folder_labels(extra_dirs))
