"""crawl.json: what `guidecheck crawl --out DIR` knows about the files it saved, for `check` to use later.

A saved page loses its URL, its department and the status of its attachment links; the manifest keeps
them (schema: docs/schemas/crawl.schema.json):

    {"format": "guidecheck-crawl", "format_version": 1, "guidecheck": "0.1.0",
     "portal": "...", "crawled": "2025-01-31T08:00:00Z",
     "guides": [{"file": "rsj/1.html", "url": "https://...", "department": "...",
                 "crawled": "...", "links": {"/files/a.docx": "ok", "/files/b.pdf": "HTTP 404"}}],
     "failures": [{"url": "...", "department": "...", "reason": "...", "crawled": "..."}]}

"links" is absent when links were not checked (`crawl --no-links`): MAT10 then stays silent, as in
`audit --no-links`. Kept free of the crawler so that `check` can read it without importing HTTP code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from guidecheck.errors import InputError

MANIFEST_NAME = "crawl.json"
FORMAT = "guidecheck-crawl"
FORMAT_VERSION = 1


@dataclass(slots=True, frozen=True)
class CrawledFile:
    """One saved guide: where it came from and how its attachment links answered."""

    file: str
    """Path relative to the manifest's folder, with POSIX slashes."""
    url: str
    department: str
    crawled: str
    links: dict[str, str] | None = None
    """Link → "ok" or why it does not resolve; None when links were not checked."""


@dataclass(slots=True, frozen=True)
class CrawlFailure:
    url: str
    department: str
    reason: str
    crawled: str


@dataclass(slots=True)
class CrawlManifest:
    portal: str
    crawled: str
    version: str
    guides: dict[str, CrawledFile] = field(default_factory=dict)
    """By `CrawledFile.file`."""
    failures: list[CrawlFailure] = field(default_factory=list)


def now() -> str:
    """The current time as ISO 8601 UTC to the second (2025-01-31T08:00:00Z)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def relative_name(path: Path, folder: Path) -> str:
    return PurePosixPath(*path.relative_to(folder).parts).as_posix()


# -- writing ----------------------------------------------------------------------------------------


def to_document(manifest: CrawlManifest) -> dict[str, Any]:
    def guide(entry: CrawledFile) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "file": entry.file,
            "url": entry.url,
            "department": entry.department,
            "crawled": entry.crawled,
        }
        if entry.links is not None:
            doc["links"] = dict(entry.links)
        return doc

    failures = sorted(manifest.failures, key=lambda f: (f.department, f.url, f.reason))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "guidecheck": manifest.version,
        "portal": manifest.portal,
        "crawled": manifest.crawled,
        "guides": [guide(manifest.guides[name]) for name in sorted(manifest.guides)],
        "failures": [
            {"url": f.url, "department": f.department, "reason": f.reason, "crawled": f.crawled} for f in failures
        ],
    }


def write_manifest(path: Path, manifest: CrawlManifest) -> None:
    """Write atomically (a crawl interrupted while writing must not leave half a manifest)."""
    text = json.dumps(to_document(manifest), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {err.strerror or err}") from None


def merged(old: CrawlManifest | None, new: CrawlManifest, departments: Collection[str]) -> CrawlManifest:
    """`new` over `old`: re-saved files replace their entries, other files keep theirs; the old failures
    of the departments crawled again are replaced by the new ones (a department at a time into one folder)."""
    if old is None:
        return new
    guides = {**old.guides, **new.guides}
    saved = {entry.url for entry in new.guides.values()}
    kept = [f for f in old.failures if f.department not in departments and f.url not in saved]
    return CrawlManifest(new.portal, new.crawled, new.version, guides, kept + new.failures)


# -- reading ----------------------------------------------------------------------------------------


class _Shape(Exception):
    """Where the document departs from the format, as `guides[3].url: expected a string`."""


def read_manifest(path: Path) -> CrawlManifest:
    """The manifest at `path`; InputError (one line naming the file and the fault) when it is not one."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a guidecheck crawl manifest: not UTF-8 text; {_RECRAWL}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not a guidecheck crawl manifest: not JSON ({err}); {_RECRAWL}") from None
    except RecursionError:
        raise InputError(f"{path}: not a guidecheck crawl manifest: JSON nested too deeply; {_RECRAWL}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f'{path}: not a guidecheck crawl manifest: no "format": "{FORMAT}"; {_RECRAWL}')
    version = doc.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):  # true == 1 in Python, not in the format
        raise InputError(
            f"{path}: crawl manifest format_version {json.dumps(version)}; this guidecheck reads {FORMAT_VERSION}"
            f" ({'upgrade guidecheck or ' if isinstance(version, int) and version > FORMAT_VERSION else ''}{_RECRAWL})"
        )
    try:
        return _manifest(doc)
    except _Shape as err:
        raise InputError(f"{path}: broken crawl manifest: {err}; {_RECRAWL}") from None


