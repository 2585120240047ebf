"""approval_stages: a flow that lacks one of the stages 受理 → 审查 → 决定 → 送达 (行政许可, L1 ch.4).

Each channel's flow (网上 / 窗口: its section, steps and flowcharts) is checked on its own, so a stage
named in the online flow does not hide its absence from the window flow; a guide with one common flow
is checked as a whole. 送达方式 counts towards the 送达 stage of every flow.

params:
    stages   table: stage name → regex of words that count as that stage (zh names are shown)
Hit: one per guide (when it has a flow); evidence = the missing stages joined with "、".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _facts, _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import field_text, flow_pieces, norm, siftable
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide

DEFAULT_STAGES = {
    "受理": "受理|收件|接件",
    "审查": "审查|审核|核查|审阅|初审|复审|勘验|核验|评审",
    "决定": "决定|审批|批准|核准|审定|签发|作出",
    "送达": "送达|领取|发证|颁证|寄送|邮寄|快递|办结|出证",
}


def prepare(params: Mapping[str, Any]) -> tuple[tuple[str, Sieve], ...]:
    _params.known_keys(params, ("stages",))
    stages = params.get("stages", DEFAULT_STAGES)
    if not isinstance(stages, dict) or not all(isinstance(v, str) for v in stages.values()):
        raise ParamError("stages", 'must be a table of regexes, e.g. stages = { "受理" = "受理|收件" }')
    return tuple((name, Sieve.of(_params.compile_regex(rx, f"stages.{name}"))) for name, rx in stages.items())


def _named(sieve: Sieve, published: str | None, plain: str) -> bool:
    """Whether the stage's pattern matches `plain` (the normal form of `published`, one flow's text, and
    the delivery); answered on the published text when the pattern is a choice of words."""
    if published is not None and sieve.exact is not None:
        return sieve.found(published)  # words have no line breaks: none spans the joint
    return sieve.regex.search(plain) is not None


def check(guide: Guide, stages: tuple[tuple[str, Sieve], ...]) -> Iterator[Hit]:
    if not _facts.has_flow(guide):
        return  # FLW01 reports a missing flow
    flows = [list(flow_pieces(guide, c)) for c in ("window", "online")]
    if not any(flows):
        flows = [list(flow_pieces(guide))]
    else:  # steps and charts of no channel are part of each channel's flow
        flows = [
            list(flow_pieces(guide, c, shared=True)) for c, f in zip(("window", "online"), flows, strict=True) if f
        ]
    raw_delivery = guide.delivery.text if guide.delivery is not None else ""
    missing: list[str] = []
    for pieces in flows:
        raw = "\n".join(t for t, _ in pieces)
        published = f"{raw}\n{raw_delivery}" if siftable(raw) and siftable(raw_delivery) else None
        plain = ""
        if published is None or any(sieve.exact is None for _, sieve in stages):
            plain = norm(raw) + "\n" + field_text(guide.delivery)
        missing += [name for name, sieve in stages if name not in missing and not _named(sieve, published, plain)]
    if missing:
        loc = guide.flow_text.loc if guide.flow_text else None
        missing.sort(key=[name for name, _ in stages].index)
        yield Hit("、".join(missing), loc, {"stages": "、".join(missing)})
