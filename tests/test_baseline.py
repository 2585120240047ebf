"""Baselines on hand-built results; the end-to-end edit/fix/add cycle on real guide files is below."""

import json
from pathlib import Path

import pytest

from guidecheck import baseline
from guidecheck.errors import InputError
from tests.format_samples import RULES, finding, sample_result


def test_write_is_sorted_and_stable(tmp_path):
    path = tmp_path / "b.json"
    assert baseline.write(sample_result(), path) == 4
    first = path.read_bytes()
    baseline.write(sample_result(), path)
    assert path.read_bytes() == first
    doc = json.loads(first)
    assert doc["format"] == "guidecheck-baseline/1"
    entries = list(doc["findings"].values())
    assert [(e["guide"], e["rule"]) for e in entries] == sorted((e["guide"], e["rule"]) for e in entries)
    assert {"rule", "guide", "evidence"} <= set(entries[0])
    assert '"line"' not in first.decode()


def test_known_new_fixed(tmp_path):
    path = tmp_path / "b.json"
    baseline.write(sample_result(), path)
    result = sample_result()
    a = result.guides[0]
    # guide a: its first finding is fixed, a new one appears; guide b: unchanged
    a.findings = [a.findings[1], finding(a.guide, RULES[0], "新的兜底", "其他材料", 40)]
    baseline.apply(result, baseline.load(path), str(path))
    assert result.baseline["new"] == 1 and result.baseline["known"] == 3 and result.baseline["fixed"] == 1
    assert [f.evidence for f in result.findings] == ["其他材料"]
    assert result.baseline["fixed_items"][0]["evidence"] == "其他相关材料, 见附件"
    assert result.baseline["file"] == str(path)


def test_cosmetic_evidence_changes_keep_identity(tmp_path):
    path = tmp_path / "b.json"
    baseline.write(sample_result(), path)
    result = sample_result()
    a = result.guides[0]
    # full-width forms and whitespace differ, the line moved: still the same finding
    a.findings[0] = finding(a.guide, RULES[0], "x", "其他相关材料， 见附件", 99)
    baseline.apply(result, baseline.load(path))
    assert result.baseline["new"] == 0 and result.baseline["fixed"] == 0


def test_duplicates_are_counted(tmp_path):
    result = sample_result()
    a = result.guides[0]
    a.findings.append(a.findings[0])
    path = tmp_path / "b.json"
    baseline.write(result, path)
    again = sample_result()
    again.guides[0].findings += [again.guides[0].findings[0]] * 2
    baseline.apply(again, baseline.load(path))
    assert again.baseline["new"] == 1 and again.baseline["known"] == 5


def test_guides_not_checked_are_not_fixed(tmp_path):
    path = tmp_path / "b.json"
    baseline.write(sample_result(), path)
    result = sample_result()
    del result.guides[1]  # guide b not checked in this run (e.g. pre-commit on changed files)
    baseline.apply(result, baseline.load(path))
    assert result.baseline["fixed"] == 0 and result.baseline["new"] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such baseline"), ("{", "invalid JSON"), ('{"findings": {}}', "not a guidecheck baseline")],
)
def test_bad_files_are_clear(tmp_path, content, message):
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        baseline.load(path)


# --- end to end, on a real guide file and the real rules ---------------------------------------------

REPO_GUIDE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "guide_repo" / "guides" / "jianshe-yongdi-biangeng.guide.toml"
)


def _replace_line(path: Path, start: str, new: str) -> None:
    lines = path.read_text("utf-8").splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(start)]
    assert hits, start
    lines[hits[0]] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check(folder: Path, base: Path | None = None):
    from guidecheck.api import check_paths
    from guidecheck.engine import load_ruleset

    result = check_paths([folder], load_ruleset())
    if base is not None:
        baseline.apply(result, baseline.load(base))
    return result


def test_edit_elsewhere_fix_and_add_on_a_guide_file(tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    guide = folder / REPO_GUIDE.name
    guide.write_text(REPO_GUIDE.read_text("utf-8"), encoding="utf-8")
    base = tmp_path / "baseline.json"
    first = _check(folder)
    assert "TIM01" in {f.rule_id for f in first.findings}  # 承诺 40 > 法定 20 个工作日
    baseline.write(first, base)

    # edit elsewhere: new lines above shift every line number, other text changes
    text = guide.read_text("utf-8")
    guide.write_text(
        "# 2025 年修订\n# 复核人：张三\n" + text.replace("临江市政务服务中心", "临江市政务服务中心（新址）"), "utf-8"
    )
    edited = _check(folder, base)
    assert edited.baseline["new"] == 0 and edited.baseline["fixed"] == 0
    assert edited.baseline["known"] == len(first.findings)

    # fix it: the promised limit no longer exceeds the legal one
    _replace_line(guide, "promised_limit = ", 'promised_limit = "15个工作日"')
    fixed = _check(folder, base)
    assert fixed.baseline["fixed"] >= 1
    assert "TIM01" in {item["rule"] for item in fixed.baseline["fixed_items"]}
    assert fixed.baseline["new"] == 0

    # add a fault: a catch-all material (MAT01) → new, and only it is reported
    guide.write_text(guide.read_text("utf-8") + '\n[[materials]]\nname = "其他相关材料"\n', "utf-8")
    added = _check(folder, base)
    assert added.baseline["new"] >= 1
    assert "MAT01" in {f.rule_id for f in added.findings}
    assert all(f.evidence == "其他相关材料" for f in added.findings)


def test_guides_without_item_code_match_by_path_relative_to_the_baseline(tmp_path, monkeypatch):
    from guidecheck.model import Field, Guide, Loc
    from guidecheck.results import GuideResult, RunResult

    def run_from(source: str) -> RunResult:
        g = Guide(source=source, item_name=Field("某事项", Loc(source, "item_name", 1)))  # no item code
        assert g.id == source
        return RunResult(
            guides=[GuideResult(source=source, guide=g, findings=[finding(g, RULES[0], "m", "其他材料", 3)])]
        )

    (tmp_path / "guides").mkdir()
    monkeypatch.chdir(tmp_path)
    base = tmp_path / "guidecheck-baseline.json"
    baseline.write(run_from("guides/a.guide.toml"), base)
    assert json.loads(base.read_text("utf-8"))["findings"].popitem()[1]["guide"] == "guides/a.guide.toml"
    # the same guide reached another way (absolute path, from another folder) is still known
    monkeypatch.chdir(tmp_path / "guides")
    for source in (str(tmp_path / "guides" / "a.guide.toml"), "a.guide.toml"):
        result = baseline.apply(run_from(source), baseline.load(base), str(base))
        assert result.baseline["known"] == 1 and result.baseline["new"] == 0 and result.baseline["fixed"] == 0
