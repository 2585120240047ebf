"""Inline SVG charts drawn in Python for the HTML report: no JavaScript, no library, no network.

Every function returns an `<svg class="chart" id="chart-…">` string. All text that reaches the markup
goes through `esc` (labels may be crawled department or rule names).
"""

from __future__ import annotations

import html
import math
import unicodedata
from dataclasses import dataclass

from guidecheck.printable import printable

PALETTE = ("#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d")
FONT = 13


def esc(value: object) -> str:
    """Crawled text made inert for HTML and SVG: markup escaped, controls and bidi overrides visible."""
    return html.escape(printable(str(value)), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    """Approximate rendered width: CJK and other wide characters take a full em, the rest about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def clip(text: str, max_width: float, size: float = FONT) -> str:
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_width:
            break
        out += ch
    return out + "…"


def axis_start(values: list[float]) -> float:
    """Where a 0–100 score axis should start: 0 for a wide spread, else just below the lowest score (a multiple
    of 5), so departments at 97.7 and 99.8 do not look the same."""
    if not values:
        return 0.0
    low = math.floor((min(values) - 1) / 5) * 5
    return float(low) if low >= 50 else 0.0


def score_colour(score: float | None) -> str:
    if score is None:
        return "#9ca3af"
    if score >= 90:
        return "#16a34a"
    if score >= 80:
        return "#0d9488"
    if score >= 70:
        return "#d97706"
    return "#dc2626"


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


@dataclass(slots=True, frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""
    """What to print after the bar (defaults to the value)."""
    colour: str = PALETTE[0]
    prefix: str = ""
    """Printed before the label in bold (a rank, a rule id)."""
    tooltip: str = ""


def _svg_open(chart_id: str, width: float, height: float, title: str) -> str:
    return (
        f'<svg class="chart" id="{esc(chart_id)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-label="{esc(title)}"><title>{esc(title)}</title>'
    )


def hbar_chart(
    chart_id: str,
    title: str,
    bars: list[Bar],
    *,
    max_value: float | None = None,
    width: float = 760,
    row: float = 24,
    reference: tuple[float, str] | None = None,
    empty_text: str = "—",
    min_value: float = 0.0,
    axis: bool = False,
    label_share: float = 0.34,
) -> str:
    """Horizontal bars, one row each; an optional dashed reference line (e.g. the average).

    `min_value` > 0 starts the bars there (to tell 97.7 from 99.8); `axis` then draws labelled gridlines
    so the reader sees where the scale starts.
    """
    if not bars:
        return (
            _svg_open(chart_id, width, 40, title) + f'<text x="8" y="24" class="muted">{esc(empty_text)}</text></svg>'
        )
    prefix_w = max((text_width(b.prefix, FONT) for b in bars), default=0.0)
    prefix_w = prefix_w + 8 if prefix_w else 0.0
    label_w = min(max(text_width(b.label) for b in bars) + 10, width * label_share)
    value_w = max(text_width(b.text or _fmt(b.value)) for b in bars) + 12
    x0 = 8 + prefix_w + label_w
    plot_w = max(60.0, width - x0 - value_w - 8)
    top = 24 if reference else 6
    axis = axis or min_value > 0
    height = top + row * len(bars) + (26 if axis else 8)
    top_value = max_value if max_value is not None else max((b.value for b in bars), default=1.0) or 1.0
    span = (top_value - min_value) or 1.0

    def x_of(value: float) -> float:
        return x0 + max(0.0, min(1.0, (value - min_value) / span)) * plot_w

    parts = [_svg_open(chart_id, width, height, title)]
    if axis:
        step = next((s for s in (0.5, 1, 2, 5, 10, 20, 25, 50) if span / s <= 8), 100)
        tick = math.ceil(min_value / step) * step
        bottom = top + row * len(bars)
        while tick <= top_value + 1e-9:
            x = x_of(tick)
            parts.append(
                f'<line class="grid" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" stroke="#e5e7eb"/>'
                f'<text x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle" class="muted">{_fmt(tick)}</text>'
            )
            tick += step
    if reference:  # drawn first: bars and their values stay on top of the line
        value, label = reference
        x = x_of(value)
        parts.append(
            f'<line class="reference" x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="{top + row * len(bars) + 2:.1f}" '
            f'stroke="#111827" stroke-dasharray="4 3" stroke-width="1.2"/>'
            f'<text x="{x:.1f}" y="12" text-anchor="middle" class="muted">{esc(label)}</text>'
        )
    for i, b in enumerate(bars):
        y = top + i * row
        w = x_of(b.value) - x0
        cy = y + row / 2
        tip = esc(b.tooltip or f"{b.prefix} {b.label}: {b.text or _fmt(b.value)}".strip())
        parts.append(f'<g class="row"><title>{tip}</title>')
        if b.prefix:
            parts.append(f'<text x="8" y="{cy:.1f}" class="prefix" dominant-baseline="central">{esc(b.prefix)}</text>')
        label = clip(b.label, label_w - 10)
        parts.append(
            f'<text x="{x0 - 8:.1f}" y="{cy:.1f}" text-anchor="end" dominant-baseline="central">{esc(label)}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{x0:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{row - 8:.1f}" rx="3" '
            f'fill="{esc(b.colour)}" data-value="{b.value:.4g}"/>'
        )
        parts.append(
            f'<text x="{x0 + w + 6:.1f}" y="{cy:.1f}" class="value" dominant-baseline="central">'
            f"{esc(b.text or _fmt(b.value))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(slots=True, frozen=True)
class Segment:
    label: str
    count: int
    colour: str


def share_chart(chart_id: str, title: str, segments: list[Segment], *, width: float = 360) -> str:
    """One 100% stacked bar with a legend below: the shares of a whole (即办/承诺, visits …)."""
    total = sum(s.count for s in segments)
    legend_rows = math.ceil(len(segments) / 2)
    height = 44 + 20 * legend_rows
    parts = [_svg_open(chart_id, width, height, title)]
    x = 8.0
    plot_w = width - 16
    for s in segments:
        if not total or not s.count:
            continue
        w = s.count / total * plot_w
        pct = f"{s.count / total:.0%}"
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="6" width="{w:.1f}" height="26" fill="{esc(s.colour)}" '
            f'data-value="{s.count}"><title>{esc(s.label)}: {s.count} ({pct})</title></rect>'
        )
        if w > text_width(pct, 12) + 6:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="19" text-anchor="middle" dominant-baseline="central" '
                f'class="on-bar">{pct}</text>'
            )
        x += w
    if not total:
        parts.append(f'<rect x="8" y="6" width="{plot_w:.1f}" height="26" fill="#e5e7eb"/>')
    for i, s in enumerate(segments):
        lx = 8 + (i % 2) * (width / 2)
        ly = 44 + (i // 2) * 20
        share = f" {s.count / total:.0%}" if total else ""
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 10:.1f}" width="11" height="11" rx="2" fill="{esc(s.colour)}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly - 4.5:.1f}" dominant-baseline="central" class="legend">'
            f"{esc(clip(s.label, width / 2 - 70, 12))} {s.count}{share}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(slots=True, frozen=True)
class Series:
    label: str
    values: list[float | None]
    """One value per x position; None where the series has no point."""
    colour: str


def line_chart(
    chart_id: str, title: str, x_labels: list[str], series: list[Series], *, width: float = 760, height: float = 260
) -> str:
    """Lines over runs (the score trend). The y axis zooms to the data's range, capped at 0–100."""
    values = [v for s in series for v in s.values if v is not None]
    hi = 100.0
    if values:
        margin = max(0.5, (max(values) - min(values)) * 0.25)
        lo = max(0.0, math.floor(min(values) - margin))
    else:
        lo = 0.0
    step = next((s for s in (0.5, 1, 2, 5, 10, 20, 25) if (hi - lo) / s <= 8), 50)
    legend_w = min(280.0, max((text_width(s.label, 12) for s in series), default=0) + 40)
    left, right, top, bottom = 40.0, width - legend_w - 10, 12.0, height - 30
    parts = [_svg_open(chart_id, width, height, title)]

    def y_of(v: float) -> float:
        return bottom - (v - lo) / (hi - lo or 1) * (bottom - top)

    def x_of(i: int) -> float:
        n = len(x_labels)
        return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)

    tick = math.ceil(lo / step) * step
    while tick <= hi + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="central" class="muted">'
            f"{_fmt(tick)}</text>"
        )
        tick += step
    every = max(1, math.ceil(len(x_labels) / 6))
    last = len(x_labels) - 1
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == last:
            anchor = "start" if i == 0 and last > 0 else "end" if i == last and last > 0 else "middle"
            parts.append(
                f'<text x="{x_of(i):.1f}" y="{bottom + 18:.1f}" text-anchor="{anchor}" class="muted">'
                f"{esc(label)}</text>"
            )
    for k, s in enumerate(series):
        points = [(x_of(i), y_of(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline class="line" points="{path}" fill="none" stroke="{esc(s.colour)}" stroke-width="2.2"/>'
            )
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(
                    f'<circle class="point" cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3.5" fill="{esc(s.colour)}">'
                    f"<title>{esc(s.label)} · {esc(x_labels[i])}: {v:.2f}</title></circle>"
                )
        ly = top + 8 + k * 18
        parts.append(
            f'<rect x="{right + 14:.1f}" y="{ly - 5:.1f}" width="12" height="4" fill="{esc(s.colour)}"/>'
            f'<text x="{right + 30:.1f}" y="{ly:.1f}" dominant-baseline="central" class="legend">'
            f"{esc(clip(s.label, legend_w - 30, 12))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
