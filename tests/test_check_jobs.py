"""`check` in worker processes gives the same result, in the same order, as in one process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from guidecheck.api import PARALLEL_FROM, check_paths, default_jobs
from guidecheck.cli import app
from guidecheck.engine import load_ruleset

PORTAL_GUIDES = Path(__file__).resolve().parents[1] / "fixtures" / "sample_portal" / "guide"


def _pages(tmp_path: Path, count: int) -> Path:
    pages = sorted(PORTAL_GUIDES.rglob("*.html"))[:count]
    assert len(pages) == count
    for i, page in enumerate(pages):
        shutil.copy(page, tmp_path / f"{i:03d}.html")
    (tmp_path / "broken.html").write_bytes(b"\x00")  # an unreadable page stays an error in its place
    return tmp_path


def test_jobs_give_the_same_result_in_the_same_order(tmp_path: Path) -> None:
    folder = _pages(tmp_path, 40)
    ruleset = load_ruleset()
    one = check_paths([folder], ruleset)
    seen: list[int] = []
    two = check_paths([folder], ruleset, jobs=2, progress=lambda done, total, _src: seen.append(done))
    assert [g.source for g in two.guides] == [g.source for g in one.guides]
    assert [g.error for g in two.guides] == [g.error for g in one.guides]
    assert [g.findings for g in two.guides] == [g.findings for g in one.guides]
    assert [g.guide for g in two.guides] == [g.guide for g in one.guides]
    assert two.stats == one.stats
    assert two.findings and any(g.error for g in two.guides)
    assert seen == list(range(1, len(one.guides) + 1))


def test_default_jobs_use_one_process_for_few_files() -> None:
    assert default_jobs(1) == 1
    assert default_jobs(PARALLEL_FROM - 1) == 1
    assert default_jobs(100_000) >= 1


def test_cli_jobs_option_prints_the_same_json(tmp_path: Path) -> None:
    folder = _pages(tmp_path, 12)
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        res = runner.invoke(app, ["check", str(folder), "--format", "json", "--no-config", "--jobs", jobs])
        assert res.exit_code in (0, 1), res.output
        outputs.append(json.loads(res.stdout))
    assert outputs[0] == outputs[1]
    bad = runner.invoke(app, ["check", str(folder), "--jobs", "0"])
    assert bad.exit_code == 2
