"""Baselines: accept today's findings, fail only on new ones, and count what got fixed.

A baseline file maps each finding's fingerprint (guide id, rule id, normalised evidence; see
`findings.fingerprint`) to what it was, with a count for the rare case where one guide holds the same
evidence twice. No line numbers and no dates go in, so the file is stable: rewriting it on an unchanged
repository gives the same bytes, and a finding keeps its identity when other parts of the guide change.

Applying a baseline drops the known findings from the result (reporters and the exit code then see only
new ones) and records {"new", "known", "fixed"} in `RunResult.baseline`. "Fixed" counts baseline entries
of guides that were checked in this run and no longer occur; entries of guides not checked this time
(a pre-commit run on changed files only) are neither fixed nor known.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from guidecheck.errors import InputError
from guidecheck.findings import Finding, fingerprint
from guidecheck.results import RunResult

FORMAT = "guidecheck-baseline/1"


@dataclass(slots=True, frozen=True)
class Entry:
    rule: str
    guide: str
    evidence: str
    count: int = 1


def guide_key(guide_id: str, source: str, root: Path | None) -> str:
    """The guide's identity in a baseline. A guide without an item code is known by its path, which
    depends on how guidecheck was called (`check .`, `check guides/`, an absolute path from pre-commit);
    relative to the baseline's folder it is the same every time."""
    if root is None or guide_id != source or "://" in source:
        return guide_id
    try:
        return Path(os.path.relpath(Path(source).resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return guide_id


def fingerprint_of(f: Finding, root: Path | None = None) -> str:
    key = guide_key(f.guide_id, f.guide_source, root)
    if key == f.guide_id and f.fingerprint:
        return f.fingerprint
    return fingerprint(key, f.rule_id, f.evidence)


def entries_of(findings: list[Finding], root: Path | None = None) -> dict[str, Entry]:
    counts = Counter(fingerprint_of(f, root) for f in findings)
    entries: dict[str, Entry] = {}
    for f in findings:
        key = fingerprint_of(f, root)
        guide = guide_key(f.guide_id, f.guide_source, root)
        entries.setdefault(key, Entry(rule=f.rule_id, guide=guide, evidence=f.evidence, count=counts[key]))
    return entries


def dumps(entries: dict[str, Entry]) -> str:
    findings = {}
    for key in sorted(entries, key=lambda k: (entries[k].guide, entries[k].rule, k)):
        e = entries[key]
        item: dict[str, object] = {"rule": e.rule, "guide": e.guide, "evidence": e.evidence}
        if e.count != 1:
            item["count"] = e.count
        findings[key] = item
    doc = {"format": FORMAT, "findings": findings}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(result: RunResult, path: Path) -> int:
    """Record every finding of `result` in `path`; return how many were recorded.

    Only a baseline is replaced: `--write-baseline guide.html` (a slip) must not destroy a guide page. The
    new file is written beside the old one and renamed over it, so an interrupted write loses nothing."""
    _check_writable(path)
    entries = entries_of(result.findings, path.parent)
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(dumps(entries), encoding="utf-8")
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the baseline: {err.strerror or err}") from None
    return sum(e.count for e in entries.values())


def _check_writable(path: Path) -> None:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{path}: cannot write the baseline: {parent} is a file, not a folder")
            break
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name for the baseline, e.g. {path / 'baseline.json'}")
    if not path.exists():
        return
    try:
        load(path)
    except InputError:
        raise InputError(
            f"{path}: exists and is not a guidecheck baseline; not overwritten"
            " (fix: remove it or name another file for --write-baseline)"
        ) from None


def load(path: Path) -> dict[str, Entry]:
    rewrite = f"rewrite it with --write-baseline {path}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline {path})") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a baseline file (name the file)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read the baseline: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the baseline is not UTF-8 text; {rewrite}") from None
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise InputError(f"{path}: not a baseline file (invalid JSON: {err}); {rewrite}") from None
    except RecursionError:
        raise InputError(f"{path}: not a baseline file (JSON nested too deeply); {rewrite}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("findings"), dict):
        raise InputError(f'{path}: not a guidecheck baseline (expected "format": "{FORMAT}"); rewrite it')
    entries: dict[str, Entry] = {}
    for key, item in doc["findings"].items():
        if not isinstance(item, dict) or not isinstance(item.get("guide"), str):
            raise InputError(f"{path}: entry {key!r} is malformed; rewrite the baseline with --write-baseline")
        count = item.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            # a hand-edited count: taking it as 1 would silently hide or reveal findings
            raise InputError(
                f"{path}: entry {key!r} has count {count!r}, not a whole number of at least 1; fix it or {rewrite}"
            )
        entries[key] = Entry(
            rule=str(item.get("rule", "")),
            guide=item["guide"],
            evidence=str(item.get("evidence", "")),
            count=count,
        )
    return entries


def apply(result: RunResult, entries: dict[str, Entry], file: str = "") -> RunResult:
    """Keep only new findings in `result` (in place) and record new/known/fixed counts; returns it.

    `file` is the baseline's path: guides without an item code are matched by their path relative to it.
    """
    root = Path(file).parent if file else None
    budget = {key: e.count for key, e in entries.items()}
    new = known = 0
    for g in result.guides:
        kept: list[Finding] = []
        for f in g.findings:
            key = fingerprint_of(f, root)
            if budget.get(key, 0) > 0:
                budget[key] -= 1
                known += 1
            else:
                kept.append(f)
                new += 1
        g.findings = kept
    checked = {guide_key(g.guide.id, g.guide.source, root) for g in result.guides if g.guide and not g.error}
    fixed_items = [
        {"fingerprint": key, "rule": entries[key].rule, "guide": entries[key].guide, "evidence": entries[key].evidence}
        for key, left in sorted(budget.items())
        if left > 0 and entries[key].guide in checked
        for _ in range(left)
    ]
    result.baseline = {"new": new, "known": known, "fixed": len(fixed_items), "fixed_items": fixed_items}
    if file:
        result.baseline["file"] = file
    return result
