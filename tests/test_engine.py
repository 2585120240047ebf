"""The rule engine: packs, validation errors, overrides, selection, lookup, stamping findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from guidecheck.checks import CHECK_KINDS
from guidecheck.engine import SEVERITY_WEIGHTS, load_ruleset
from guidecheck.errors import GuidecheckError, RuleError
from guidecheck.findings import FACETS, Severity
from guidecheck.model import Diagnostic, Field, Guide, Loc, Material

GROUP_FACETS = {
    "CMP": {"completeness"},
    "MAT": {"materials"},
    "FLW": {"flow"},
    "CON": {"consistency"},
    "TIM": {"completeness", "flow", "consistency"},
}
CATALOGUE = (
    [f"CMP0{i}" for i in range(1, 8)]
    + [f"TIM0{i}" for i in range(1, 6)]
    + [f"MAT{i:02d}" for i in range(1, 11)]
    + [f"FLW0{i}" for i in range(1, 7)]
    + [f"CON0{i}" for i in range(1, 8)]
)

VALID_RULE = """
[[rule]]
id = "{id}"
name = "{name}"
facet = "materials"
severity = "{severity}"
check = "{check}"
title = {{ zh = "测试", en = "Test" }}
message = {{ zh = "材料“{{evidence}}”", en = "Material {{evidence}}" }}
source = {{ ids = ["L10"], text = "测试依据" }}
[rule.doc]
what = "w"
why = "y"
fail = "f"
pass = "p"
[rule.params]
{params}
"""


def pack(folder: Path, text: str, name: str = "extra.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def rule_text(**kw: str) -> str:
    values = {
        "id": "MAT90",
        "name": "materials.test-rule",
        "severity": "warning",
        "check": "forbidden_terms",
        "params": 'terms = ["测试材料"]',
    }
    values.update(kw)
    return VALID_RULE.format(**values)


def guide_with_materials(*names: str) -> Guide:
    guide = Guide(source="g.txt", item_name=Field("测试事项", Loc("g.txt", line=1)))
    guide.materials = [
        Material(n, Loc("g.txt", line=i + 2), forms=("原件",), copies=1, necessity="必要") for i, n in enumerate(names)
    ]
    return guide


# ------------------------------------------------------------------------------- the built-in packs


def test_catalogue_rules_all_present() -> None:
    ids = {r.id for r in load_ruleset().rules}
    assert set(CATALOGUE) <= ids


def test_every_rule_is_documented_and_well_formed() -> None:
    for rule in load_ruleset().rules:
        assert rule.facet in FACETS and rule.facet in GROUP_FACETS[rule.group], rule.id
        assert rule.check in CHECK_KINDS
        for text in (rule.doc.what, rule.doc.why, rule.doc.fail, rule.doc.pass_, rule.source.text):
            assert text.strip(), rule.id
        assert rule.source.ids, rule.id
        assert rule.title["zh"] and rule.title["en"] and rule.message["zh"] and rule.message["en"], rule.id
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", rule.name), rule.name
        # Chinese users read the docs in Chinese: every built-in rule says what and why in both languages.
        for key in ("what", "why"):
            zh = rule.doc.text(key, "zh")
            assert zh != rule.doc.text(key, "en") and re.search(r"[\u4e00-\u9fff]{4}", zh), (rule.id, key)
        assert rule.weight == SEVERITY_WEIGHTS[rule.severity], rule.id


def test_catalogue_severities() -> None:
    rules = load_ruleset()
    expected = {
        "CMP01": "error",
        "CMP02": "error",
        "CMP03": "warning",
        "CMP05": "info",
        "CMP07": "error",
        "TIM01": "error",
        "TIM02": "warning",
        "TIM05": "error",
        "MAT01": "error",
        "MAT07": "info",
        "MAT10": "warning",
        "FLW01": "error",
        "FLW05": "info",
        "CON01": "error",
        "CON03": "error",
        "CON07": "info",
    }
    for rule_id, severity in expected.items():
        assert str(rules.get(rule_id).severity) == severity, rule_id


def test_labels_file_beside_the_packs_is_not_a_pack(tmp_path: Path) -> None:
    folder = pack(tmp_path / "r", "[elements]\nitem_name = ['事项名称']\n", "labels.toml")
    pack(folder, "[sections]\nbasic = ['基本信息']\n", "other-data.toml")
    assert len(load_ruleset([folder]).rules) == len(load_ruleset().rules)


# ------------------------------------------------------------------------------- broken rule files


def broken(tmp_path: Path, text: str) -> RuleError:
    folder = pack(tmp_path / "broken", text)
    with pytest.raises(RuleError) as info:
        load_ruleset([folder])
    return info.value


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    err = broken(tmp_path, '[[rule]]\nid = "MAT90"\nname = "materials.x\n')
    assert err.file.endswith("extra.toml") and err.line == 3
    assert "extra.toml:3" in str(err)


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (rule_text(check="no_such_kind"), "check", "unknown check kind"),
        (rule_text(severity="fatal"), "severity", "error, warning or info"),
        (rule_text(params='terms = ["re:("]'), "params.terms", "bad regular expression"),
        (
            rule_text(check="placeholder_terms", params='elements = ["item_nmae"]\npatterns = ["无"]'),
            "params.elements",
            "unknown element",
        ),
        (rule_text(params='terms = ["x"]\ncolour = "red"'), "params.colour", "unknown parameter"),
        (rule_text(params='terms = "@no_such_list"'), "params", "unknown term list"),
        (rule_text().replace('facet = "materials"\n', ""), "facet", "missing required key"),
        (rule_text().replace('why = "y"\n', ""), "doc.why", "missing"),
        (rule_text().replace('why = "y"\n', 'why.fr = "y"\n'), "doc.why", "zh and en texts"),
        (rule_text() + '\n[rule.when]\nchannels_any = ["fax"]\n', "when.channels_any", "unknown channel"),
        (rule_text().replace('id = "MAT90"', 'id = "mat-90"'), "id", "group code"),
    ],
)
def test_broken_rule_names_file_rule_and_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    err = broken(tmp_path, text)
    assert err.file.endswith("extra.toml")
    assert err.rule in ("MAT90", "mat-90")
    assert err.key == key
    assert words in str(err)


def test_doc_texts_in_two_languages(tmp_path: Path) -> None:
    text = rule_text().replace('why = "y"\n', 'why.zh = "原因"\nwhy.en = "because"\n')
    rule = load_ruleset([pack(tmp_path / "two", text)]).get("MAT90")
    assert rule.doc.text("why", "zh") == "原因" and rule.doc.text("why", "en") == "because"
    assert rule.doc.text("what", "zh") == rule.doc.text("what", "en")  # one text serves both
    assert rule.to_dict()["doc"]["zh"] == {"why": "原因"}


def test_duplicate_id_in_one_folder(tmp_path: Path) -> None:
    folder = pack(tmp_path / "dup", rule_text())
    pack(folder, rule_text(name="materials.other-name"), "second.toml")
    with pytest.raises(RuleError, match="duplicate id") as info:
        load_ruleset([folder])
    assert info.value.rule == "MAT90" and info.value.key == "id"


def test_name_clash_with_builtin_rule(tmp_path: Path) -> None:
    err = broken(tmp_path, rule_text(name="materials.catch-all"))
    assert "MAT01" in str(err) and err.key == "name"


def test_missing_rules_folder_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="not found"):
        load_ruleset([tmp_path / "nope"])


# ------------------------------------------------------------------------------- overrides, additions


def test_extra_folder_overrides_by_keys_and_adds_rules(tmp_path: Path) -> None:
    folder = pack(
        tmp_path / "mine",
        '[[rule]]\nid = "MAT07"\nseverity = "warning"\n[rule.title]\nen = "Shared licence demanded"\n' + rule_text(),
    )
    rules = load_ruleset([folder])
    mat07 = rules.get("MAT07")
    assert mat07.severity is Severity.WARNING and mat07.weight == SEVERITY_WEIGHTS[Severity.WARNING]
    assert mat07.title["en"] == "Shared licence demanded" and mat07.title["zh"]  # merged, not replaced
    assert mat07.params["terms"]  # untouched keys survive
    assert mat07.file.endswith("extra.toml")
    assert rules.get("MAT90").name == "materials.test-rule"
    findings = [f for f in rules.check(guide_with_materials("测试材料汇总")) if f.rule_id == "MAT90"]
    assert [(f.evidence, f.severity) for f in findings] == [("测试材料汇总", Severity.WARNING)]


def test_disable_a_rule_from_an_extra_folder(tmp_path: Path) -> None:
    folder = pack(tmp_path / "off", '[[rule]]\nid = "FLW05"\nenabled = false\n')
    assert "FLW05" not in {r.id for r in load_ruleset([folder]).rules}


def test_term_lists_extend_and_replace_without_python(tmp_path: Path) -> None:
    guide = guide_with_materials("另附材料清单所列文件")
    assert not load_ruleset(select=["MAT01"]).check(guide)
    extended = pack(tmp_path / "ext", '[terms_extend]\ncatch_all = ["另附材料"]\n')
    assert [f.rule_id for f in load_ruleset([extended], select=["MAT01"]).check(guide)] == ["MAT01"]
    replaced = pack(tmp_path / "rep", '[terms]\ncatch_all = ["清单所列"]\n')
    hits = load_ruleset([replaced], select=["MAT01"]).check(guide_with_materials("其他材料", "清单所列文件"))
    assert [f.evidence for f in hits] == ["清单所列文件"]


def test_a_term_file_can_be_passed_on_its_own(tmp_path: Path) -> None:
    term_file = tmp_path / "local-terms.toml"
    term_file.write_text('[terms_extend]\ngovernment_held = ["残疾人证"]\n', encoding="utf-8")
    rules = load_ruleset([term_file], select=["MAT07"])
    assert [f.rule_id for f in rules.check(guide_with_materials("残疾人证复印件"))] == ["MAT07"]


def test_unknown_list_in_terms_extend(tmp_path: Path) -> None:
    err = broken(tmp_path, '[terms_extend]\ncatch_al = ["x"]\n')
    assert "catch_all" in str(err) and err.key == "terms_extend.catch_al"


# ------------------------------------------------------------------------------- selection, lookup


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("MAT01", {"MAT01"}),
        ("M1", {"MAT01"}),
        ("materials.catch-all", {"MAT01"}),
        ("CON", None),
        ("consistency", None),
        ("time", None),
    ],
)
def test_select_by_id_alias_name_group_facet(token: str, expected: set[str] | None) -> None:
    ids = {r.id for r in load_ruleset(select=[token]).rules}
    if expected is not None:
        assert ids == expected
    elif token == "CON":
        assert ids and all(i.startswith("CON") for i in ids)
    elif token == "time":
        assert ids == {r.id for r in load_ruleset().rules if r.id.startswith("TIM")}
    else:
        assert ids and all(load_ruleset().get(i).facet == token for i in ids)


def test_ignore_and_severity_override() -> None:
    rules = load_ruleset(ignore=["FLW", "M1"], severity={"MAT07": "warning", "terse-steps": "error"})
    ids = {r.id for r in rules.rules}
    assert "MAT01" not in ids and not any(i.startswith("FLW") for i in ids)
    assert rules.get("MAT07").severity is Severity.WARNING and rules.get("MAT07").weight == 4.0


def test_unknown_select_token_suggests_closest() -> None:
    with pytest.raises(GuidecheckError, match="MAT01"):
        load_ruleset(select=["MAT1"])


def test_unknown_rule_lists_three_closest_ids() -> None:
    with pytest.raises(GuidecheckError) as info:
        load_ruleset().get("CON1")
    closest = re.findall(r"[A-Z]{3}\d{2}", str(info.value))
    assert len(closest) == 3 and "CON01" in closest


# ------------------------------------------------------------------------------- running rules


def test_findings_are_stamped_by_the_engine() -> None:
    rules = load_ruleset(select=["MAT01"])
    guide = guide_with_materials("其他相关材料")
    (zh,) = rules.check(guide)
    (en,) = rules.check(guide, lang="en")
    assert (zh.rule_id, zh.rule_name, zh.facet, zh.severity, zh.weight) == (
        "MAT01",
        "materials.catch-all",
        "materials",
        Severity.ERROR,
        10.0,
    )
    assert zh.evidence == "其他相关材料" and zh.loc == Loc("g.txt", line=2)
    assert "兜底" in zh.message and "catch-all" in en.message
    assert zh.fingerprint == en.fingerprint and len(zh.fingerprint) == 16
    moved = guide_with_materials("申请表", "其他相关材料")  # another line: the same identity
    assert rules.check(moved)[0].fingerprint == zh.fingerprint


def test_missing_element_evidence_is_its_label() -> None:
    finding = next(
        f for f in load_ruleset(select=["CMP01"]).check(guide_with_materials("申请表")) if "承诺办结时限" in f.message
    )
    assert finding.evidence == "承诺办结时限" and finding.loc is None
    en = next(
        f
        for f in load_ruleset(select=["CMP01"]).check(guide_with_materials("申请表"), "en")
        if f.evidence == "承诺办结时限"
    )
    assert "promised time limit" in en.message


def test_not_auditable_guide_gets_no_findings() -> None:
    guide = Guide(source="login.html", diagnostics=[Diagnostic("not-auditable", "login page")])
    assert load_ruleset().check(guide) == []
    assert load_ruleset().check(Guide(source="empty.html"))  # an empty guide that *is* auditable


def test_set_param_reaches_only_the_kinds_that_take_it() -> None:
    rules = load_ruleset()
    assert rules.set_param("area_code", "020") == ["CMP05"]
    assert rules.get("CMP05").params["area_code"] == "020"
    guide = guide_with_materials("申请表")
    guide.consult = Field("83202345", Loc("g.txt", line=9))
    finding = next(f for f in rules.check(guide) if f.rule_id == "CMP05")
    assert "020-83202345" in finding.message
    with pytest.raises(GuidecheckError, match="area_code"):
        rules.set_param("area_code", "20")


def test_rule_metadata_for_machine_formats() -> None:
    data = load_ruleset().get("CON01").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False))["doc"]["pass"]
    assert set(data) >= {"id", "name", "title", "doc", "source", "severity", "facet", "weight"}


def test_alias_may_not_shadow_another_rules_id(tmp_path: Path) -> None:
    err = broken(tmp_path, rule_text().replace('facet = "materials"', 'aliases = ["MAT01"]\nfacet = "materials"'))
    assert err.key == "aliases" and "MAT01" in str(err)


def test_override_with_a_mistyped_id_suggests_the_builtin_one(tmp_path: Path) -> None:
    err = broken(tmp_path, '[[rule]]\nid = "MAT7"\nseverity = "warning"\n')
    assert "not a built-in id" in str(err) and "MAT07" in str(err) and err.rule == "MAT7"


def test_basis_article_reports_each_law_once() -> None:
    guide = guide_with_materials("申请表")
    guide.legal_basis = Field(
        "《甲法》第二条；《乙条例》；《乙条例》（2019年修订）；《丙办法》第3条", Loc("g.txt", line=5)
    )
    assert [f.evidence for f in load_ruleset(select=["CMP06"]).check(guide)] == ["《乙条例》"]


def test_override_with_another_check_kind_starts_from_empty_params(tmp_path: Path) -> None:
    folder = pack(tmp_path / "kind", '[[rule]]\nid = "MAT07"\ncheck = "duplicate_materials"\n')
    rules = load_ruleset([folder], select=["MAT07"])
    assert rules.get("MAT07").params == {}
    assert [f.evidence for f in rules.check(guide_with_materials("营业执照", "营业执照"))] == ["营业执照"]


def test_a_chinese_only_rule_falls_back_to_chinese(tmp_path: Path) -> None:
    text = (
        rule_text()
        .replace('title = { zh = "测试", en = "Test" }', 'title = { zh = "测试" }')
        .replace(
            'message = { zh = "材料“{evidence}”", en = "Material {evidence}" }', 'message = { zh = "材料“{evidence}”" }'
        )
    )
    rules = load_ruleset([pack(tmp_path / "zh", text)], select=["MAT90"])
    (finding,) = rules.check(guide_with_materials("测试材料"), lang="en")
    assert finding.message == "材料“测试材料”" and rules.get("MAT90").title_for("en") == "测试"


def test_parsed_values_count_as_present() -> None:
    from guidecheck.model import TimeLimit

    guide = guide_with_materials("申请表")
    guide.promised_limit = TimeLimit("10个工作日", 10, 10, "工作日")
    guide.visits = 0
    missing = {f.evidence for f in load_ruleset(select=["CMP01"]).check(guide)}
    assert "承诺办结时限" not in missing and "到办事现场次数" not in missing and "法定办结时限" in missing
