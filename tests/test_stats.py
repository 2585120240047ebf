"""Catalogue statistics: shares with their denominators, and time compression across units."""

from __future__ import annotations

import pytest

from guidecheck.model import Loc, Material, TimeLimit
from guidecheck.stats import catalogue_stats, is_form_material, run_stats, time_bucket
from tests.scoring_factory import guide, guide_result, run


def wd(n: float) -> TimeLimit:
    return TimeLimit(f"{n}个工作日", days=n, unit="工作日")


def test_counts_and_shares() -> None:
    guides = [
        ("甲局", guide(item_type="行政许可", case_type="即办件", visits=0, channels=frozenset({"online"}))),
        ("甲局", guide(item_type="行政许可", case_type="承诺件", visits=1, channels=frozenset({"window"}))),
        ("乙局", guide(item_type="公共服务", case_type="承诺件（5个工作日）", visits=3)),
        ("乙局", guide(item_type="", case_type="", visits=None, channels=frozenset())),
    ]
    s = catalogue_stats(guides)
    assert s.guides == 4
    assert s.by_department == {"甲局": 2, "乙局": 2}
    assert s.item_types == {"行政许可": 2, "公共服务": 1, "": 1}
    assert s.case_types == {"承诺件": 2, "即办件": 1, "": 1}
    assert s.share(s.case_types["承诺件"]) == 0.5
    assert s.online == 2
    assert s.visits == {"0": 1, "1": 1, "2+": 1, "": 1}


def test_compression_ratio_is_mean_promised_over_mean_legal() -> None:
    guides = [
        ("d", guide(legal=wd(20), promised=wd(5))),
        ("d", guide(legal=wd(30), promised=wd(10))),
        ("d", guide(legal=wd(40), promised=TimeLimit("即办", days=0, immediate=True))),
    ]
    s = catalogue_stats(guides)
    assert s.time_pairs == 3
    assert s.mean_legal_days == pytest.approx(30)
    assert s.mean_promised_days == pytest.approx(5)
    assert s.compression == pytest.approx(15 / 90)
    assert s.promised_distribution == {"0": 1, "1": 0, "2-10": 2, "11-30": 0, "30+": 0}


def test_months_years_and_calendar_days_convert_to_working_days() -> None:
    month = TimeLimit("1个月", days=1, unit="月")
    year = TimeLimit("1年", days=1, unit="年")
    calendar = TimeLimit("14个自然日", days=14, unit="自然日")
    s = catalogue_stats([("d", guide(legal=month, promised=calendar)), ("d", guide(legal=year, promised=wd(50)))])
    assert s.mean_legal_days == pytest.approx((21.75 + 250) / 2)
    assert s.mean_promised_days == pytest.approx((10 + 50) / 2)
    assert s.compression == pytest.approx(60 / 271.75)


def test_a_bare_day_is_a_working_day_for_a_licence_and_a_calendar_day_elsewhere() -> None:
    # 行政许可法 art. 82: a licence's limits count working days; elsewhere a bare 日 reads as calendar days
    legal, promised = TimeLimit("20日", days=20, unit="日"), TimeLimit("14天", days=14, unit="天")
    licence = catalogue_stats([("d", guide(item_type="行政许可", legal=legal, promised=promised))])
    service = catalogue_stats([("d", guide(item_type="公共服务", legal=legal, promised=promised))])
    assert (licence.mean_legal_days, licence.mean_promised_days) == (20, 14)
    assert service.mean_legal_days == pytest.approx(20 * 5 / 7)
    assert service.mean_promised_days == pytest.approx(10)


def test_guides_without_both_limits_are_left_out_of_the_means() -> None:
    unknown = TimeLimit("按规定", days=None)
    s = catalogue_stats([("d", guide(legal=wd(20), promised=wd(10))), ("d", guide(legal=unknown, promised=wd(1)))])
    assert s.time_pairs == 1
    assert s.compression == pytest.approx(0.5)
    assert s.promised_distribution["1"] == 1


def test_time_buckets() -> None:
    assert [time_bucket(x) for x in (0, 0.5, 1, 2, 10, 10.5, 30, 31)] == [
        "0", "1", "1", "2-10", "2-10", "11-30", "11-30", "30+",
    ]  # fmt: skip


def _m(name: str, **kw: object) -> Material:
    return Material(name=name, loc=Loc("g"), **kw)  # type: ignore[arg-type]


def test_form_materials() -> None:
    assert is_form_material(_m("设立登记申请表"))
    assert is_form_material(_m("行政许可申请书（原件）"))
    assert is_form_material(_m("营业执照", blank_form="x.doc"))
    assert not is_form_material(_m("居民身份证"))


def test_flowchart_samples_and_copies() -> None:
    with_all = guide(materials=[_m("申请表", sample="s.pdf", copies=1), _m("身份证", copies=1)])
    no_sample = guide(materials=[_m("申请表", copies=1), _m("登记表", sample="s.pdf", copies=2)], flowchart=False)
    no_forms = guide(materials=[_m("身份证")])
    no_materials = guide(materials=[])
    s = catalogue_stats([("d", g) for g in (with_all, no_sample, no_forms, no_materials)])
    assert s.with_flowchart == 3
    assert (s.with_samples, s.with_forms) == (1, 2)
    assert (s.with_copies, s.with_materials) == (2, 3)
    assert s.to_dict()["copies_stated"] == {"count": 2, "of": 3, "share": pytest.approx(0.6667)}


def test_run_stats_skip_failed_guides_and_split_by_department() -> None:
    result = run(
        guide_result("甲局", "1", []),
        guide_result("乙局", "2", []),
        guide_result("乙局", "3", [], error="HTTP 404"),
    )
    total, per = run_stats(result)
    assert total.guides == 2
    assert {k: v.guides for k, v in per.items()} == {"甲局": 1, "乙局": 1}
