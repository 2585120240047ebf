"""Scores from rule weights, department aggregates, and the league table's competition ranking."""

from __future__ import annotations

import pytest

from guidecheck.findings import Severity
from guidecheck.score import (
    FACET_WEIGHTS,
    DepartmentScore,
    assign_ranks,
    facet_scores,
    league,
    overall_score,
    score_guide,
)
from tests.scoring_factory import finding, guide_result, run

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def test_facet_weights_sum_to_100() -> None:
    assert sum(FACET_WEIGHTS.values()) == pytest.approx(100)


def test_facet_score_is_100_minus_rule_weights() -> None:
    scores = facet_scores([finding("MAT01", "materials", E, weight=12), finding("MAT02", "materials", W, weight=5)])
    assert scores["materials"] == 83
    assert scores["completeness"] == scores["flow"] == scores["consistency"] == 100


def test_default_weights_by_severity_and_weight_zero_does_not_score() -> None:
    scores = facet_scores([finding("A", "flow", E), finding("B", "flow", W), finding("C", "flow", INFO)])
    assert scores["flow"] == 100 - 10 - 4 - 1
    assert facet_scores([finding("GC01", "consistency", W, weight=0)])["consistency"] == 100


def test_a_rule_counts_once_per_guide() -> None:
    many = [finding("MAT02", "materials", W, weight=4, evidence=f"材料{i}") for i in range(9)]
    assert facet_scores(many)["materials"] == 96


def test_facet_floors_at_zero_and_unknown_facets_are_ignored() -> None:
    heavy = [finding(f"R{i}", "consistency", E, weight=30) for i in range(5)]
    scores = facet_scores([*heavy, finding("X1", "no-such-facet", E, weight=50)])
    assert scores["consistency"] == 0
    assert scores["completeness"] == 100


def test_overall_is_weighted_mean() -> None:
    facets = {"completeness": 80.0, "materials": 60.0, "flow": 100.0, "consistency": 40.0}
    expected = (80 * 25 + 60 * 35 + 100 * 25 + 40 * 15) / 100
    assert overall_score(facets) == pytest.approx(expected)
    assert overall_score(dict.fromkeys(facets, 100.0)) == 100


def test_failed_guide_has_no_score() -> None:
    assert score_guide(guide_result("市公安局", "1", [], error="HTTP 500")) is None


def test_department_aggregates() -> None:
    result = run(
        guide_result("市民政局", "1", []),
        guide_result("市民政局", "2", [finding("CON01", "consistency", E, weight=20, guide="2")]),
        guide_result("市民政局", "3", [finding("MAT02", "materials", W, weight=10, guide="3")]),
        guide_result("市民政局", "4", [], error="timeout"),
    )
    (dept,) = league(result).rows
    assert (dept.guides, dept.audited, dept.failed) == (4, 3, 1)
    overall_2 = 100 - 20 * 15 / 100
    overall_3 = 100 - 10 * 35 / 100
    assert dept.mean == round((100 + overall_2 + overall_3) / 3, 2)
    assert dept.no_error_share == pytest.approx(2 / 3)
    assert dept.by_rule == {"CON01": 1, "MAT02": 1}
    assert dept.facet_means["consistency"] == round((100 + 80 + 100) / 3, 2)
    assert dept.by_severity == {"error": 1, "warning": 1, "info": 0}


def _dept(name: str, mean: float | None) -> DepartmentScore:
    return DepartmentScore(department=name, mean=mean)


def test_competition_ranking_shares_ranks_on_ties() -> None:
    rows = assign_ranks([_dept("丁", 70.0), _dept("甲", 90.0), _dept("乙", 80.0), _dept("丙", 80.0), _dept("戊", None)])
    assert [(d.department, d.rank) for d in rows] == [("甲", 1), ("丙", 2), ("乙", 2), ("丁", 4), ("戊", None)]


def test_ties_are_judged_on_two_decimals() -> None:
    result = run(
        guide_result("A局", "1", [finding("X", "flow", W, weight=1, guide="1")]),
        guide_result("B局", "2", [finding("Y", "flow", W, weight=1, guide="2")]),
        guide_result("C局", "3", [finding("Z", "flow", W, weight=2, guide="3")]),
    )
    table = league(result)
    assert [d.rank for d in table.rows] == [1, 1, 3]
    assert table.average == round((99.75 * 2 + 99.5) / 3, 2)


def test_league_json_shape() -> None:
    table = league(run(guide_result("市水务局", "1", [finding("FLW01", "flow", E, guide="1")])))
    doc = table.to_dict()
    assert doc["departments"] == 1
    row = doc["table"][0]  # type: ignore[index]
    assert row["rank"] == 1 and row["department"] == "市水务局" and row["score"] == 97.5
