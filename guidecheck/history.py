"""Audit history: every audit saved in a SQLite file, to show score trends and what changed.

Where the file lives: an explicit path (`--history PATH`), else env GUIDECHECK_HISTORY, else
$XDG_DATA_HOME/guidecheck/history.sqlite (default ~/.local/share/guidecheck/history.sqlite).

Tables: `runs` (one per audit), `department_scores` (the league row of each department in a run),
`guide_scores` (each guide's facet and overall scores, or its error) and `findings` (with their
stable fingerprints). "New" and "fixed" compare fingerprints between a department's latest run and
the run before it. A finding only counts as fixed when its guide was audited again by its rule: a guide
that failed to fetch or vanished from the portal, or a rule left out (`--select`/`--ignore`), has not
fixed anything.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from guidecheck import __version__
from guidecheck.errors import GuidecheckError
from guidecheck.findings import FACETS, fingerprint
from guidecheck.results import RunResult
from guidecheck.score import DepartmentScore, department_scores, score_guide

P = ParamSpec("P")
T = TypeVar("T")

ENV_VAR = "GUIDECHECK_HISTORY"
SCHEMA_VERSION = 2
"""1 → 2: runs.rules (the rule ids that ran, so a narrower audit does not count unrun rules as fixed)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at    TEXT NOT NULL,
    portal        TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'zh',
    tool_version  TEXT NOT NULL DEFAULT '',
    guides        INTEGER NOT NULL,
    findings      INTEGER NOT NULL,
    rules         TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS department_scores (
    run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    department     TEXT NOT NULL,
    guides         INTEGER NOT NULL,
    audited        INTEGER NOT NULL,
    failed         INTEGER NOT NULL,
    score          REAL,
    no_error_share REAL,
    completeness   REAL,
    materials      REAL,
    flow           REAL,
    consistency    REAL,
    findings       INTEGER NOT NULL,
    PRIMARY KEY (run_id, department)
);
CREATE TABLE IF NOT EXISTS guide_scores (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    department    TEXT NOT NULL,
    guide_id      TEXT NOT NULL,
    source        TEXT NOT NULL,
    title         TEXT NOT NULL,
    error         TEXT,
    overall       REAL,
    completeness  REAL,
    materials     REAL,
    flow          REAL,
    consistency   REAL,
    findings      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS guide_scores_run ON guide_scores (run_id, department);
CREATE TABLE IF NOT EXISTS findings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    department   TEXT NOT NULL,
    guide_id     TEXT NOT NULL,
    source       TEXT NOT NULL,
    guide_title  TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    facet        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    message      TEXT NOT NULL,
    evidence     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_run ON findings (run_id, department);
"""


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "guidecheck" / "history.sqlite"


def resolve_path(path: str | Path | None = None) -> Path:
    """The history file: the explicit path, else $GUIDECHECK_HISTORY, else the default."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else default_path()


@dataclass(slots=True, frozen=True)
class TrendPoint:
    run_id: int
    started_at: str
    score: float | None
    audited: int
    failed: int
    findings: int


@dataclass(slots=True, frozen=True)
class FindingRow:
    guide_id: str
    source: str
    guide_title: str
    rule_id: str
    facet: str
    severity: str
    fingerprint: str
    message: str
    evidence: str

    def to_dict(self) -> dict[str, str]:
        return {
            "guide_id": self.guide_id,
            "source": self.source,
            "guide_title": self.guide_title,
            "rule_id": self.rule_id,
            "facet": self.facet,
            "severity": self.severity,
            "fingerprint": self.fingerprint,
            "message": self.message,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class Changes:
    """What changed in a department between two runs (by finding fingerprint)."""

    department: str
    latest_run: int
    previous_run: int | None
    new: list[FindingRow]
    fixed: list[FindingRow]
    unchanged: int
    not_reaudited: int
    """Findings of the previous run whose guide (failed or gone) or rule (not selected) the latest run did not
    check again: not "fixed"."""


_OUR_TABLES = frozenset({"runs", "department_scores", "guide_scores", "findings"})
_ELSEWHERE = f"move the file away or name another with --history or {ENV_VAR}"


def _tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Each table (SQLite's own left out) with its columns."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n: {c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')} for n in names if not n.startswith("sqlite_")}


def _is_ours(tables: dict[str, set[str]]) -> bool:
    """Empty (a new file), or only our tables, `runs` with our columns (an older schema is upgraded)."""
    return set(tables) <= _OUR_TABLES and ("runs" not in tables or {"started_at", "guides"} <= tables["runs"])


def _database_error(target: Path, err: sqlite3.DatabaseError | UnicodeDecodeError) -> GuidecheckError:
    if "locked" in str(err) or "busy" in str(err):
        return GuidecheckError(f"{target}: the history is locked by another process (an audit?); try again later")
    return GuidecheckError(
        f"{target}: not a guidecheck history, or a damaged one ({err}); left as it is; fix: {_ELSEWHERE}"
    )


