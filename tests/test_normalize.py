"""Table-driven tests of the value parsers in guidecheck.normalize."""

from __future__ import annotations

import pytest

from guidecheck.model import Loc
from guidecheck.normalize import (
    clean_text,
    cn_to_int,
    find_time_limit,
    is_yes,
    item_type_is,
    nfkc,
    parse_channels,
    parse_copies,
    parse_forms,
    parse_time_limit,
    parse_visits,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二十", 20),
        ("两", 2),
        ("十五", 15),
        ("一百零五", 105),
        ("三十", 30),
        ("零", 0),
        ("12", 12),
        ("一万二千", 12000),
    ],
)
def test_cn_to_int(text: str, value: int) -> None:
    assert cn_to_int(text) == value


def test_cn_to_int_rejects_words() -> None:
    assert cn_to_int("工作日") is None
    assert cn_to_int("") is None


@pytest.mark.parametrize(
    ("text", "days", "days_min", "unit", "immediate"),
    [
        ("20个工作日", 20, 20, "工作日", False),
        ("二十个工作日", 20, 20, "工作日", False),
        ("２０个工作日", 20, 20, "工作日", False),
        ("即办", 0, 0, "", True),
        ("当场办结", 0, 0, "", True),
        ("30日", 30, 30, "日", False),
        ("30天", 30, 30, "天", False),
        ("7-20个工作日", 20, 7, "工作日", False),
        ("7至20个工作日", 20, 7, "工作日", False),
        ("20(工作日)", 20, 20, "工作日", False),
        ("20（工作日）", 20, 20, "工作日", False),
        ("30内办结", 30, 30, "", False),
        ("3个月", 3, 3, "月", False),
        ("60个自然日", 60, 60, "自然日", False),
        ("15个工作日（不含专家评审时间）", 15, 15, "工作日", False),
        ("2 小时", 2, 2, "小时", False),
    ],
)
def test_parse_time_limit(text: str, days: float, days_min: float, unit: str, immediate: bool) -> None:
    limit = parse_time_limit(text)
    assert (limit.days, limit.days_min, limit.unit, limit.immediate) == (days, days_min, unit, immediate)
    assert limit.raw == text


@pytest.mark.parametrize("text", ["无", "", "/", "详见说明"])
def test_parse_time_limit_without_value(text: str) -> None:
    limit = parse_time_limit(text)
    assert limit.days is None
    assert not limit.immediate


def test_time_limit_keeps_loc_and_converts_units() -> None:
    loc = Loc("a.txt", line=3)
    limit = parse_time_limit("21天", loc)
    assert limit.loc == loc
    assert limit.working_days == pytest.approx(15)


def test_find_time_limit_inside_text() -> None:
    found = find_time_limit("受理：窗口审核材料（1个工作日）")
    assert found is not None and found.days == 1 and found.unit == "工作日"
    assert find_time_limit("当场办结并出具回执").immediate  # type: ignore[union-attr]
    assert find_time_limit("提交申请") is None


@pytest.mark.parametrize(
    ("text", "visits"),
    [
        ("0次", 0),
        ("０次", 0),
        ("零跑动", 0),
        ("零跑腿", 0),
        ("不见面", 0),
        ("最多跑一次", 1),
        ("最多跑1次", 1),
        ("1次", 1),
        ("2次", 2),
        ("两次", 2),
        ("", None),
        ("见说明", None),
    ],
)
def test_parse_visits(text: str, visits: int | None) -> None:
    assert parse_visits(text) == visits


@pytest.mark.parametrize(
    ("text", "copies"),
    [
        ("原件1份、复印件2份", 3),
        ("一式两份", 2),
        ("一式三份", 3),
        ("1份", 1),
        ("各一份", 1),
        ("原件一份", 1),
        ("1", 1),
        ("２", 2),
        ("原件：1 复印件：2", 3),
        ("", None),
        ("若干", None),
        ("原件及复印件各1份", 2),
        ("近期2寸照片2张", 2),
    ],
)
def test_parse_copies(text: str, copies: int | None) -> None:
    assert parse_copies(text) == copies


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("原件", ("原件",)),
        ("原件/复印件", ("原件", "复印件")),
        ("复印件（需比对原件）", ("复印件",)),
        ("电子化", ("电子",)),
        ("纸质", ("纸质",)),
        ("纸质、电子", ("电子", "纸质")),
        ("", ()),
    ],
)
def test_parse_forms(text: str, forms: tuple[str, ...]) -> None:
    assert parse_forms(text) == forms


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("窗口办理,网上办理,快递申请", {"window", "online", "post"}),
        ("窗口办理，网上办理，邮寄申请", {"window", "online", "post"}),
        ("全程网办", {"online"}),
        ("自助终端", {"self_service"}),
        ("窗口办理", {"window"}),
        ("窗口办理（仅发布办事指南）", {"window"}),
        ("", set()),
    ],
)
def test_parse_channels(text: str, channels: set[str]) -> None:
    assert parse_channels(text) == frozenset(channels)


@pytest.mark.parametrize(
    ("text", "yes"), [("是", True), ("是（全程网办）", True), ("支持", True), ("否", False), ("", False)]
)
def test_is_yes(text: str, yes: bool) -> None:
    assert is_yes(text) is yes


def test_nfkc_and_clean_text() -> None:
    assert nfkc("ＡＢＣ１２３：") == "ABC123:"
    assert clean_text("  第一行\u3000\u3000内容 \n\n\n 第二行 ") == "第一行 内容\n第二行"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("行政许可", "行政许可", True),
        ("行政许可（普通）", "行政许可", True),
        ("非行政许可审批", "行政许可", False),  # abolished in 2015: not a licence although it holds the word
        ("非行政许可审批；行政许可", "行政许可", True),
        ("公共服务", "行政许可", False),
        ("", "公共服务", False),
    ],
)
def test_item_type_is(text: str, word: str, expected: bool) -> None:
    assert item_type_is(text, word) is expected
