import json
from pathlib import Path

import jsonschema
import pytest

from guidecheck.report import RenderOptions, render
from tests.format_samples import sample_result

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def doc(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    return json.loads(render("sarif", sample_result(), RenderOptions(lang="zh")))


def test_validates_against_the_official_schema(doc):
    jsonschema.Draft7Validator(SCHEMA).validate(doc)


def test_rules_carry_metadata_and_help(doc):
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {"MAT01", "MAT02", "CMP05"}
    mat01 = rules["MAT01"]
    assert mat01["name"] == "materials.catch-all"
    assert mat01["shortDescription"]["text"] == "兜底材料"
    assert mat01["defaultConfiguration"]["level"] == "error"
    assert rules["CMP05"]["defaultConfiguration"]["level"] == "note"
    assert mat01["properties"]["facet"] == "materials"
    assert mat01["properties"]["weight"] == 3.0
    assert "materials" in mat01["properties"]["tags"]
    for piece in ("申请人无法据此准备材料", "L4, L10", "其他相关材料", "营业执照复印件1份"):
        assert piece in mat01["help"]["markdown"]
        assert piece in mat01["help"]["text"]


def test_results_point_at_files_lines_and_carry_fingerprints(doc):
    run = doc["runs"][0]
    results = run["results"]
    assert len(results) == 4
    first = results[0]
    assert first["ruleId"] == "MAT01"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "MAT01"
    phys = first["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "guides/a.guide.toml", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 21}
    assert len(first["partialFingerprints"]["guidecheck/v1"]) == 16
    xpath_result = results[2]
    assert "region" not in xpath_result["locations"][0]["physicalLocation"]
    assert xpath_result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/html/body/table/tr[3]/td[2]"
    assert xpath_result["locations"][0]["properties"]["xpath"] == "/html/body/table/tr[3]/td[2]"


def test_unreadable_guides_become_notifications(doc):
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert "TOML syntax error" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "guides/broken.guide.toml"


def test_urls_stay_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = sample_result(base="https://zwfw.example.gov.cn/guide")
    doc = json.loads(render("sarif", result, RenderOptions(lang="en")))
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "https://zwfw.example.gov.cn/guide/a.guide.toml"}
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["MAT01"]["shortDescription"]["text"] == "Catch-all material"


def test_meta_rules_of_suppressions_are_described(tmp_path, monkeypatch):
    from guidecheck import suppress
    from guidecheck.model import Loc, Suppression

    monkeypatch.chdir(tmp_path)
    result = sample_result()
    g = result.guides[2].guide
    g.suppressions = [Suppression("CMP05", "", Loc(g.source, "guidecheck-disable[0]", 40))]
    result.guides[2].findings = suppress.apply(g, [], lang="zh")
    doc = json.loads(render("sarif", result, RenderOptions(lang="zh")))
    jsonschema.Draft7Validator(SCHEMA).validate(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["GC01"]["name"] == "suppression.unused" and rules["GC01"]["defaultConfiguration"]["level"] == "note"
    assert rules["GC02"]["shortDescription"]["text"] == "屏蔽声明缺少理由"
    gc = [r for r in doc["runs"][0]["results"] if r["ruleId"].startswith("GC")]
    assert {r["ruleId"] for r in gc} == {"GC01", "GC02"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] == 40 for r in gc)
