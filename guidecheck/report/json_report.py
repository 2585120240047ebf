"""`--format json`: the whole run as one JSON document (schema: docs/schemas/report.schema.json)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from guidecheck import __version__
from guidecheck.printable import json_dumps
from guidecheck.results import RunResult

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

SCHEMA_VERSION = 1


def summary(result: RunResult) -> dict[str, object]:
    by_severity = Counter(str(f.severity) for f in result.findings)
    return {
        "guides": len(result.guides),
        "audited": sum(1 for g in result.guides if not g.error),
        "failed": len(result.errors),
        "findings": len(result.findings),
        "errors": by_severity.get("error", 0),
        "warnings": by_severity.get("warning", 0),
        "info": by_severity.get("info", 0),
    }


def to_document(result: RunResult) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "guidecheck", "version": __version__},
        "lang": result.lang,
        "portal": result.portal,
        "departments": result.departments,
        "summary": summary(result),
        "stats": result.stats,
        "baseline": result.baseline,
        "guides": [
            {
                "source": g.source,
                "id": g.guide.id if g.guide else g.source,
                "title": g.title,
                "department": g.department,
                "from_cache": g.from_cache,
                "error": g.error,
                "findings": [f.to_dict() for f in g.findings],
            }
            for g in result.guides
        ],
    }


def render(result: RunResult, options: RenderOptions) -> str:
    return json_dumps(to_document(result), indent=2) + "\n"
