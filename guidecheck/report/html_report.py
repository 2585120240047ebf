"""`--format html` / `guidecheck report`: one self-contained HTML page people can read and share.

No network and no script: inline CSS and inline SVG charts drawn in Python (svg_charts). A
Content-Security-Policy forbids scripts and remote loads as a second wall; the first is that every
crawled string is escaped (`esc`) and only http/https/relative URLs become links (`safe_href`).

The page: summary cards, the department ranking (bar chart and table), the facet breakdown, the most
frequent rules, the catalogue statistics (stats.py) as charts, the score trend when an audit history
exists, and each guide's findings with evidence and a link to the guide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from guidecheck import __version__
from guidecheck.findings import FACETS, Finding, Severity
from guidecheck.history import TrendPoint, read_trends
from guidecheck.report._meta import rules_of
from guidecheck.report.svg_charts import (
    PALETTE,
    Bar,
    Segment,
    Series,
    axis_start,
    esc,
    hbar_chart,
    line_chart,
    score_colour,
    share_chart,
)
from guidecheck.results import GuideResult, RunResult
from guidecheck.score import FACET_WEIGHTS, League, league, score_guide
from guidecheck.stats import UNSTATED, CatalogueStats, run_stats

if TYPE_CHECKING:
    from guidecheck.report import RenderOptions

TOP_RULES = 15
TREND_DEPARTMENTS = 10

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "办事指南审核报告",
        "portal": "门户",
        "generated": "生成时间",
        "departments": "部门",
        "guides": "指南",
        "audited": "已审核",
        "failed": "无法审核",
        "findings": "问题",
        "average": "平均分",
        "no_error": "无错误指南占比",
        "ranking": "部门排名",
        "ranking_note": "按部门指南平均得分排名（满分 100，保留两位小数，同分同名次）。虚线为各部门平均分；"
        "横轴起点见刻度。",
        "rank": "名次",
        "department": "部门",
        "score": "得分",
        "facets": "分项得分",
        "facets_note": "四个维度的平均得分；每条规则在一份指南中按其权重扣分一次。",
        "rules": "高频问题规则",
        "rules_note": "出现次数最多的规则（前 {n} 条）。",
        "rule": "规则",
        "count": "次数",
        "stats": "事项统计",
        "item_types": "事项类型",
        "by_department": "各部门事项数",
        "case_type": "办件类型",
        "online": "网上办理",
        "online_yes": "可网办",
        "online_no": "不可网办或未说明",
        "visits": "到办事现场次数",
        "visits_0": "0 次",
        "visits_1": "1 次",
        "visits_2": "2 次及以上",
        "unstated": "未说明",
        "time": "办结时限（工作日）",
        "legal": "法定办结时限（平均）",
        "promised": "承诺办结时限（平均）",
        "compression": "承诺时限为法定时限的 {pct}（{n} 份同时载明两者的指南；"
        "月按 21.75、年按 250、自然日按 5/7 个工作日折算，行政许可的“日”按工作日计）",
        "no_time": "没有同时载明法定和承诺时限的指南",
        "time_dist": "承诺时限分布",
        "bucket_0": "即办",
        "bucket_1": "1 天",
        "bucket_2-10": "2–10 天",
        "bucket_11-30": "11–30 天",
        "bucket_30+": "30 天以上",
        "quality": "材料与流程",
        "with_flowchart": "有流程图",
        "with_samples": "表格均有示例样表",
        "with_copies": "材料均注明份数",
        "of": "占 {n} 份",
        "per_dept_stats": "各部门统计",
        "trend": "得分趋势",
        "trend_note": "来自审核历史（{path}）。",
        "details": "指南问题明细",
        "details_note": "每份指南的问题、原文证据与指南链接，得分低者在前。未发现问题的指南只计数不列出。",
        "clean_guides": "另有 {n} 份指南未发现问题。",
        "severity": "级别",
        "message": "问题",
        "evidence": "证据",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "could_not": "无法审核",
        "no_department": "（未分部门）",
        "scoring": "评分方法：每个维度满分 100，出现问题的规则按其权重扣分（每份指南每条规则扣一次，最低 0 分）；"
        "总分为四个维度的加权平均（{weights}）。部门得分为其已审核指南总分的平均值。",
        "footer": "由 guidecheck {version} 生成",
        "none": "无",
    },
    "en": {
        "title": "Service guide audit report",
        "portal": "Portal",
        "generated": "Generated",
        "departments": "Departments",
        "guides": "Guides",
        "audited": "Audited",
        "failed": "Not audited",
        "findings": "Findings",
        "average": "Average score",
        "no_error": "Guides without errors",
        "ranking": "Department ranking",
        "ranking_note": "Ranked by the mean score of each department's guides (0–100, 2 decimals, equal scores share "
        "a rank). The dashed line is the average of the departments; the axis starts where its ticks say.",
        "rank": "Rank",
        "department": "Department",
        "score": "Score",
        "facets": "Facet breakdown",
        "facets_note": "Mean score per facet; each rule deducts its weight once per guide.",
        "rules": "Most frequent rules",
        "rules_note": "The rules with the most findings (top {n}).",
        "rule": "Rule",
        "count": "Findings",
        "stats": "Catalogue statistics",
        "item_types": "Items by type",
        "by_department": "Items by department",
        "case_type": "Case type (即办件 / 承诺件)",
        "online": "Online (网办)",
        "online_yes": "online",
        "online_no": "not online or not stated",
        "visits": "Visits in person",
        "visits_0": "0 visits",
        "visits_1": "1 visit",
        "visits_2": "2 or more",
        "unstated": "not stated",
        "time": "Time limits (working days)",
        "legal": "Legal limit (mean)",
        "promised": "Promised limit (mean)",
        "compression": "Promised time is {pct} of the legal time ({n} guides stating both; a month counts 21.75, "
        "a year 250 and a calendar day 5/7 working days; a licence's bare 日 counts as a working day)",
        "no_time": "No guide states both a legal and a promised time limit",
        "time_dist": "Promised time limits",
        "bucket_0": "immediate",
        "bucket_1": "1 day",
        "bucket_2-10": "2–10 days",
        "bucket_11-30": "11–30 days",
        "bucket_30+": "over 30 days",
        "quality": "Materials and flow",
        "with_flowchart": "with a flowchart",
        "with_samples": "every form has a sample",
        "with_copies": "every material's copies stated",
        "of": "of {n}",
        "per_dept_stats": "Statistics by department",
        "trend": "Score trend",
        "trend_note": "From the audit history ({path}).",
        "details": "Findings by guide",
        "details_note": "Each guide's findings with the evidence and a link to the guide, lowest scores first. "
        "Guides without findings are counted, not listed.",
        "clean_guides": "{n} more guides have no findings.",
        "severity": "Severity",
        "message": "Finding",
        "evidence": "Evidence",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "could_not": "not audited",
        "no_department": "(no department)",
        "scoring": "Scoring: each facet starts at 100 and every rule that fires deducts its weight once per guide "
        "(floored at 0); the overall score is the weighted mean of the facets ({weights}). A department's score "
        "is the mean of its audited guides.",
        "footer": "Generated by guidecheck {version}",
        "none": "none",
    },
}

_CSS = """
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--accent:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.6 "Noto Sans CJK SC","Noto Sans SC",
"Source Han Sans SC","PingFang SC","Microsoft YaHei","Helvetica Neue",Arial,sans-serif}
header{background:linear-gradient(120deg,#1e3a8a,#2563eb);color:#fff;padding:28px 40px 24px}
header h1{margin:0 0 6px;font-size:26px;letter-spacing:.5px}
header .meta{opacity:.85;font-size:13px;word-break:break-all}
main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:-8px 0 18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .n{font-size:24px;font-weight:700}.card .k{color:var(--muted);font-size:12px}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 22px;margin:16px 0}
section h2{margin:0 0 4px;font-size:19px}section h3{margin:14px 0 6px;font-size:15px}
.note{color:var(--muted);font-size:12.5px;margin:0 0 10px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:10px 24px}
svg.chart{max-width:100%;height:auto;display:block;font-size:13px}
svg.chart text{fill:var(--ink)}svg.chart .muted{fill:var(--muted);font-size:11px}
svg.chart .value{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.chart .prefix{font-weight:700;fill:var(--muted)}
svg.chart .on-bar{fill:#fff;font-size:12px;font-weight:600}svg.chart .legend{font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600;white-space:nowrap}
table.league th{white-space:normal;vertical-align:bottom}table.league td.dept{white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.heat{color:#fff;font-weight:600;text-align:center;border-radius:4px}
.pill{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;color:#fff;white-space:nowrap}
.sev-error{background:#dc2626}.sev-warning{background:#d97706}.sev-info{background:#0891b2}
.badge{display:inline-block;border-radius:6px;padding:0 7px;color:#fff;font-weight:700;font-size:13px}
details.dept{border:1px solid var(--line);border-radius:10px;margin:8px 0;background:#fcfcfd}
details.dept>summary{cursor:pointer;padding:8px 12px;font-weight:600}
details.dept .body{padding:0 12px 10px}
table.findings{table-layout:fixed}table.findings th:nth-child(1){width:64px}
table.findings th:nth-child(2){width:78px}table.findings th:nth-child(3){width:48%}
article.guide{border-top:1px dashed var(--line);padding:8px 0}
article.guide h4{margin:2px 0 6px;font-size:14px}
article.guide .src{color:var(--muted);font-size:12px;word-break:break-all}
q.evidence{quotes:"「" "」";color:#374151;background:#fef9c3;border-radius:3px;padding:0 2px;word-break:break-all}
.rule-id{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.error-text{color:#b91c1c}
a{color:var(--accent)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px 0 30px}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: str) -> str | None:
    """The URL if it may become a link: http(s), or relative without a scheme; None otherwise."""
    if not url or _UNSAFE_URL_CHARS.search(url) or "\\" in url or url.startswith("//"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
    return url if not parts.netloc else None


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


class _Page:
    """Collects the sections of one report in one language."""

    def __init__(self, result: RunResult, lang: str):
        self.result = result
        self.lang = lang if lang in WORDS else "zh"
        self.w = WORDS[self.lang]
        self.rule_titles = {m.id: m.title for m in rules_of(result, self.lang)}

    def dept(self, name: str) -> str:
        return name or self.w["no_department"]

    def facet(self, key: str) -> str:
        zh, en = FACETS.get(key, (key, key))
        return en if self.lang == "en" else zh

    # -- sections --------------------------------------------------------------------------------

    def cards(self, table: League) -> str:
        no_error = [d.no_error_share * d.audited for d in table.rows if d.no_error_share is not None]
        share = sum(no_error) / table.audited if table.audited else None
        items = [
            (self.w["departments"], str(len(table.rows))),
            (self.w["guides"], str(table.guides)),
            (self.w["audited"], str(table.audited)),
            (self.w["failed"], str(table.failed)),
            (self.w["findings"], str(table.findings)),
            (self.w["average"], _num(table.average)),
            (self.w["no_error"], _pct(share)),
        ]
        cells = "".join(
            f'<div class="card"><div class="n">{esc(v)}</div><div class="k">{esc(k)}</div></div>' for k, v in items
        )
        return f'<div class="cards" id="summary">{cells}</div>'

    def ranking(self, table: League) -> str:
        w = self.w
        bars = [
            Bar(
                label=self.dept(d.department),
                value=d.mean or 0.0,
                text=_num(d.mean),
                colour=score_colour(d.mean),
                prefix=str(d.rank) if d.rank else "—",
            )
            for d in table.rows
        ]
        reference = (table.average, f"{w['average']} {table.average:.2f}") if table.average is not None else None
        start = axis_start([d.mean for d in table.rows if d.mean is not None])
        chart = hbar_chart(
            "chart-ranking",
            w["ranking"],
            bars,
            max_value=100,
            reference=reference,
            width=1080,
            min_value=start,
            axis=True,
        )
        head = (
            f"<tr><th class='num'>{w['rank']}</th><th>{w['department']}</th><th class='num'>{w['score']}</th>"
            + "".join(f"<th class='num'>{esc(self.facet(k))}</th>" for k in FACETS)
            + f"<th class='num'>{w['no_error']}</th><th class='num'>{w['guides']}</th>"
            f"<th class='num'>{w['failed']}</th><th class='num'>{w['findings']}</th></tr>"
        )
        rows = []
        for d in table.rows:
            facets = "".join(
                f'<td class="num"><span class="heat" style="background:{score_colour(d.facet_means.get(k))};'
                f'padding:0 6px">{_num(d.facet_means.get(k), 1)}</span></td>'
                for k in FACETS
            )
            rows.append(
                f"<tr><td class='num'>{d.rank or '—'}</td><td class='dept'>{esc(self.dept(d.department))}</td>"
                f"<td class='num'><b>{_num(d.mean)}</b></td>{facets}<td class='num'>{_pct(d.no_error_share)}</td>"
                f"<td class='num'>{d.guides}</td><td class='num'>{d.failed}</td><td class='num'>{d.findings}</td></tr>"
            )
        return (
            f'<section id="ranking"><h2>{w["ranking"]}</h2><p class="note">{w["ranking_note"]}</p>{chart}'
            f'<table class="league">{head}{"".join(rows)}</table></section>'
        )

    def facets(self, table: League) -> str:
        scores = [s for d in table.rows for s in d.guide_scores]
        bars = []
        for k in FACETS:
            values = [s.facets[k] for s in scores]
            mean = sum(values) / len(values) if values else None
            bars.append(
                Bar(
                    self.facet(k),
                    mean or 0.0,
                    text=_num(mean),
                    colour=score_colour(mean),
                    prefix=f"{FACET_WEIGHTS[k]:.0f}%",
                )
            )
        by_facet = Counter(f.facet for f in self.result.findings)
        count_bars = [Bar(self.facet(k), by_facet.get(k, 0), colour=PALETTE[i]) for i, k in enumerate(FACETS)]
        start = axis_start([b.value for b in bars])
        means = hbar_chart(
            "chart-facets",
            self.w["facets"],
            bars,
            max_value=100,
            width=520,
            min_value=start,
            axis=True,
            label_share=0.45,
        )
        counts = hbar_chart("chart-facet-findings", self.w["findings"], count_bars, width=520, label_share=0.45)
        return (
            f'<section id="facets"><h2>{self.w["facets"]}</h2><p class="note">{self.w["facets_note"]}</p>'
            f'<div class="grid"><div>{means}</div><div>{counts}</div></div></section>'
        )

    def rules(self) -> str:
        counts = Counter(f.rule_id for f in self.result.findings)
        severity: dict[str, Severity] = {}
        for f in self.result.findings:
            severity[f.rule_id] = max(severity.get(f.rule_id, Severity.INFO), f.severity)
        names = {f.rule_id: f.rule_name for f in self.result.findings}
        colour = {Severity.ERROR: "#dc2626", Severity.WARNING: "#d97706", Severity.INFO: "#0891b2"}
        bars = [
            Bar(self.rule_titles.get(rule) or names.get(rule) or rule, n, colour=colour[severity[rule]], prefix=rule)
            for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_RULES]
        ]
        chart = hbar_chart("chart-rules", self.w["rules"], bars, width=1080, empty_text=self.w["none"])
        note = self.w["rules_note"].format(n=TOP_RULES)
        return f'<section id="rules"><h2>{self.w["rules"]}</h2><p class="note">{note}</p>{chart}</section>'

    def stats(self, total: CatalogueStats, per: Mapping[str, CatalogueStats]) -> str:
        w = self.w
        unstated = w["unstated"]
        types = [
            Bar(k or unstated, v, colour=PALETTE[i % len(PALETTE)]) for i, (k, v) in enumerate(total.item_types.items())
        ]
        case_colours = {"承诺件": PALETTE[0], "即办件": PALETTE[2], UNSTATED: "#9ca3af"}
        cases = [
            Segment(k or unstated, v, case_colours.get(k, PALETTE[(i + 3) % len(PALETTE)]))
            for i, (k, v) in enumerate(total.case_types.items())
        ]
        online = [
            Segment(w["online_yes"], total.online, PALETTE[0]),
            Segment(w["online_no"], total.guides - total.online, "#cbd5e1"),
        ]
        visits = [
            Segment(w["visits_0"], total.visits.get("0", 0), "#16a34a"),
            Segment(w["visits_1"], total.visits.get("1", 0), "#2563eb"),
            Segment(w["visits_2"], total.visits.get("2+", 0), "#dc2626"),
            Segment(unstated, total.visits.get(UNSTATED, 0), "#9ca3af"),
        ]
        if total.time_pairs and total.mean_legal_days is not None and total.mean_promised_days is not None:
            time_bars = [
                Bar(w["legal"], total.mean_legal_days, text=f"{total.mean_legal_days:.1f}", colour="#64748b"),
                Bar(w["promised"], total.mean_promised_days, text=f"{total.mean_promised_days:.1f}", colour=PALETTE[0]),
            ]
            time_note = w["compression"].format(
                pct=_pct(total.compression) if total.compression is not None else "—", n=total.time_pairs
            )
        else:
            time_bars, time_note = [], w["no_time"]
        dist = [Bar(w[f"bucket_{k}"], v, colour=PALETTE[5]) for k, v in total.promised_distribution.items()]
        quality = [
            _share_bar(w["with_flowchart"], total.with_flowchart, total.guides, PALETTE[2]),
            _share_bar(w["with_samples"], total.with_samples, total.with_forms, PALETTE[1]),
            _share_bar(w["with_copies"], total.with_copies, total.with_materials, PALETTE[3]),
        ]
        blocks = [
            (w["item_types"], hbar_chart("chart-item-types", w["item_types"], types, width=520)),
            (w["case_type"], share_chart("chart-case-type", w["case_type"], cases, width=520)),
            (w["online"], share_chart("chart-online", w["online"], online, width=520)),
            (w["visits"], share_chart("chart-visits", w["visits"], visits, width=520)),
            (w["time"], hbar_chart("chart-time", w["time"], time_bars, width=520, empty_text=w["no_time"])
             + f'<p class="note">{esc(time_note)}</p>'),
            (w["time_dist"], hbar_chart("chart-time-distribution", w["time_dist"], dist, width=520)),
            (w["quality"], hbar_chart("chart-quality", w["quality"], quality, max_value=1, width=520)),
        ]  # fmt: skip
        if len(total.by_department) > 1:  # seed 002 opens with the items per department
            depts = [Bar(self.dept(k), v, colour=PALETTE[0]) for k, v in total.by_department.items()]
            blocks.insert(
                0,
                (
                    w["by_department"],
                    hbar_chart("chart-departments", w["by_department"], depts, width=520, label_share=0.45),
                ),
            )
        grid = "".join(f"<div><h3>{esc(title)}</h3>{chart}</div>" for title, chart in blocks)
        return (
            f'<section id="stats"><h2>{w["stats"]}</h2><div class="grid">{grid}</div>'
            f"<h3>{w['per_dept_stats']}</h3>{self.stats_table(per)}</section>"
        )

    def stats_table(self, per: Mapping[str, CatalogueStats]) -> str:
        w = self.w
        head = (
            f"<tr><th>{w['department']}</th><th class='num'>{w['guides']}</th><th class='num'>即办件</th>"
            f"<th class='num'>{w['online']}</th><th class='num'>{w['visits_0']}</th>"
            f"<th class='num'>{w['legal']}</th><th class='num'>{w['promised']}</th>"
            f"<th class='num'>{w['with_flowchart']}</th><th class='num'>{w['with_samples']}</th>"
            f"<th class='num'>{w['with_copies']}</th></tr>"
        )
        rows = []
        for dept, s in per.items():
            rows.append(
                f"<tr><td>{esc(self.dept(dept))}</td><td class='num'>{s.guides}</td>"
                f"<td class='num'>{_pct(s.share(s.case_types.get('即办件', 0)))}</td>"
                f"<td class='num'>{_pct(s.share(s.online))}</td>"
                f"<td class='num'>{_pct(s.share(s.visits.get('0', 0)))}</td>"
                f"<td class='num'>{_num(s.mean_legal_days, 1)}</td><td class='num'>{_num(s.mean_promised_days, 1)}</td>"
                f"<td class='num'>{_pct(s.share(s.with_flowchart))}</td>"
                f"<td class='num'>{_pct(s.share(s.with_samples, s.with_forms))}</td>"
                f"<td class='num'>{_pct(s.share(s.with_copies, s.with_materials))}</td></tr>"
            )
        return f'<table class="dept-stats">{head}{"".join(rows)}</table>'

    def trend(self, trends: Mapping[str, list[TrendPoint]], order: list[str], where: str) -> str:
        def movement(d: str) -> float:
            scores = [p.score for p in trends[d] if p.score is not None]
            return abs(scores[-1] - scores[0]) if len(scores) > 1 else -1.0

        # The departments that moved most (then by rank): a flat line tells less than a change.
        candidates = [d for d in order if trends.get(d)]
        shown = sorted(candidates, key=lambda d: (-movement(d), candidates.index(d)))[:TREND_DEPARTMENTS]
        if not any(len(trends[d]) > 1 for d in shown):
            return ""  # one audit is a point, not a trend
        run_ids = sorted({p.run_id for d in shown for p in trends[d]})
        when = {p.run_id: p.started_at for d in shown for p in trends[d]}
        labels = [when[r][:16].replace("T", " ") for r in run_ids]
        series = []
        for i, d in enumerate(shown):
            by_run = {p.run_id: p.score for p in trends[d]}
            scores = [p.score for p in trends[d] if p.score is not None]
            change = f" {scores[-1] - scores[0]:+.2f}" if len(scores) > 1 else ""
            series.append(Series(self.dept(d) + change, [by_run.get(r) for r in run_ids], PALETTE[i % len(PALETTE)]))
        chart = line_chart("chart-trend", self.w["trend"], labels, series, width=1080, height=300)
        note = self.w["trend_note"].format(path=where)
        return f'<section id="trend"><h2>{self.w["trend"]}</h2><p class="note">{esc(note)}</p>{chart}</section>'

    def details(self, table: League) -> str:
        groups: dict[str, list[GuideResult]] = {}
        for g in self.result.guides:
            groups.setdefault(g.department, []).append(g)
        order = [d.department for d in table.rows if d.department in groups]
        blocks = []
        for dept in order:
            guides = groups[dept]
            listed = [g for g in guides if g.findings or g.error]
            # Unreadable guides first, then the lowest scores: the guides that need work lead.
            overall = {id(g): s.overall for g in listed if (s := score_guide(g))}
            listed.sort(key=lambda g: (g.error is None, overall.get(id(g), 0.0), -len(g.findings)))
            clean = len(guides) - len(listed)
            n = sum(len(g.findings) for g in guides)
            body = "".join(self.guide(g) for g in listed)
            if clean:
                body += f'<p class="note">{esc(self.w["clean_guides"].format(n=clean))}</p>'
            opened = " open" if len(order) == 1 else ""
            blocks.append(
                f'<details class="dept"{opened}><summary>{esc(self.dept(dept))} · {len(guides)} {self.w["guides"]} · '
                f'{n} {self.w["findings"]}</summary><div class="body">{body}</div></details>'
            )
        return (
            f'<section id="details"><h2>{self.w["details"]}</h2><p class="note">{self.w["details_note"]}</p>'
            f"{''.join(blocks)}</section>"
        )

    def guide(self, g: GuideResult) -> str:
        href = safe_href(g.source)
        title = esc(g.title)
        link = f'<a href="{esc(href)}" rel="noopener noreferrer">{title}</a>' if href else title
        score = score_guide(g)
        badge = (
            f' <span class="badge" style="background:{score_colour(score.overall)}">{score.overall:.1f}</span>'
            if score
            else ""
        )
        head = f'<h4>{link}{badge}</h4><div class="src">{esc(g.source)}</div>'
        if g.error:
            reason = f'<p class="error-text">{esc(self.w["could_not"])}: {esc(g.error)}</p>'
            return f'<article class="guide">{head}{reason}</article>'
        rows = "".join(self.finding(f) for f in sorted(g.findings, key=lambda f: (-f.severity, f.rule_id)))
        table = (
            f"<table class='findings'><tr><th>{self.w['severity']}</th><th>{self.w['rule']}</th>"
            f"<th>{self.w['message']}</th><th>{self.w['evidence']}</th></tr>{rows}</table>"
        )
        return f'<article class="guide">{head}{table}</article>'

    def finding(self, f: Finding) -> str:
        sev = str(f.severity)
        evidence = f'<q class="evidence">{esc(_clip(f.evidence, 300))}</q>' if f.evidence else ""
        return (
            f'<tr><td><span class="pill sev-{sev}">{esc(self.w[sev])}</span></td>'
            f'<td><span class="rule-id">{esc(f.rule_id)}</span></td><td>{esc(f.message)}</td><td>{evidence}</td></tr>'
        )


def _share_bar(label: str, count: int, of: int, colour: str) -> Bar:
    share = count / of if of else None
    return Bar(label, share or 0.0, text=f"{_pct(share)} ({count}/{of})", colour=colour)


def _clip(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def build_html(
    result: RunResult,
    lang: str = "zh",
    *,
    trends: Mapping[str, list[TrendPoint]] | None = None,
    history_label: str = "",
    generated_at: str | None = None,
) -> str:
    """The whole report as one HTML document. `trends` (department → points) adds the trend chart."""
    page = _Page(result, lang)
    w = page.w
    table = league(result)
    total, per = run_stats(result)
    per_ordered = {d.department: per[d.department] for d in table.rows if d.department in per}
    when = generated_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"{w['generated']}: {when}"
    if result.portal:
        meta = f"{w['portal']}: {result.portal} · {meta}"
    weights = " / ".join(f"{page.facet(k)} {v:.0f}%" for k, v in FACET_WEIGHTS.items())
    sections = [
        page.cards(table),
        page.ranking(table),
        page.trend(trends or {}, [d.department for d in table.rows], history_label),
        page.facets(table),
        page.rules(),
        page.stats(total, per_ordered),
        page.details(table),
    ]
    html_lang = "zh-CN" if page.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="guidecheck {esc(__version__)}">\n'
        f"<title>guidecheck · {esc(w['title'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{esc(w["title"])}</h1><div class="meta">{esc(meta)}</div></header>\n<main>\n'
        + "\n".join(s for s in sections if s)
        + f'\n<p class="note" id="scoring">{esc(w["scoring"].format(weights=weights))}</p>\n</main>\n'
        f"<footer>{esc(w['footer'].format(version=__version__))}</footer>\n</body>\n</html>\n"
    )


def render(result: RunResult, options: RenderOptions) -> str:
    """The FORMATS["html"] reporter. The trend comes from the audit history file, read-only, when one exists
    (`options.history`, else $GUIDECHECK_HISTORY or the default path)."""
    from guidecheck.history import resolve_path

    departments = sorted({g.department for g in result.guides})
    trends = read_trends(departments, options.history)
    return build_html(result, options.lang, trends=trends, history_label=str(resolve_path(options.history)))
