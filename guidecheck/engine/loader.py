"""Loading rule packs (TOML) into validated `Rule`s.

Conventions (documented in rules/README.md):
- A *pack* is a `*.toml` file in a rules folder with top-level `[[rule]]` entries and/or a `[terms]`
  table (named term lists) and/or a `[terms_extend]` table (items appended to an existing list).
  Other TOML files there hold no such keys and are skipped; a folder's `labels.toml` (the extractor's
  label synonyms) is read by `ruleset.load_ruleset` instead.
- Built-in packs come from `resources.rules_dir()`, then each extra folder in order. A rule in an extra
  folder whose `id` already exists OVERRIDES it key by key: plain keys replace, the tables `title`,
  `message`, `source`, `doc`, `params` and `when` are merged key by key (a new `check` kind starts from
  empty `params`); `enabled = false` drops the rule. A new id adds a rule (then every required key must be there).
- A parameter value `"@name"` (or an `"@name"` item inside a list) stands for the term list `name`, so
  inspectors can change vocabulary without touching a rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from rapidfuzz import process

from guidecheck import tomlfile
from guidecheck.checks import CHECK_KINDS
from guidecheck.checks.base import ParamError
from guidecheck.engine.conditions import build_condition
from guidecheck.engine.rule import SEVERITY_WEIGHTS, Rule, RuleDoc, RuleSource
from guidecheck.errors import RuleError
from guidecheck.findings import FACETS, Severity

PACK_KEYS = frozenset({"rule", "terms", "terms_extend"})
SKIPPED_FILES = frozenset({"labels.toml"})
"""Data files of other components that live beside the packs."""

REQUIRED_KEYS = ("id", "name", "facet", "severity", "check", "title", "message", "source", "doc")
OPTIONAL_KEYS = ("aliases", "weight", "params", "when", "enabled")
MERGED_TABLES = frozenset({"title", "message", "source", "doc", "params", "when"})
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("zh", "en"),
    "message": ("zh", "en"),
    "source": ("ids", "text"),
    "doc": ("what", "why", "fail", "pass"),
}
OPTIONAL_TABLE_KEYS = frozenset({"title.en", "message.en"})
"""A rule written in Chinese only is fine: English output falls back to the Chinese text."""
ID_PATTERN = re.compile(r"^[A-Z]{2,5}\d{2,3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
_RULE_HEADER = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
_PREPARE_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, re.error)
"""What a check kind's `prepare` raises on a parameter of the wrong shape that it did not validate itself."""


@dataclass(slots=True)
class _RawRule:
    data: dict[str, Any]
    file: str
    builtin_ids: tuple[str, ...] = ()
    """Set for a rule first defined in an extra folder: the built-in ids, to suggest an override's id."""
    line: int | None = None
    """The line of the `[[rule]]` header in `file` (of the last pack that defined or overrode the rule)."""


@dataclass(slots=True)
class _Collected:
    rules: dict[str, _RawRule] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)
    term_files: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    """Each pack's text by file name, to point errors at a line."""