_RECRAWL = "fix: move the file away; `guidecheck crawl DEPT --out DIR` writes a new one (check works without it)"


def _manifest(doc: dict[str, Any]) -> CrawlManifest:
    guides: dict[str, CrawledFile] = {}
    for i, item in enumerate(_list(doc, "guides")):
        where = f"guides[{i}]"
        entry = CrawledFile(
            file=_str(item, "file", where),
            url=_str(item, "url", where),
            department=_str(item, "department", where),
            crawled=_str(item, "crawled", where, default=""),
            links=_links(item, where),
        )
        if entry.file in guides:
            raise _Shape(f"{where}.file: {entry.file!r} is listed twice")
        guides[entry.file] = entry
    failures = [
        CrawlFailure(
            url=_str(item, "url", f"failures[{i}]"),
            department=_str(item, "department", f"failures[{i}]"),
            reason=_str(item, "reason", f"failures[{i}]"),
            crawled=_str(item, "crawled", f"failures[{i}]", default=""),
        )
        for i, item in enumerate(_list(doc, "failures"))
    ]
    return CrawlManifest(
        portal=_str(doc, "portal", "", default=""),
        crawled=_str(doc, "crawled", "", default=""),
        version=_str(doc, "guidecheck", "", default=""),
        guides=guides,
        failures=failures,
    )


def _list(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise _Shape(f"{key}: expected a list")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise _Shape(f"{key}[{i}]: expected an object")
    return value


def _str(item: dict[str, Any], key: str, where: str, *, default: str | None = None) -> str:
    value = item.get(key, default)
    if not isinstance(value, str):
        missing = "missing" if key not in item else "expected a string"
        raise _Shape(f"{where + '.' if where else ''}{key}: {missing}")
    return value


def _links(item: dict[str, Any], where: str) -> dict[str, str] | None:
    links = item.get("links")
    if links is None:
        return None
    if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
        raise _Shape(f'{where}.links: expected an object of link → "ok" or the reason')
    return links


# -- finding the manifest of checked files ----------------------------------------------------------


def crawled_files(files: Iterable[Path], checked: Iterable[str | Path]) -> dict[Path, CrawledFile]:
    """The manifest entry of every file that has one, each manifest read once.

    A file's manifest is the nearest crawl.json listing it, from the file's own folder up to the checked
    folder it was found in (never above what was asked for). Raises InputError for a broken manifest.
    """
    roots = {Path(p) for p in checked}
    manifests: dict[Path, CrawlManifest | None] = {}
    found: dict[Path, CrawledFile] = {}
    for path in files:
        for folder in _folders(path, roots):
            if folder not in manifests:
                candidate = folder / MANIFEST_NAME
                manifests[folder] = read_manifest(candidate) if candidate.is_file() else None
            manifest = manifests[folder]
            entry = manifest.guides.get(relative_name(path, folder)) if manifest else None
            if entry is not None:
                found[path] = entry
                break
    return found


def _folders(path: Path, roots: set[Path]) -> list[Path]:
    """The file's folder and its parents up to the checked folder; only its own for a file given as is."""
    chain: list[Path] = []
    for folder in path.parents:
        chain.append(folder)
        if folder in roots:
            return chain
    return chain[:1]
