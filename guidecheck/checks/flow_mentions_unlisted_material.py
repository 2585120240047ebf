"""flow_mentions_unlisted_material: the flow or the conditions ask for a document the material list lacks.

A demanded document is 《…》 or a noun ending in a document word (证明, 证书, 许可证, 执照, 申请表 …)
right after a verb of handing in (提交, 提供, 携带, 上传 …), unless negated (无需提交, 免予提供).
It counts as listed when a material name contains it, or is similar enough (rapidfuzz partial ratio).

params:
    verbs       regex of verbs that demand a document
    documents   regex of document-type endings
    generic     regex of generic words that are not a specific document (申请材料, 相关证明 …)
    threshold   partial-ratio 0–100 from which a material name counts as the same document (default 80)
    scopes      "flow" and/or element keys (default ["flow", "conditions"])
Hit: one per unlisted document; evidence = the document name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from guidecheck.checks import _params
from guidecheck.checks._literals import Sieve
from guidecheck.checks._text import TEXT_ELEMENTS, compact, text_scope
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide

_NEGATED = re.compile(r"无需|不需|不再|不用|免予?|免于|毋需")


@dataclass(slots=True, frozen=True)
class Params:
    demand: Sieve
    generic: re.Pattern[str]
    threshold: float
    scopes: tuple[str, ...]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("verbs", "documents", "generic", "threshold", "scopes"))
    verbs = _params.string(params, "verbs", "提交|提供|携带|上传|出示|递交|报送")
    documents = _params.string(params, "documents", "证明|证书|许可证|执照|申请表|登记表|报告|合同|协议|批复|决定书")
    demand = _params.compile_regex(
        rf"(?:{verbs})[^，。；,;:：]{{0,6}}?(?:《(?P<title>[^》]{{2,40}})》"
        rf"|(?P<noun>[\u4e00-\u9fff]{{2,14}}?(?:{documents})))",
        "verbs",
    )
    scopes = _params.strings(params, "scopes", ["flow", "conditions"])
    for scope in scopes:
        if scope != "flow" and scope not in TEXT_ELEMENTS:
            raise ParamError("scopes", f'unknown scope {scope!r}; use "flow" or an element key')
    return Params(
        Sieve.of(demand),
        _params.regex(
            params, "generic", r"^(?:申请|相关|有关|其他|上述|全部|所需|所有|补正|规定|要求|纸质|原件|书面|办理|材料)"
        ),
        _params.number(params, "threshold", 80),
        scopes,
    )


def listed(document: str, names: list[str], threshold: float) -> bool:
    doc = compact(document)
    return any(doc in name or (len(doc) >= 4 and fuzz.partial_ratio(doc, name) >= threshold) for name in names)


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    if not guide.materials:
        return  # without a parsed list there is nothing to compare against
    names = [compact(m.name) for m in guide.materials]
    demand = params.demand
    for _sentence, plain, piece in text_scope(guide, params.scopes).sentences(demand.words):
        for match in demand.regex.finditer(plain):
            if _NEGATED.search(plain[max(0, match.start() - 4) : match.start()]):
                continue  # "无需提交营业执照" demands nothing
            document = match.group("title") or match.group("noun")
            if match.group("noun") and params.generic.search(document):
                continue
            if not listed(document, names, params.threshold):
                yield Hit(document, piece.loc, {"document": document})
