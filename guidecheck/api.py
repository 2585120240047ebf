"""The library entry points: read guides from files, run the rules, collect results.

The CLI calls these; so can any program (`check_paths(["guides/"], load_ruleset())`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck.errors import InputError
from guidecheck.findings import Finding
from guidecheck.model import Guide
from guidecheck.results import GuideResult, RunResult

if TYPE_CHECKING:
    from guidecheck.engine import RuleSet

GUIDE_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".txt", ".md", ".json", ".guide.toml")
"""File endings `check` reads when it walks a folder (matched on the whole name: `.guide.toml`, not
every `.toml`, so guidecheck.toml and pyproject.toml are never taken for guides)."""

GUIDE_FILE_SUFFIX = ".guide.toml"

ProgressCallback = Callable[[int, int, str], None]
"""progress(done, total, current source): the core reports progress without knowing who listens."""

BLOCKING_DIAGNOSTICS = frozenset({"not-auditable"})


def collect_files(paths: Iterable[str | Path], suffixes: Sequence[str] = GUIDE_SUFFIXES) -> list[Path]:
    """Expand files and folders into the guide files to read, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walked = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(tuple(suffixes)))
            # A folder holding guide files is a guide repository: its README.md, baseline JSON and the
            # like are not guides, so only the guide files are read from it.
            repo = [p for p in walked if p.name.lower().endswith(GUIDE_FILE_SUFFIX)]
            found += repo or walked
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    if not found:
        listed = ", ".join(str(p) for p in paths)
        raise InputError(f"{listed}: no guide files found (looked for {', '.join(suffixes)})")
    return found


def audit_guide(guide: Guide, ruleset: RuleSet, lang: str = "zh", *, department: str = "") -> GuideResult:
    """Run the rules on one extracted guide; a page that cannot be audited becomes an error, not findings."""
    blocking = [d for d in guide.diagnostics if d.code in BLOCKING_DIAGNOSTICS]
    if blocking:
        return GuideResult(source=guide.source, guide=guide, error=blocking[0].message, department=department)
    findings = ruleset.check(guide, lang)
    if guide.suppressions:
        findings = _apply_suppressions(guide, findings, ruleset, lang)
    return GuideResult(source=guide.source, guide=guide, findings=findings, department=department)


def _apply_suppressions(guide: Guide, findings: list[Finding], ruleset: RuleSet, lang: str) -> list[Finding]:
    """The one place suppressions are honoured (check and audit both come through audit_guide)."""
    from guidecheck import suppress

    ran = {key for rule in ruleset.rules for key in (rule.id, rule.name, *rule.aliases)}
    return suppress.apply(guide, findings, lang=lang, ran=ran, known=ran | _builtin_rule_keys())


@lru_cache(maxsize=1)
def _builtin_rule_keys() -> frozenset[str]:
    from guidecheck.engine.loader import load_rules

    return frozenset(key for rule in load_rules(()) for key in (rule.id, rule.name, *rule.aliases))


def check_file(path: Path, ruleset: RuleSet, lang: str = "zh") -> GuideResult:
    """Extract and check one file; unreadable input is recorded as the guide's error."""
    from guidecheck.guidefile import is_guide_file, read_guide_file

    try:
        if is_guide_file(path):
            guide = read_guide_file(path)
        else:
            from guidecheck.extract import extract_file

            guide = extract_file(path)
    except InputError as err:
        return GuideResult(source=str(path), error=str(err))
    except OSError as err:
        return GuideResult(source=str(path), error=f"{path}: cannot read: {err.strerror or err}")
    return audit_guide(guide, ruleset, lang)


def check_paths(
    paths: Iterable[str | Path],
    ruleset: RuleSet,
    lang: str = "zh",
    *,
    progress: ProgressCallback | None = None,
) -> RunResult:
    """Check every guide file under `paths`. Raises InputError only when there is nothing to read."""
    files = collect_files(paths)
    result = RunResult(lang=lang, rules=list(ruleset.rules))
    for done, path in enumerate(files, 1):
        result.guides.append(check_file(path, ruleset, lang))
        if progress:
            progress(done, len(files), str(path))
    result.stats = {"audited": sum(1 for g in result.guides if not g.error), "failed": len(result.errors)}
    return result
