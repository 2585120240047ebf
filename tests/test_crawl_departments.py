"""Department names as inspectors type them find the portal's department; unknown names get the closest three."""

from __future__ import annotations

import pytest

from guidecheck.crawl.departments import Department, match_department
from guidecheck.errors import GuidecheckError

DEPTS = [
    Department("ghzy", "临江市规划和自然资源局", "/dept/ghzy/items-1.html"),
    Department("scjg", "临江市市场监督管理局", "/dept/scjg/items-1.html"),
    Department("gaj", "临江市公安局", "/dept/gaj/items-1.html"),
    Department("rsj", "临江市人力资源和社会保障局", "/dept/rsj/items-1.html"),
    Department("mzj", "临江市民政局", "/dept/mzj/items-1.html"),
    Department("zjj", "临江市住房和城乡建设局", "/dept/zjj/items-1.html"),
    Department("sthj", "临江市生态环境局", "/dept/sthj/items-1.html"),
]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("规划和自然资源局", "ghzy"),
        ("市规划和自然资源局", "ghzy"),
        ("某某市规划和自然资源局", "ghzy"),
        ("临江市规划和自然资源局", "ghzy"),
        ("临江市 规划和自然资源局", "ghzy"),
        ("市场监督管理局", "scjg"),  # starts with 市, which is not a prefix here
        ("市市场监督管理局", "scjg"),
        ("公安局", "gaj"),
        ("自然资源", "ghzy"),  # a fragment of exactly one name
        ("住房和城乡建设", "zjj"),
        ("规划和自然资源厅", "ghzy"),  # a near miss is still unambiguous
        ("rsj", "rsj"),  # the department code
        ("ＧＨＺＹ", "ghzy"),  # full-width
    ],
)
def test_names_find_the_department(query: str, code: str) -> None:
    assert match_department(query, DEPTS).code == code


def test_unknown_name_lists_the_three_closest() -> None:
    with pytest.raises(GuidecheckError) as err:
        match_department("交通运输局", DEPTS)
    message = str(err.value)
    assert message.startswith("no department named '交通运输局'")
    assert message.count("、") == 2  # three names


def test_ambiguous_fragment_names_the_candidates() -> None:
    with pytest.raises(GuidecheckError, match="matches several departments"):
        match_department("资源", DEPTS)


def test_empty_name_is_an_error() -> None:
    with pytest.raises(GuidecheckError, match="empty department name"):
        match_department("  ", DEPTS)
