"""Run guidecheck on the sample guide repository as CI would: a subprocess in a temp copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
REPO = ROOT / "fixtures" / "guide_repo"
REPORT_SCHEMA = json.loads((ROOT / "docs" / "schemas" / "report.schema.json").read_text("utf-8"))
SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
BASELINE = "guidecheck-baseline.json"
GUIDE = "guides/shuichan-miaozhong-zhuxiao.guide.toml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy)
    (copy / ".git").mkdir()  # the config search stops at the repository root, as in a real checkout
    return copy


def run(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    environ["PYTHONPATH"] = str(ROOT)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "guidecheck", "check", ".", *args],
        capture_output=True,
        text=True,
        cwd=repo,
        env=environ,
        timeout=120,
    )


def add_fault(repo: Path) -> None:
    """A new error: the promised time limit now exceeds the legal one (TIM01)."""
    path = repo / GUIDE
    text = path.read_text("utf-8")
    assert 'promised_limit = "' in text
    lines = [
        'promised_limit = "60个工作日"' if line.startswith("promised_limit = ") else line for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_without_baseline_known_errors_fail(repo):
    done = run(repo)
    assert done.returncode == 1, done.stderr
    assert "TIM01" in done.stdout


def adopt(repo: Path) -> None:
    """Record today's findings, as a department adopting guidecheck does (and as the committed sample
    baseline was made): the rules evolve, so the test does not depend on the committed file being current."""
    done = run(repo, "--write-baseline", BASELINE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recorded" in done.stderr


def test_baseline_passes_until_a_new_fault_is_added(repo):
    adopt(repo)
    done = run(repo, "--baseline", BASELINE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新增 0" in done.stdout
    add_fault(repo)
    failed = run(repo, "--baseline", BASELINE, "--format", "json")
    assert failed.returncode == 1, failed.stderr
    doc = json.loads(failed.stdout)
    assert doc["baseline"]["new"] >= 1
    assert {f["rule_id"] for g in doc["guides"] for f in g["findings"]} >= {"TIM01"}
    assert all(f["guide"]["id"].endswith("10032") for g in doc["guides"] for f in g["findings"])


def test_machine_outputs_in_one_run(repo):
    done = run(
        repo,
        "--format",
        "text",
        "--output-sarif",
        "out/guidecheck.sarif",
        "--output-junit",
        "out/junit.xml",
        "--output-json",
        "out/report.json",
        "--output-markdown",
        "out/summary.md",
    )
    assert done.returncode == 1
    sarif = json.loads((repo / "out/guidecheck.sarif").read_text("utf-8"))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(sarif)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "CON04" not in rules  # ignored by the config: not run, not listed
    assert "**依据**" in rules["TIM01"]["help"]["markdown"] and "合格示例" in rules["TIM01"]["help"]["markdown"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert all(u.startswith("guides/") for u in uris)
    junit = ET.parse(repo / "out/junit.xml").getroot()
    report = json.loads((repo / "out/report.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert int(junit.get("failures")) == len(
        {(f["guide"]["id"], f["rule_id"]) for g in report["guides"] for f in g["findings"] if f["severity"] == "error"}
    )
    assert len(junit.findall("testsuite")) == 7
    assert (repo / "out/summary.md").read_text("utf-8").startswith("## guidecheck")


def test_github_annotations_when_running_in_actions(repo):
    adopt(repo)
    done = run(repo, "--baseline", BASELINE, env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo)})
    assert done.returncode == 0
    assert done.stdout.startswith("guidecheck: 7 guides")  # github format chosen, nothing new to annotate
    add_fault(repo)
    done = run(repo, "--baseline", BASELINE, env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo)})
    assert done.returncode == 1
    assert f"::error file={GUIDE},line=" in done.stdout
    assert "title=TIM01 " in done.stdout


def test_config_file_changes_what_runs(repo):
    with_config = json.loads(run(repo, "--format", "json").stdout)
    rules = {f["rule_id"] for g in with_config["guides"] for f in g["findings"]}
    assert "CON04" not in rules  # ignored by guidecheck.toml
    severities = {f["severity"] for g in with_config["guides"] for f in g["findings"] if f["rule_id"] == "MAT07"}
    assert severities == {"warning"}  # raised by [severity]
    without = json.loads(run(repo, "--format", "json", "--no-config").stdout)
    assert "CON04" in {f["rule_id"] for g in without["guides"] for f in g["findings"]}
    # the command line overrides the file
    cli = json.loads(run(repo, "--format", "json", "--ignore", "TIM").stdout)
    cli_rules = {f["rule_id"] for g in cli["guides"] for f in g["findings"]}
    assert "CON04" in cli_rules and not any(r.startswith("TIM") for r in cli_rules)
    # a broken config is reported with the file, the line and the fix
    (repo / "guidecheck.toml").write_text('lang = "zh"\nfail_on = "error"\n', encoding="utf-8")
    broken = run(repo)
    assert broken.returncode == 2
    assert "guidecheck.toml:2: unknown key 'fail_on'" in broken.stderr and "fail-on" in broken.stderr