def pack_files(folder: Path) -> list[Path]:
    """The rule-pack candidates in a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.toml") if p.name not in SKIPPED_FILES)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        return tomlfile.read(path, "rule pack")
    except tomlfile.TomlFileError as err:
        message = f"{err.reason}; {err.fix}" if err.fix else err.reason
        raise RuleError(str(path), message, line=err.line) from None


def rule_lines(text: str) -> list[int]:
    """The line of each `[[rule]]` header, in order (rule #i of the file starts at the i-th)."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _RULE_HEADER.match(line)]


def key_line(text: str, start: int | None, key: str) -> int | None:
    """The line in the rule block starting at `start` where `key` ("params.terms") is written, else `start`."""
    if start is None:
        return None
    lines = text.splitlines()
    end = next((n for n in range(start, len(lines)) if _RULE_HEADER.match(lines[n])), len(lines))
    found = start
    for part in key.split("."):
        word = re.escape(part)
        pattern = re.compile(rf"""^\s*(\[\s*rule\.(.+\.)?{word}\s*\]|["']?{word}["']?\s*[.=])|[{{,]\s*{word}\s*=""")
        hit = next((n + 1 for n in range(found - 1, end) if pattern.search(lines[n])), None)
        if hit is None:
            break
        found = hit
    return found


def _collect_folder(folder: Path, into: _Collected, *, builtin: bool) -> None:
    """Collect a folder's packs (or one pack file: a term-list file named on its own)."""
    if folder.is_file() and folder.suffix == ".toml":
        files = [folder]
    elif folder.is_dir():
        files = pack_files(folder)
    elif folder.exists():
        raise RuleError(
            str(folder), "not a rules folder or a .toml file (give a folder of *.toml packs or one .toml file)"
        )
    else:
        raise RuleError(str(folder), "rules folder not found (give a folder of *.toml packs or one .toml file)")
    seen_here: dict[str, str] = {}
    for path in files:
        text, data = _read_toml(path)
        into.texts[str(path)] = text
        if "rules" in data and "rule" not in data:
            raise RuleError(str(path), "top-level key 'rules' is not a pack key; write each rule as [[rule]]")
        if not PACK_KEYS & data.keys():
            if len(files) == 1 and folder.is_file():
                raise RuleError(str(path), "not a rule pack: expected [[rule]], [terms] or [terms_extend]")
            continue  # not a rule pack (some other component's data file)
        unknown = sorted(data.keys() - PACK_KEYS)
        if unknown:
            raise RuleError(
                str(path),
                f"unknown top-level key '{unknown[0]}'; a pack holds only [[rule]], [terms] and [terms_extend]",
                key=unknown[0],
            )
        file = str(path)
        _collect_terms(data, file, into)
        rules = data.get("rule", [])
        if not isinstance(rules, list):
            raise RuleError(file, "'rule' must be an array of tables: write [[rule]]", key="rule")
        headers = rule_lines(text)
        for index, raw in enumerate(rules, 1):
            line = headers[index - 1] if len(headers) == len(rules) else None  # else inline tables
            if not isinstance(raw, dict):
                raise RuleError(file, f"rule #{index} is not a table; write each rule as [[rule]]", key="rule")
            rule_id = raw.get("id")
            if not isinstance(rule_id, str) or not rule_id:
                line = key_line(text, line, "id")
                raise RuleError(file, f"rule #{index} has no 'id' (e.g. id = \"MAT11\")", key="id", line=line)
            if rule_id in seen_here:
                raise RuleError(
                    file,
                    f"duplicate id: already defined in {seen_here[rule_id]}",
                    rule=rule_id,
                    key="id",
                    line=key_line(text, line, "id"),
                )
            seen_here[rule_id] = file
            existing = into.rules.get(rule_id)
            if existing is None or builtin:
                builtin_ids = () if builtin else tuple(into.rules)
                into.rules[rule_id] = _RawRule(dict(raw), file, builtin_ids, line)
            else:
                existing.data = _merge(existing.data, raw)
                existing.file, existing.line = file, line


def _collect_terms(data: Mapping[str, Any], file: str, into: _Collected) -> None:
    for table in ("terms", "terms_extend"):
        value = data.get(table, {})
        if not isinstance(value, dict):
            raise RuleError(file, f"[{table}] must be a table of lists", key=table)
        for name, items in value.items():
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise RuleError(file, f"term list '{name}' must be a list of strings", key=f"{table}.{name}")
            if table == "terms":
                into.terms[name] = list(items)
            elif name not in into.terms:
                raise RuleError(
                    file,
                    f"[terms_extend] names unknown list '{name}'; known lists: {', '.join(sorted(into.terms))}",
                    key=f"{table}.{name}",
                )
            else:
                into.terms[name] = into.terms[name] + [i for i in items if i not in into.terms[name]]
            into.term_files[name] = file


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    if "check" in override and override["check"] != base.get("check"):
        merged.pop("params", None)  # another check kind takes other parameters
    for key, value in override.items():
        if key in MERGED_TABLES and isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def _expand_terms(value: Any, terms: Mapping[str, list[str]], fail: Any) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in terms:
            fail(f"unknown term list '{value}'; known lists: {', '.join(sorted(terms))}")
        return list(terms[value[1:]])
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            expanded = _expand_terms(item, terms, fail)
            if isinstance(item, str) and item.startswith("@"):
                out.extend(expanded)
            else:
                out.append(expanded)
        return out
    if isinstance(value, dict):
        return {k: _expand_terms(v, terms, fail) for k, v in value.items()}
    return value


def _closest(word: str, choices: Sequence[str]) -> str:
    """ "; did you mean 'x'?" for a near miss, else "" (a typo'd key or kind names its fix)."""
    near = process.extractOne(word, list(choices), score_cutoff=70)
    return f"; did you mean '{near[0]}'?" if near else ""


def _term_refs(value: Any) -> set[str]:
    """The term lists ("@name") a parameter value names."""
    if isinstance(value, str):
        return {value[1:]} if value.startswith("@") else set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return set().union(*(_term_refs(v) for v in items))


def _build_rule(raw: _RawRule, terms: Mapping[str, list[str]], collected: _Collected | None = None) -> Rule | None:
    data, file = raw.data, raw.file
    rule_id = data["id"]
    text = collected.texts.get(file, "") if collected else ""

    def fail(key: str, message: str) -> NoReturn:
        raise RuleError(file, message, rule=rule_id, key=key, line=key_line(text, raw.line, key))

    for key in data:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            hint = _closest(key, REQUIRED_KEYS + OPTIONAL_KEYS)
            fail(key, f"unknown key{hint or '; a rule takes ' + ', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        fail("enabled", "must be true or false")
    if not enabled:
        return None
    for key in REQUIRED_KEYS:
        if key not in data:
            hint = ""
            if raw.builtin_ids:
                closest = [c for c, _s, _i in process.extract(rule_id, raw.builtin_ids, limit=3)]
                hint = (
                    f"; {rule_id} is not a built-in id, so it is a new rule and needs every key "
                    f"(to override a built-in rule use its id; closest: {', '.join(closest)})"
                )
            fail(key, f"missing required key '{key}'{hint}")
    if not ID_PATTERN.match(rule_id):
        fail("id", "ids are a group code and digits, e.g. MAT11")
    name = data["name"]
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        fail("name", "names are dotted lower-case words, e.g. materials.catch-all")
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        fail("aliases", 'must be a list of strings, e.g. ["M1"]')
    facet = data["facet"]
    if not isinstance(facet, str) or facet not in FACETS:
        fail("facet", f"unknown facet {facet!r}; use one of {', '.join(FACETS)}")
    try:
        severity = Severity.parse(data["severity"]) if isinstance(data["severity"], str) else None
    except ValueError:
        severity = None
    if severity is None:
        fail("severity", f"bad severity {data['severity']!r}; use error, warning or info")
    weight = data.get("weight", SEVERITY_WEIGHTS[severity])
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) or weight < 0:
        fail("weight", "must be a finite number ≥ 0 (nan and inf would make every score nan)")
    tables: dict[str, dict[str, Any]] = {}
    for table, keys in TABLE_KEYS.items():
        value = data[table]
        if not isinstance(value, dict):
            fail(table, f"must be a table with keys {', '.join(keys)}")
        for sub in keys:
            if sub not in value and f"{table}.{sub}" in OPTIONAL_TABLE_KEYS:
                continue
            if sub not in value:
                fail(f"{table}.{sub}", f"missing '{table}.{sub}'")
            if table == "doc" and isinstance(value[sub], dict):  # what.zh = "…" / what.en = "…"
                texts = value[sub]
                if not texts or set(texts) - {"zh", "en"} or not all(isinstance(t, str) and t for t in texts.values()):
                    fail(f"doc.{sub}", 'write text, or zh and en texts: {sub}.zh = "…" and {sub}.en = "…"')
                continue
            ok = isinstance(value[sub], list) if sub == "ids" else isinstance(value[sub], str) and value[sub]
            if not ok:
                fail(f"{table}.{sub}", "must be a list of source ids" if sub == "ids" else "must be non-empty text")
        extra = sorted(value.keys() - set(keys))
        if extra:
            fail(f"{table}.{extra[0]}", f"unknown key; '{table}' takes {', '.join(keys)}")
        tables[table] = value
    for lang, template in tables["message"].items():
        try:
            template.format_map(_AnyKeys())
        except (ValueError, IndexError, KeyError, AttributeError, TypeError) as err:
            # {a.b} and {a[0]} reach into the field: AttributeError/TypeError on the test value
            fail(f"message.{lang}", f"bad format string: {err}; use plain named fields like {{term}}")
    kind = CHECK_KINDS.get(data["check"]) if isinstance(data["check"], str) else None
    if kind is None:
        hint = _closest(data["check"], sorted(CHECK_KINDS)) if isinstance(data["check"], str) else ""
        fail(
            "check",
            f"unknown check kind {data['check']!r}{hint or '; known kinds: ' + ', '.join(sorted(CHECK_KINDS))}"
            " (`guidecheck rules --kinds` documents them)",
        )
    params = data.get("params", {})
    when = data.get("when", {})
    for key, value in (("params", params), ("when", when)):
        if not isinstance(value, dict):
            fail(key, f"must be a table: write [rule.{key}]")
    # a term list edited in another file can break this rule's params: say where the list comes from
    term_files = collected.term_files if collected else {}
    origins = sorted({f"@{n} from {term_files[n]}" for n in _term_refs(params) if term_files.get(n, file) != file})
    via = f" (term lists: {', '.join(origins)})" if origins else ""
    params = _expand_terms(params, terms, lambda m: fail("params", m))
    try:
        prepared = kind.prepare(params)
    except ParamError as err:
        fail(f"params.{err.key}", f"{err}{via}")
    except _PREPARE_ERRORS as err:  # a value of the wrong type that the kind did not check
        fail(
            "params",
            f"a parameter has the wrong type or value ({type(err).__name__}: {err}){via}; "
            f"see `guidecheck rules --kinds` for what '{data['check']}' takes",
        )
    try:
        condition = build_condition(when)
    except ParamError as err:
        fail(f"when.{err.key}", str(err))
    except _PREPARE_ERRORS as err:
        fail("when", f"a condition has the wrong type or value ({type(err).__name__}: {err})")
    return Rule(
        id=rule_id,
        name=name,
        aliases=tuple(aliases),
        facet=facet,
        severity=severity,
        weight=float(weight),
        title=dict(tables["title"]),
        message=dict(tables["message"]),
        source=RuleSource(tuple(str(i) for i in tables["source"]["ids"]), tables["source"]["text"]),
        doc=_rule_doc(tables["doc"]),
        check=data["check"],
        params=params,
        when=dict(when),
        file=file,
        prepared=(prepared, condition),
    )


def _rule_doc(doc: dict[str, Any]) -> RuleDoc:
    """Texts written once serve every language; texts written as zh/en pairs give each its own."""
    default: dict[str, str] = {}
    zh: dict[str, str] = {}
    for key, value in doc.items():
        if isinstance(value, dict):
            default[key] = value.get("en") or value["zh"]
            if "zh" in value:
                zh[key] = value["zh"]
        else:
            default[key] = value
    return RuleDoc(default["what"], default["why"], default["fail"], default["pass"], zh)


class _AnyKeys(dict[str, str]):
    """Lets a message template be test-formatted without knowing its parameters."""

    def __missing__(self, key: str) -> str:
        return ""


def load_rules(extra_dirs: Sequence[Path] = ()) -> list[Rule]:
    """Read the built-in packs and then each extra folder; validate and build every rule."""
    from guidecheck.resources import rules_dir

    collected = _Collected()
    _collect_folder(rules_dir(), collected, builtin=True)
    for folder in extra_dirs:
        _collect_folder(Path(folder), collected, builtin=False)
    rules = [r for raw in collected.rules.values() if (r := _build_rule(raw, collected.terms, collected)) is not None]
    _check_unique_names(rules, collected.texts)
    return sorted(rules, key=_order)


_GROUP_ORDER = {"CMP": 0, "TIM": 1, "MAT": 2, "FLW": 3, "CON": 4}


def _order(rule: Rule) -> tuple[int, str]:
    return (_GROUP_ORDER.get(rule.group, 9), rule.id)


def _quoted_line(text: str, value: str) -> int | None:
    """The first line of a pack's `text` that holds `value` as a TOML string, for a message about it."""
    quoted = (f'"{value}"', f"'{value}'")
    return next((n for n, line in enumerate(text.splitlines(), 1) if any(q in line for q in quoted)), None)


def _check_unique_names(rules: Sequence[Rule], texts: Mapping[str, str]) -> None:
    """Ids, names and aliases all share one namespace (select, ignore and explain accept any of them)."""
    owner: dict[str, Rule] = {r.id.lower(): r for r in rules}
    for rule in rules:
        for key in (rule.name, *rule.aliases):
            other = owner.get(key.lower())
            if other is not None and other.id != rule.id:
                what = "name" if key == rule.name else "alias"
                raise RuleError(
                    rule.file,
                    f"{what} {key!r} is already used by rule {other.id} ({other.file}); choose another {what}",
                    rule=rule.id,
                    key="name" if what == "name" else "aliases",
                    line=_quoted_line(texts.get(rule.file, ""), key),
                )
            owner[key.lower()] = rule
        owner.setdefault(rule.id.lower(), rule)
