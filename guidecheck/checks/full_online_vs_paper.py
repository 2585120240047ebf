"""full_online_vs_paper: 全程网办 is claimed, but a paper original must be handed in, or the result can
only be picked up at the window (use `when.full_online = true`).

params:
    paper_forms     regex on a material's forms that means paper must be handed in (default "原件")
    electronic      regex on a material's forms or note that means it can be given electronically
    window_only     regex on 送达方式 that means pick-up at the window
    remote          regex on 送达方式 that means a remote delivery (post, e-licence …)
    flow_phrases    regexes (sentence level) of the online flow that demand paper or a visit to file
Hit: one per paper material, per such sentence of the online flow, and one for the delivery;
evidence = the material name, the sentence or the 送达方式 text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import field_text, flow_scope, matched_sentences
from guidecheck.checks.base import Hit
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    paper: re.Pattern[str]
    electronic: re.Pattern[str]
    window_only: re.Pattern[str]
    remote: re.Pattern[str]
    flow_phrases: Sieve


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("paper_forms", "electronic", "window_only", "remote", "flow_phrases"))
    phrases = _params.strings(params, "flow_phrases", [])
    flow_phrases = _params.terms_regex({"flow_phrases": ["re:" + p for p in phrases]}, "flow_phrases")
    return Params(
        _params.regex(params, "paper_forms", "原件"),
        _params.regex(params, "electronic", "电子|扫描|上传|核验后退回|现场核验"),
        _params.regex(params, "window_only", "窗口|现场|自取|领取"),
        _params.regex(params, "remote", "邮寄|快递|EMS|寄送|电子证照|网上|在线|下载|自助"),
        Sieve.of(flow_phrases),
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    for material in guide.materials:
        forms = " ".join(material.forms)
        if params.paper.search(forms) and not params.electronic.search(f"{forms} {material.note}"):
            yield Hit(
                material.name.strip(),
                material.loc,
                {
                    "what": (
                        f"材料“{material.name.strip()}”须提交纸质原件",
                        f"material {material.name.strip()} must be handed in on paper",
                    )
                },
            )
    for sentence, piece, _match in matched_sentences(flow_scope(guide, "online"), params.flow_phrases):
        what = (f"网上办理流程要求“{sentence}”", f"the online flow says “{sentence}”")
        yield Hit(sentence, piece.loc, {"what": what})
    delivery = field_text(guide.delivery)
    if delivery and params.window_only.search(delivery) and not params.remote.search(delivery):
        assert guide.delivery is not None
        yield Hit(
            guide.delivery.text.strip(),
            guide.delivery.loc,
            {"what": ("结果只能到窗口领取", "the result can only be collected at the window")},
        )