def _reading(method: Callable[P, T]) -> Callable[P, T]:
    """A read that meets a damaged page deep in the file reports it instead of a traceback."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
            history = args[0]
            raise _database_error(history.path, err) from None  # type: ignore[attr-defined]

    return wrapper


class History:
    """An open history database. Use as a context manager: `with History.open(path) as h: ...`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> History:
        """Open (and with `create`, create or upgrade) the history. A file that is not a guidecheck history
        (another program's database, a corrupt or newer one) is refused and left exactly as it is."""
        target = resolve_path(path)
        if target.is_dir():
            raise GuidecheckError(
                f"{target}: is a folder, not a history file (fix: name a file, e.g. {target / 'history.sqlite'})"
            )
        if not create and not target.is_file():
            raise GuidecheckError(f"{target}: no audit history yet (run `guidecheck audit` first)")
        conn: sqlite3.Connection | None = None
        try:
            if create:
                target.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(target, timeout=30)
            else:
                conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            conn.row_factory = sqlite3.Row
            # a damaged page can hold bytes that are not UTF-8: show them replaced rather than raise
            conn.text_factory = lambda data: data.decode("utf-8", errors="replace")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise GuidecheckError(
                    f"{target}: history written by a newer guidecheck (schema {version}, this one reads "
                    f"{SCHEMA_VERSION}); fix: upgrade guidecheck, or {_ELSEWHERE}"
                )
            tables = _tables(conn)
            if not _is_ours(tables):
                raise GuidecheckError(
                    f"{target}: not a guidecheck history (it holds the tables {', '.join(sorted(tables))}); "
                    f"left as it is; fix: {_ELSEWHERE}"
                )
            if create:
                conn.executescript(_SCHEMA)
                if "rules" not in _tables(conn)["runs"]:  # a version-1 file
                    conn.execute("ALTER TABLE runs ADD COLUMN rules TEXT NOT NULL DEFAULT ''")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.commit()
            elif set(tables) != _OUR_TABLES:
                raise GuidecheckError(f"{target}: no audit in this history yet (run `guidecheck audit` first)")
        except (sqlite3.DatabaseError, UnicodeDecodeError) as err:  # a damaged schema can hold non-UTF-8 bytes
            if conn is not None:
                conn.close()
            raise _database_error(target, err) from None
        except OSError as err:
            if conn is not None:
                conn.close()
            raise GuidecheckError(f"{target}: cannot open history: {err.strerror or err}") from None
        except GuidecheckError:
            if conn is not None:
                conn.close()
            raise
        return cls(conn, target)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def record(self, result: RunResult, *, started_at: str | None = None) -> int:
        """Save one audit; return its run id. All or nothing (one transaction)."""
        when = started_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            with self.conn:
                cur = self.conn.execute(
                    "INSERT INTO runs (started_at, portal, lang, tool_version, guides, findings, rules)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        when,
                        result.portal,
                        result.lang,
                        __version__,
                        len(result.guides),
                        len(result.findings),
                        " ".join(sorted({str(getattr(r, "id", "")) for r in result.rules} - {""})),
                    ),
                )
                run_id = int(cur.lastrowid or 0)
                for d in department_scores(result):
                    self._insert_department(run_id, d)
                for g in result.guides:
                    s = score_guide(g)
                    guide_id = g.guide.id if g.guide else g.source
                    facets = [s.facets[k] if s else None for k in FACETS]
                    self.conn.execute(
                        "INSERT INTO guide_scores (run_id, department, guide_id, source, title, error, overall,"
                        " completeness, materials, flow, consistency, findings)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id,
                            g.department,
                            guide_id,
                            g.source,
                            g.title,
                            g.error,
                            s.overall if s else None,
                            *facets,
                            len(g.findings),
                        ),
                    )
                    self.conn.executemany(
                        "INSERT INTO findings (run_id, department, guide_id, source, guide_title, rule_id, facet,"
                        " severity, fingerprint, message, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            (
                                run_id,
                                g.department,
                                f.guide_id or guide_id,
                                g.source,
                                g.title,
                                f.rule_id,
                                f.facet,
                                str(f.severity),
                                f.fingerprint or fingerprint(f.guide_id or guide_id, f.rule_id, f.evidence),
                                f.message,
                                f.evidence,
                            )
                            for f in g.findings
                        ],
                    )
        except sqlite3.DatabaseError as err:
            raise GuidecheckError(f"{self.path}: cannot save the audit: {err}") from None
        return run_id

    def _insert_department(self, run_id: int, d: DepartmentScore) -> None:
        self.conn.execute(
            "INSERT INTO department_scores (run_id, department, guides, audited, failed, score, no_error_share,"
            " completeness, materials, flow, consistency, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                d.department,
                d.guides,
                d.audited,
                d.failed,
                d.mean,
                d.no_error_share,
                *(d.facet_means.get(k) for k in FACETS),
                d.findings,
            ),
        )

    # -- reading ---------------------------------------------------------------------------------

    @_reading
    def departments(self) -> list[str]:
        rows = self.conn.execute("SELECT DISTINCT department FROM department_scores ORDER BY department")
        return [r[0] for r in rows]

    @_reading
    def trend(self, department: str) -> list[TrendPoint]:
        """The department's score in every run that audited it, oldest first."""
        rows = self.conn.execute(
            "SELECT r.id, r.started_at, d.score, d.audited, d.failed, d.findings FROM department_scores d"
            " JOIN runs r ON r.id = d.run_id WHERE d.department = ? ORDER BY r.id",
            (department,),
        )
        return [TrendPoint(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def _findings(self, run_id: int, department: str) -> list[FindingRow]:
        rows = self.conn.execute(
            "SELECT guide_id, source, guide_title, rule_id, facet, severity, fingerprint, message, evidence"
            " FROM findings WHERE run_id = ? AND department = ? ORDER BY id",
            (run_id, department),
        )
        return [FindingRow(*r) for r in rows]

    def _audited_guides(self, run_id: int, department: str) -> set[str]:
        rows = self.conn.execute(
            "SELECT guide_id FROM guide_scores WHERE run_id = ? AND department = ? AND error IS NULL",
            (run_id, department),
        )
        return {r[0] for r in rows}

    def _rules_of(self, run_id: int) -> set[str] | None:
        """The rule ids that ran, or None when the run did not say (then every rule counts as re-checked)."""
        row = self.conn.execute("SELECT rules FROM runs WHERE id = ?", (run_id,)).fetchone()
        return set(row[0].split()) if row and row[0] else None

    @_reading
    def changes(self, department: str) -> Changes | None:
        """New and fixed findings of the department's latest run against the one before; None if never audited."""
        points = self.trend(department)
        if not points:
            return None
        latest = points[-1].run_id
        now = self._findings(latest, department)
        if len(points) < 2:
            return Changes(department, latest, None, new=now, fixed=[], unchanged=0, not_reaudited=0)
        previous = points[-2].run_id
        before = self._findings(previous, department)
        now_fps = {f.fingerprint for f in now}
        before_fps = {f.fingerprint for f in before}
        audited = self._audited_guides(latest, department)
        ran = self._rules_of(latest)

        def rechecked(f: FindingRow) -> bool:
            return f.guide_id in audited and (ran is None or f.rule_id in ran)

        gone = [f for f in before if f.fingerprint not in now_fps]
        return Changes(
            department=department,
            latest_run=latest,
            previous_run=previous,
            new=[f for f in now if f.fingerprint not in before_fps],
            fixed=[f for f in gone if rechecked(f)],
            unchanged=sum(1 for f in now if f.fingerprint in before_fps),
            not_reaudited=sum(1 for f in gone if not rechecked(f)),
        )

    @_reading
    def latest_scores(self) -> tuple[list[DepartmentScore], dict[str, str]]:
        """Each department's row from its latest run (for ranking from history), and when that run was."""
        rows = self.conn.execute(
            "SELECT d.*, r.started_at FROM department_scores d JOIN runs r ON r.id = d.run_id"
            " WHERE d.run_id = (SELECT MAX(run_id) FROM department_scores x WHERE x.department = d.department)"
        ).fetchall()
        out: list[DepartmentScore] = []
        when: dict[str, str] = {}
        for r in rows:
            by_rule = dict(
                self.conn.execute(
                    "SELECT rule_id, COUNT(*) n FROM findings WHERE run_id = ? AND department = ?"
                    " GROUP BY rule_id ORDER BY n DESC, rule_id",
                    (r["run_id"], r["department"]),
                ).fetchall()
            )
            by_sev = dict(
                self.conn.execute(
                    "SELECT severity, COUNT(*) FROM findings WHERE run_id = ? AND department = ? GROUP BY severity",
                    (r["run_id"], r["department"]),
                ).fetchall()
            )
            out.append(
                DepartmentScore(
                    department=r["department"],
                    guides=r["guides"],
                    audited=r["audited"],
                    failed=r["failed"],
                    mean=r["score"],
                    facet_means={k: r[k] for k in FACETS},
                    no_error_share=r["no_error_share"],
                    findings=r["findings"],
                    by_severity={k: by_sev.get(k, 0) for k in ("error", "warning", "info")},
                    by_rule=by_rule,
                )
            )
            when[r["department"]] = r["started_at"]
        return out, when


@contextmanager
def opened(path: str | Path | None = None, *, create: bool = True) -> Iterator[History]:
    h = History.open(path, create=create)
    try:
        yield h
    finally:
        h.close()


def record(result: RunResult, path: str | Path | None = None) -> int:
    """Save an audit to the history file (created if needed); return the run id. For the audit command's hook."""
    with opened(path) as h:
        return h.record(result)


def read_trends(departments: list[str], path: str | Path | None = None) -> dict[str, list[TrendPoint]]:
    """Trends for the given departments, read-only; empty when there is no history file. Never creates one."""
    target = resolve_path(path)
    if not target.is_file():
        return {}
    try:
        with opened(target, create=False) as h:
            return {d: t for d in departments if (t := h.trend(d))}
    except GuidecheckError:
        return {}
