"""The library entry points: read guides from files, run the rules, collect results.

The CLI calls these; so can any program (`check_paths(["guides/"], load_ruleset())`).
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck.crawl_manifest import MANIFEST_NAME, CrawledFile, crawled_files
from guidecheck.errors import InputError
from guidecheck.findings import Finding
from guidecheck.gcpause import collector_paused
from guidecheck.model import Guide
from guidecheck.results import GuideResult, RunResult

if TYPE_CHECKING:
    from guidecheck.engine import RuleSet
    from guidecheck.labels import Labels

GUIDE_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".txt", ".md", ".json", ".guide.toml")
"""File endings `check` reads when it walks a folder (matched on the whole name: `.guide.toml`, not
every `.toml`, so guidecheck.toml and pyproject.toml are never taken for guides)."""

GUIDE_FILE_SUFFIX = ".guide.toml"

ProgressCallback = Callable[[int, int, str], None]
"""progress(done, total, current source): the core reports progress without knowing who listens."""

BLOCKING_DIAGNOSTICS = frozenset({"not-auditable"})

PARALLEL_FROM = 50
"""`default_jobs` uses every core from this many files on (fewer files do not repay starting workers)."""


def collect_files(paths: Iterable[str | Path], suffixes: Sequence[str] = GUIDE_SUFFIXES) -> list[Path]:
    """Expand files and folders into the guide files to read, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            walked = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().endswith(tuple(suffixes)) and p.name != MANIFEST_NAME
            )
            # A folder holding guide files is a guide repository: its README.md, baseline JSON and the
            # like are not guides, so beside guide files nothing is read from the folders that hold them
            # or their parents. Pages elsewhere in the tree (a folder of saved pages next to the
            # repository) are still read: nothing asked for is silently left out.
            holders = {p.parent for p in walked if p.name.lower().endswith(GUIDE_FILE_SUFFIX)}
            if holders:
                repo = {a for d in holders for a in (d, *d.parents)}
                walked = [p for p in walked if p.name.lower().endswith(GUIDE_FILE_SUFFIX) or p.parent not in repo]
            found += walked
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
    try:
        with collector_paused():  # many short-lived objects, no cycles: see gcpause
            findings = ruleset.check(guide, lang)
            if guide.suppressions:
                findings = _apply_suppressions(guide, findings, ruleset, lang)
    except Exception as err:  # last resort: a rule that breaks on one guide must not stop a whole run
        from guidecheck.engine.ruleset import RULE_NOTE

        rule = next((n.removeprefix(RULE_NOTE) for n in getattr(err, "__notes__", ()) if n.startswith(RULE_NOTE)), "")
        doing = f"checking {guide.source} with rule {rule}" if rule else f"checking {guide.source}"
        return GuideResult(source=guide.source, guide=guide, error=internal_error(doing, err), department=department)
    return GuideResult(source=guide.source, guide=guide, findings=findings, department=department)


def internal_error(doing: str, err: BaseException) -> str:
    """The one-line error of a file that hit a bug in guidecheck rather than in its input."""
    message = " ".join(str(err).split())
    if len(message) > 200:
        message = message[:200] + "…"
    return f"internal error while {doing}: {type(err).__name__}: {message or '(no message)'}; please report"


def _apply_suppressions(guide: Guide, findings: list[Finding], ruleset: RuleSet, lang: str) -> list[Finding]:
    """The one place suppressions are honoured (check and audit both come through audit_guide)."""
    from guidecheck import suppress

    ran = {key for rule in ruleset.rules for key in (rule.id, rule.name, *rule.aliases)}
    return suppress.apply(guide, findings, lang=lang, ran=ran, known=ran | _builtin_rule_keys())


@lru_cache(maxsize=1)
def _builtin_rule_keys() -> frozenset[str]:
    from guidecheck.engine.loader import load_rules

    return frozenset(key for rule in load_rules(()) for key in (rule.id, rule.name, *rule.aliases))


def read_guide(path: Path, labels: Labels | None = None) -> Guide:
    """The guide in one file: a guide file (`*.guide.toml`) or a page, read with `labels` (None: the
    built-in synonyms). InputError when it is not one."""
    from guidecheck.guidefile import is_guide_file, read_guide_file

    if is_guide_file(path):
        return read_guide_file(path)
    from guidecheck.extract import extract_file

    return extract_file(path, labels=labels)


