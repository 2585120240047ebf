"""rank, stats, report and history on the bundled sample portal, crawled over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from guidecheck.cli import run_app
from guidecheck.crawl.sample_server import SamplePortalServer
from guidecheck.resources import sample_portal_dir

pytestmark = pytest.mark.slow


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    code = run_app(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_rank_prints_a_league_table_of_the_sample_portal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    doc = _json(capsys, ["rank", "--format", "json", "--no-cache", "--quiet", "--history", str(db)])
    table = doc["table"]
    assert isinstance(table, list) and len(table) >= 12
    scores = [row["score"] for row in table]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    # Competition ranking: a rank is 1 + the number of departments with a strictly better score.
    for row in table:
        assert row["rank"] == 1 + sum(1 for s in scores if s > row["score"])
    assert doc["average"] == round(sum(scores) / len(scores), 2)
    assert doc["guides"] >= 400
    for row in table:
        assert sum(row["by_rule"].values()) == row["findings"]
        assert 0 <= row["no_error_share"] <= 1
        assert set(row["facets"]) == {"completeness", "materials", "flow", "consistency"}

    # The audit was saved: ranking from the history gives the same league without crawling.
    again = _json(capsys, ["rank", "--from-history", "--format", "json", "--history", str(db)])
    assert again["from"] == "history"
    assert [(r["department"], r["score"], r["rank"]) for r in again["table"]] == [
        (r["department"], r["score"], r["rank"]) for r in table
    ]

    assert run_app(["rank", "--from-history", "--history", str(db), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Department ranking" in text and f"average {doc['average']:.2f}" in text


def test_rank_follows_the_project_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """guidecheck.toml in the working directory applies to `rank` as to `audit`: its rule selection and
    language decide the league; --no-config ignores it."""
    (tmp_path / "guidecheck.toml").write_text('select = ["CMP"]\nlang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["rank", "--format", "json", "--quiet", "--no-history", "--no-cache"]
    only_cmp = _json(capsys, argv)
    fired = {rule for row in only_cmp["table"] for rule in row["by_rule"]}
    assert fired and all(rule.startswith("CMP") for rule in fired)
    everything = _json(capsys, [*argv, "--no-config"])
    assert {rule for row in everything["table"] for rule in row["by_rule"]} - fired

    (tmp_path / "guidecheck.toml").write_text('select = ["CMPX"]\n', encoding="utf-8")
    assert run_app(argv) == 2
    err = capsys.readouterr().err
    assert "guidecheck.toml" in err and "CMPX" in err and "Traceback" not in err


def test_stats_all_gives_the_catalogue_figures(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, ["stats", "--all", "--format", "json", "--no-cache", "--quiet"])
    total = doc["all"]
    assert total["guides"] >= 400
    assert len(doc["by_department"]) >= 12
    assert sum(total["item_types"].values()) == total["guides"]
    assert sum(total["case_types"].values()) == total["guides"]
    assert sum(total["visits"].values()) == total["guides"]
    time = total["time_limits"]
    assert time["guides_with_both"] > 0
    assert 0 < time["mean_promised_working_days"] <= time["mean_legal_working_days"]
    assert time["compression_ratio"] == pytest.approx(
        time["mean_promised_working_days"] / time["mean_legal_working_days"], abs=1e-3
    )
    for key in ("online", "flowchart", "sample_forms", "copies_stated"):
        assert 0 <= total[key]["share"] <= 1, key
    assert sum(d["guides"] for d in doc["by_department"].values()) == total["guides"]

    assert run_app(["stats", "规划和自然资源局", "--no-cache", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "压缩比" in text and "有流程图" in text and "临江市规划和自然资源局" in text


def test_report_writes_the_html_with_a_trend_after_two_audits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, db = tmp_path / "out" / "report.html", tmp_path / "h.sqlite"
    argv = ["report", "规划和自然资源局", "--out", str(out), "--history", str(db), "--no-cache", "--quiet"]
    assert run_app(argv) == 0
    first = out.read_text(encoding="utf-8")
    assert 'id="chart-ranking"' in first and "chart-trend" not in first
    assert "临江市规划和自然资源局" in first
    assert run_app([*argv, "--lang", "en"]) == 0
    second = out.read_text(encoding="utf-8")
    assert 'id="chart-trend"' in second and "Department ranking" in second
    capsys.readouterr()


def test_audit_format_html_reads_the_trend_from_its_history(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`audit --history FILE --format html` shows the trend of that history, not of the default one."""
    out, db = tmp_path / "audit.html", tmp_path / "elsewhere.sqlite"
    argv = ["audit", "规划和自然资源局", "--history", str(db), "--format", "html", "-o", str(out)]
    for _ in range(2):
        assert run_app([*argv, "--no-cache", "--quiet", "--fail-on", "never"]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'id="chart-trend"' in page and str(db) in page
    capsys.readouterr()


CATCH_ALL = ("其他", "相关", "有关", "等材料")


def _replace(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text, f"{page.name} does not contain {old!r}"
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_history_shows_new_and_fixed_findings_after_a_second_audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    portal = tmp_path / "portal"
    shutil.copytree(sample_portal_dir(), portal)
    manifest = json.loads((portal / "manifest.json").read_text(encoding="utf-8"))["guides"]

    def has_catch_all(m: dict) -> bool:
        return "MAT01" in m["expected"] and any(t in n for n in m["facts"]["materials"] for t in CATCH_ALL)

    # A UTF-8 HTML department (edited as text below) with a guide whose catch-all material (MAT01) we fix,
    # and a clean one where we plant a catch-all material; read from the manifest, as regenerating the
    # portal moves the plants.
    site = json.loads((portal / "site.json").read_text(encoding="utf-8"))["departments"]
    dept = next(
        d for d in site
        if d["encoding"] == "utf-8" and d["template"] != "json"
        and any(has_catch_all(m) for m in manifest.values() if m["department"] == d["code"])
    )  # fmt: skip
    short, full = dept["name"].removeprefix("临江市"), dept["name"]
    guides = {path: m for path, m in manifest.items() if m["department"] == dept["code"]}
    fixed_path, fixed_m = next((p, m) for p, m in guides.items() if has_catch_all(m))
    catch_all = next(n for n in fixed_m["facts"]["materials"] if any(t in n for t in CATCH_ALL))
    new_path, new_m = next((p, m) for p, m in guides.items() if not m["expected"] and m["facts"]["materials"])
    db = tmp_path / "history.sqlite"
    with SamplePortalServer(portal).start() as server:
        audit = [
            "audit",
            short,
            "--portal",
            server.url + "/",
            "--no-cache",
            "--no-links",
            "--rate",
            "0",
            "--concurrency",
            "8",
            "--quiet",
            "--history",
            str(db),
            "--fail-on",
            "never",
            "--no-config",
            "--output",
            str(tmp_path / "a.txt"),
        ]
        assert run_app(audit) == 0
        _replace(portal / fixed_path.lstrip("/"), catch_all, "土地权属证明")
        _replace(portal / new_path.lstrip("/"), new_m["facts"]["materials"][-1], "其他相关材料")
        assert run_app(audit) == 0
    capsys.readouterr()

    doc = _json(capsys, ["history", short, "--history", str(db), "--format", "json"])
    assert doc["department"] == full
    assert len(doc["trend"]) == 2 and doc["previous_run"] == doc["trend"][0]["run"]
    new = {(Path(f["source"]).name, f["rule_id"]) for f in doc["new"]}
    fixed = {(Path(f["source"]).name, f["rule_id"]) for f in doc["fixed"]}
    assert (Path(new_path).name, "MAT01") in new, doc["new"]
    assert (Path(fixed_path).name, "MAT01") in fixed, doc["fixed"]
    assert doc["unchanged"] > 0

    assert run_app(["history", short, "--history", str(db)]) == 0
    text = capsys.readouterr().out
    assert "新增问题" in text and "已修复" in text and "MAT01" in text


def test_history_errors_are_clean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run_app(["history", "市公安局", "--history", str(tmp_path / "none.sqlite")]) == 2
    assert "no audit history yet" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()


def test_scoring_explains_the_method_and_weights(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["scoring", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "weighted mean" in text and "35%" in text and "MAT01" in text


def test_explain_scoring_is_the_same_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["explain", "--scoring"]) == 0
    explained = capsys.readouterr().out
    assert run_app(["scoring"]) == 0
    assert capsys.readouterr().out == explained
    assert "加权平均" in explained and "申请材料明确 (materials) 35%" in explained
    assert run_app(["explain"]) == 2  # neither a rule nor --scoring
