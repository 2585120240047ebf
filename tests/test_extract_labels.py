"""Label synonyms as data: the built-in file, user files merged on top, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.errors import ConfigError
from guidecheck.extract import extract
from guidecheck.labels import label_key, load_labels
from guidecheck.model import ELEMENT_KEYS


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("承诺办结时限：", "承诺办结时限"),
        ("  承诺办结时限（工作日） ", "承诺办结时限"),
        ("一、申请材料", "申请材料"),
        ("（二）网上办理流程", "网上办理流程"),
        ("【办理流程】", "办理流程"),
        ("## 申请材料", "申请材料"),
        ("*事项名称:", "事项名称"),
        ("事 项 名 称", "事项名称"),
        ("申请材料（3项）", "申请材料"),
        ("办理流程 >>", "办理流程"),
    ],
)
def test_label_key(raw: str, key: str) -> None:
    assert label_key(raw) == key


def test_builtin_labels_cover_the_portal_alias_lists() -> None:
    labels = load_labels()
    for label, key in [
        ("承诺期限", "promised_limit_text"),
        ("法定期限", "legal_limit_text"),
        ("到现场窗口次数", "visits_text"),
        ("到现场大厅次数", "visits_text"),
        ("办理方式", "channels_text"),
        ("是否可以在线申报", "is_online"),
        ("网办深度", "online_depth"),
        ("实施机构", "owner"),
        ("咨询联系电话", "consult"),
        ("监督和投诉电话", "complaint"),
        ("业务办理项编码", "item_code"),
        ("基本编码", "item_code"),
        ("申报材料", "materials_text"),
        ("窗口办理流程", "window_flow_text"),
    ]:
        assert labels.element(label) == key, label
    assert set(labels.elements) <= ELEMENT_KEYS
    assert labels.element_rank("实施编码") < labels.element_rank("基本编码")
    assert labels.material_column("纸质材料份数") == "copies"
    assert labels.material_column("介质") == "forms"
    assert labels.material_column("示例样表") == "sample"
    assert labels.step_column("承办人") == "actor"
    assert labels.section("咨询监督") == "container"
    assert labels.flag("是否支持物流快递") == "supports_post"


def test_extra_label_file_is_merged(tmp_path: Path) -> None:
    extra = tmp_path / "my-labels.toml"
    extra.write_text(
        '[elements]\nitem_name = ["服务项目"]\n\n[material_columns]\ncopies = ["张数"]\n', encoding="utf-8"
    )
    labels = load_labels([extra])
    assert labels.element("服务项目") == "item_name"
    assert labels.element("事项名称") == "item_name"  # built-ins stay
    page = "服务项目：兽药经营许可\n申请材料：\n| 材料名称 | 张数 |\n|---|---|\n| 申请表 | 2 |\n"
    g = extract(page.encode(), "g.md", labels=labels)
    assert g.item_name and g.item_name.text == "兽药经营许可"
    assert [(m.name, m.copies) for m in g.materials] == [("申请表", 2)]
    assert load_labels().element("服务项目") is None  # the default set is untouched


def test_bad_label_files(tmp_path: Path) -> None:
    bad_key = tmp_path / "bad.toml"
    bad_key.write_text('[elements]\nitem_title = ["名称"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml.*unknown element key 'item_title'"):
        load_labels([bad_key])
    broken = tmp_path / "broken.toml"
    broken.write_text("[elements\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML syntax error"):
        load_labels([broken])
    with pytest.raises(ConfigError, match="no such label file"):
        load_labels([tmp_path / "missing.toml"])