def check_file(path: Path, ruleset: RuleSet, lang: str = "zh", crawled: CrawledFile | None = None) -> GuideResult:
    """Extract and check one file; unreadable input is recorded as the guide's error.

    Never raises for a file's content: a bug that input triggers in the extractor or a rule is recorded
    as an "internal error … please report" for that file, and the run goes on.

    `crawled` is the file's entry in a crawl manifest: the guide gets the link statuses and department
    crawled with it.
    """
    department = crawled.department if crawled else ""
    try:
        guide = read_guide(path, ruleset.labels)
    except InputError as err:
        return GuideResult(source=str(path), error=str(err), department=department)
    except OSError as err:
        return GuideResult(source=str(path), error=f"{path}: cannot read: {err.strerror or err}", department=department)
    except Exception as err:  # last resort: one odd page must not stop a 3,000-file run; say what happened
        return GuideResult(source=str(path), error=internal_error(f"reading {path}", err), department=department)
    if crawled and crawled.links:
        guide.link_status.update(crawled.links)
    return audit_guide(guide, ruleset, lang, department=department)


def check_paths(
    paths: Iterable[str | Path],
    ruleset: RuleSet,
    lang: str = "zh",
    *,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
) -> RunResult:
    """Check every guide file under `paths`. Raises InputError only when there is nothing to read.

    `jobs` > 1 checks files in that many processes (this one and forked workers, where the platform can
    fork); the result is the same, in the same order, as with one.
    """
    paths = list(paths)
    files = collect_files(paths)
    result = RunResult(lang=lang, rules=list(ruleset.rules))
    crawled = crawled_files(files, paths)
    for done, guide_result in enumerate(_check_files(files, ruleset, lang, jobs, crawled), 1):
        result.guides.append(guide_result)
        if progress:
            progress(done, len(files), str(files[done - 1]))
    result.stats = {"audited": sum(1 for g in result.guides if not g.error), "failed": len(result.errors)}
    return result


def default_jobs(file_count: int) -> int:
    """Worker processes for checking `file_count` files: every core for a large run, else one."""
    if file_count < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, file_count // PARALLEL_FROM))


_WORKER: tuple[RuleSet, str, Mapping[Path, CrawledFile]] | None = None
"""What a forked worker checks with: the ruleset, the language and the run's crawl manifest entries
(inherited, never pickled: rules hold callables)."""


def _init_worker(ruleset: RuleSet, lang: str, crawled: Mapping[Path, CrawledFile]) -> None:
    global _WORKER
    _WORKER = (ruleset, lang, crawled)


def _check_chunk_in_worker(chunk: list[Path]) -> list[bytes]:
    """One pickled result per file: a chunk's results go back together, but each file is checked alone."""
    assert _WORKER is not None
    ruleset, lang, crawled = _WORKER
    table = _result_pickling()
    sent = []
    for path in chunk:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = table
        pickler.dump(check_file(path, ruleset, lang, crawled.get(path)))
        sent.append(out.getvalue())
    return sent


@lru_cache(maxsize=1)
def _result_pickling() -> dict[type, Callable[[object], tuple[object, ...]]]:
    """Pickle the result dataclasses as constructor calls: the default for slotted dataclasses (a state
    list per object, set attribute by attribute) made sending results back cost more than checking."""
    from guidecheck import findings, model, results

    table: dict[type, Callable[[object], tuple[object, ...]]] = dict(copyreg.dispatch_table)
    for module in (model, findings, results):
        for cls in vars(module).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__:
                fields = dataclasses.fields(cls)
                if all(f.init for f in fields):
                    names = tuple(f.name for f in fields)
                    table[cls] = lambda obj, cls=cls, names=names: (cls, tuple([getattr(obj, n) for n in names]))
    return table


def _check_files(
    files: list[Path], ruleset: RuleSet, lang: str, jobs: int, crawled: Mapping[Path, CrawledFile]
) -> Iterator[GuideResult]:
    """Results in file order; with more than one job (and fork), `jobs - 1` forked workers plus this process.

    The files are cut into chunks dealt round-robin: every `jobs`-th chunk is checked here, the others by
    the workers (which run ahead while this process works). Checking here rather than only waiting saves
    sending those results between processes (pickling and rebuilding a guide costs about a seventh of
    checking it) and keeps one process per core instead of workers plus a mostly idle parent.
    """
    jobs = min(jobs, len(files))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for path in files:
            yield check_file(path, ruleset, lang, crawled.get(path))
        return
    size = max(1, min(32, len(files) // (jobs * 8)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    theirs = [chunk for i, chunk in enumerate(chunks) if i % jobs]
    # fork: the workers inherit the loaded ruleset (its conditions are closures, which cannot be pickled)
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs - 1, initializer=_init_worker, initargs=(ruleset, lang, crawled)) as pool:
        done = pool.imap(_check_chunk_in_worker, theirs)
        for i, chunk in enumerate(chunks):
            if i % jobs == 0:
                for path in chunk:
                    yield check_file(path, ruleset, lang, crawled.get(path))
            else:
                for data in next(done):
                    yield pickle.loads(data)
