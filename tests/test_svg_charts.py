"""The SVG chart primitives of the HTML report: scales, empty data, escaping."""

from __future__ import annotations

import re

from guidecheck.report.svg_charts import Bar, Segment, Series, axis_start, hbar_chart, line_chart, share_chart


def _bar_widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect class="bar"[^>]* width="([\d.]+)"', svg)]


def test_axis_starts_below_the_lowest_score_only_for_a_narrow_spread() -> None:
    assert axis_start([97.7, 99.8]) == 95
    assert axis_start([91.0, 99.0]) == 90
    assert axis_start([40.0, 90.0]) == 0
    assert axis_start([]) == 0


def test_bars_are_proportional_from_the_axis_start() -> None:
    svg = hbar_chart("c", "t", [Bar("a", 100), Bar("b", 97.5), Bar("c", 95)], max_value=100, min_value=95)
    full, half, none = _bar_widths(svg)
    assert half == round(full / 2, 1) and none == 0
    assert 'class="grid"' in svg and ">95<" in svg and ">100<" in svg
    plain = hbar_chart("c", "t", [Bar("a", 10), Bar("b", 5)])
    first, second = _bar_widths(plain)
    assert second == round(first / 2, 1)


def test_labels_are_escaped_and_long_ones_clipped() -> None:
    svg = hbar_chart("c", "<t>", [Bar("<script>x</script>" * 20, 1, prefix="<b>")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;" in svg
    assert "…" in svg


def test_empty_data_draws_a_message_not_an_error() -> None:
    assert "—" in hbar_chart("c", "t", [])
    svg = share_chart("s", "t", [Segment("a", 0, "#000"), Segment("b", 0, "#111")])
    assert 'class="bar"' not in svg and "a 0" in svg
    assert 'class="point"' in line_chart("l", "t", ["x"], [Series("d", [90.0], "#000")])


def test_share_chart_segments_add_up() -> None:
    svg = share_chart("s", "t", [Segment("即办件", 41, "#000"), Segment("承诺件", 59, "#111")], width=216)
    widths = _bar_widths(svg)
    assert sum(widths) == 200 and widths[0] == 82.0
    assert "41%" in svg and "59%" in svg
