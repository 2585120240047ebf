"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rule metadata (descriptions, help with what/why/source and failing/passing examples) goes into
`tool.driver.rules`; each finding becomes a result with a stable `partialFingerprints` entry, so code
scanning tracks it across edits. Guides that could not be read become tool execution notifications.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from guidecheck import __version__
from guidecheck.findings import FACETS, Finding, Severity
from guidecheck.printable import json_dumps
from guidecheck.report._meta import RuleMeta, rules_of
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/guidecheck/guidecheck"
FINGERPRINT_KEY = "guidecheck/v1"
SRCROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(source: str, root: Path | None = None) -> dict[str, str]:
    """A URL stays a URL; a path becomes relative to `root` (the working directory) when it lies inside."""
    if "://" in source:
        return {"uri": source}
    root = (root or Path.cwd()).resolve()
    path = Path(source)
    absolute = path if path.is_absolute() else (Path.cwd() / path)
    try:
        relative = absolute.resolve().relative_to(root)
    except (ValueError, OSError):
        return {"uri": absolute.resolve().as_uri() if absolute.is_absolute() else quote(source)}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _help(meta: RuleMeta, lang: str) -> dict[str, str]:
    zh = lang == "zh"
    labels = (
        ("检查内容", "原因", "依据", "不合格示例", "合格示例") if zh else ("What", "Why", "Source", "Fails", "Passes")
    )
    parts = [(labels[0], meta.what), (labels[1], meta.why), (labels[2], meta.source)]
    text = "\n".join(f"{label}: {value}" for label, value in parts if value)
    md = "\n\n".join(f"**{label}**: {value}" for label, value in parts if value)
    for label, example in ((labels[3], meta.fail), (labels[4], meta.passing)):
        if example:
            text += f"\n{label}: {example}"
            md += f"\n\n**{label}**\n\n```text\n{example}\n```"
    fallback = meta.title or meta.name or meta.id
    return {"text": text.strip() or fallback, "markdown": md.strip() or fallback}


def _rule(meta: RuleMeta, lang: str) -> dict[str, object]:
    facet_title = FACETS.get(meta.facet, (meta.facet, meta.facet))[0 if lang == "zh" else 1]
    short = meta.title or meta.name or meta.id
    full = meta.what or short
    tags = [t for t in (meta.facet, *meta.tags) if t]
    properties: dict[str, object] = {"facet": meta.facet, "facetTitle": facet_title, "weight": meta.weight}
    properties["tags"] = tags
    if meta.aliases:
        properties["aliases"] = list(meta.aliases)
    if meta.source:
        properties["source"] = meta.source
    rule: dict[str, object] = {
        "id": meta.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": _help(meta, lang),
        "defaultConfiguration": {"level": _LEVEL[meta.severity]},
        "properties": properties,
    }
    if meta.name:
        rule["name"] = meta.name
    return rule


def _location(f: Finding, root: Path | None) -> dict[str, object]:
    source = f.loc.source if f.loc and f.loc.source else f.guide_source
    physical: dict[str, object] = {"artifactLocation": artifact_location(source, root)}
    if f.loc and f.loc.line:
        physical["region"] = {"startLine": f.loc.line}
    location: dict[str, object] = {"physicalLocation": physical}
    if f.loc and f.loc.path:
        kind = "element" if f.loc.path.startswith("/") else "member"
        location["logicalLocations"] = [{"fullyQualifiedName": f.loc.path, "kind": kind}]
        location["properties"] = {"xpath" if kind == "element" else "path": f.loc.path}
    return location


def _result(f: Finding, index: dict[str, int], root: Path | None) -> dict[str, object]:
    out: dict[str, object] = {
        "ruleId": f.rule_id,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f, root)],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "facet": f.facet,
            "evidence": f.evidence,
            "guide": {"id": f.guide_id, "source": f.guide_source, "title": f.guide_title},
        },
    }
    if f.rule_id in index:
        out["ruleIndex"] = index[f.rule_id]
    return out


def _notification(source: str, error: str, root: Path | None) -> dict[str, object]:
    return {
        "level": "error",
        "message": {"text": error},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(source, root)}}],
        "descriptor": {"id": "unreadable-guide"},
    }


def to_document(result: RunResult, lang: str, root: Path | None = None) -> dict[str, object]:
    metas = rules_of(result, lang)
    index = {m.id: i for i, m in enumerate(metas)}
    root_dir = (root or Path.cwd()).resolve()
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "guidecheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "language": "zh-CN" if lang == "zh" else "en-US",
                "rules": [_rule(m, lang) for m in metas],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [_notification(g.source, g.error or "", root) for g in result.errors],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": root_dir.as_uri().rstrip("/") + "/"}},
        "results": [_result(f, index, root) for f in result.findings],
        "columnKind": "unicodeCodePoints",
    }
    properties: dict[str, object] = {}
    if result.portal:
        properties["portal"] = result.portal
    if result.baseline:
        properties["baseline"] = result.baseline
    if properties:
        run["properties"] = properties
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, options: RenderOptions) -> str:
    root = Path(os.environ["GITHUB_WORKSPACE"]) if os.environ.get("GITHUB_WORKSPACE") else None
    return json_dumps(to_document(result, options.lang, root), indent=2) + "\n"
