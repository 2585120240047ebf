"""The crawl's memory: fetched pages and per-run progress in one SQLite file.

Two kinds of state, both committed the moment they change so a killed crawl loses nothing:
- `pages`: the last good response per URL (body, ETag, Last-Modified), for conditional requests on the
  next run;
- `runs` / `run_urls`: one row per crawl of a portal + department selection, with every URL it met and
  whether it is pending, done or failed. A run that did not finish is resumed by the next identical
  command: URLs it has done are replayed from `pages` without a request.

Keys are "cache keys", not raw URLs: the bundled sample portal runs on a new port every time, so the
crawler maps its origin to a stable name (see `navigate.Portal.cache_key`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from guidecheck.errors import ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url           TEXT PRIMARY KEY,
    status        INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    content_type  TEXT NOT NULL DEFAULT '',
    body          BLOB NOT NULL,
    fetched_at    REAL NOT NULL,
    final_url     TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    run_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL,
    started_at  REAL NOT NULL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS runs_by_key ON runs (key, finished_at);
CREATE TABLE IF NOT EXISTS run_urls (
    run_id     INTEGER NOT NULL REFERENCES runs (run_id),
    url        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL,
    reason     TEXT,
    from_cache INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, url)
);
"""

PENDING, DONE, FAILED = "pending", "done", "failed"

RESUME_WITHIN = 24 * 3600.0
"""An interrupted run older than this is not resumed (its pages may be stale): a new run re-checks them."""


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guidecheck" / "crawl.sqlite"


@dataclass(slots=True, frozen=True)
class CachedPage:
    url: str
    status: int
    etag: str | None
    last_modified: str | None
    content_type: str
    body: bytes
    fetched_at: float
    final_url: str | None = None
    """The cache key of the URL that answered after redirects, when it differs."""


@dataclass(slots=True, frozen=True)
class RunUrl:
    url: str
    kind: str
    department: str
    state: str
    reason: str | None
    from_cache: bool


@dataclass(slots=True, frozen=True)
class Run:
    run_id: int
    key: str
    resumed: bool


def run_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


class CrawlStore:
    """The SQLite file. `path=None` keeps everything in memory (`--no-cache`)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as err:
                raise ConfigError(
                    str(self.path), f"not a guidecheck crawl cache ({err})", fix="choose another --cache file"
                ) from None
            except (OSError, sqlite3.Error) as err:
                raise ConfigError(str(self.path), f"cannot open the crawl cache: {err}") from None
        else:
            self._db = sqlite3.connect(":memory:", isolation_level=None)
        # WAL + NORMAL survives a killed process (not a power cut) and keeps commits cheap.
        self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(pages)")}
            if "final_url" not in columns:  # a cache written by an earlier guidecheck
                self._db.execute("ALTER TABLE pages ADD COLUMN final_url TEXT")
        except sqlite3.DatabaseError as err:
            raise ConfigError(str(self.path), f"not a guidecheck crawl cache ({err})") from None

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        self._db.close()

    # -- pages ------------------------------------------------------------------------------------

    def page(self, url: str) -> CachedPage | None:
        row = self._db.execute(
            "SELECT url, status, etag, last_modified, content_type, body, fetched_at, final_url FROM pages"
            " WHERE url = ?",
            (url,),
        ).fetchone()
        return CachedPage(*row) if row else None

    def save_page(
        self,
        url: str,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        content_type: str,
        body: bytes,
        final_url: str | None = None,
        run: Run | None = None,
        kind: str = "",
        department: str = "",
    ) -> None:
        """Store a page and, in the same transaction, mark it done in the run."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO pages"
                " (url, status, etag, last_modified, content_type, body, fetched_at, final_url)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (url, status, etag, last_modified, content_type, body, time.time(), final_url),
            )
            if run is not None:
                self._mark(run, url, kind, department, DONE, None, False)

    def touch_page(self, url: str, *, run: Run | None = None, kind: str = "", department: str = "") -> None:
        """A 304: the stored page is still good."""
        with self._transaction():
            self._db.execute("UPDATE pages SET fetched_at = ? WHERE url = ?", (time.time(), url))
            if run is not None:
                self._mark(run, url, kind, department, DONE, None, True)

    # -- runs ------------------------------------------------------------------------------------

    def begin_run(self, key: str, *, max_age: float = RESUME_WITHIN) -> Run:
        """Resume the unfinished run with this key if it began less than `max_age` seconds ago, or start anew.

        An older interrupted run is closed instead: its pages are still used, through conditional requests.
        """
        row = self._db.execute(
            "SELECT run_id, started_at FROM runs WHERE key = ? AND finished_at IS NULL ORDER BY run_id DESC LIMIT 1",
            (key,),
        ).fetchone()
        if row and time.time() - row[1] < max_age:
            return Run(row[0], key, resumed=True)
        if row:
            self.finish_run(Run(row[0], key, resumed=False))
        cur = self._db.execute("INSERT INTO runs (key, started_at) VALUES (?, ?)", (key, time.time()))
        return Run(int(cur.lastrowid or 0), key, resumed=False)

    def finish_run(self, run: Run) -> None:
        """Close the run. Its frontier is only needed to resume, so it goes (the pages stay)."""
        with self._transaction():
            self._db.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", (time.time(), run.run_id))
            self._db.execute("DELETE FROM run_urls WHERE run_id = ?", (run.run_id,))

    def mark(
        self,
        run: Run | None,
        url: str,
        *,
        kind: str,
        department: str = "",
        state: str,
        reason: str | None = None,
        from_cache: bool = False,
    ) -> None:
        if run is None:
            return
        with self._transaction():
            self._mark(run, url, kind, department, state, reason, from_cache)

    def add_pending(self, run: Run | None, url: str, *, kind: str, department: str = "") -> None:
        """Put a URL on the run's frontier unless the run already knows it."""
        if run is None:
            return
        self._db.execute(
            "INSERT OR IGNORE INTO run_urls (run_id, url, kind, department, state) VALUES (?, ?, ?, ?, ?)",
            (run.run_id, url, kind, department, PENDING),
        )

    def run_url(self, run: Run | None, url: str) -> RunUrl | None:
        if run is None:
            return None
        row = self._db.execute(
            "SELECT url, kind, department, state, reason, from_cache FROM run_urls WHERE run_id = ? AND url = ?",
            (run.run_id, url),
        ).fetchone()
        if not row:
            return None
        return RunUrl(row[0], row[1], row[2], row[3], row[4], bool(row[5]))

    def run_counts(self, run: Run) -> dict[str, int]:
        rows = self._db.execute(
            "SELECT state, COUNT(*) FROM run_urls WHERE run_id = ? GROUP BY state", (run.run_id,)
        ).fetchall()
        return {state: n for state, n in rows}

    # -- helpers ----------------------------------------------------------------------------------

    def _mark(
        self,
        run: Run,
        url: str,
        kind: str,
        department: str,
        state: str,
        reason: str | None,
        from_cache: bool,
    ) -> None:
        self._db.execute(
            "INSERT INTO run_urls (run_id, url, kind, department, state, reason, from_cache)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (run_id, url) DO UPDATE SET state = excluded.state, reason = excluded.reason,"
            " from_cache = excluded.from_cache,"
            " kind = CASE WHEN excluded.kind = '' THEN run_urls.kind ELSE excluded.kind END,"
            " department = CASE WHEN excluded.department = '' THEN run_urls.department"
            " ELSE excluded.department END",
            (run.run_id, url, kind, department, state, reason, int(from_cache)),
        )

    def _transaction(self) -> _Tx:
        return _Tx(self._db)


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
