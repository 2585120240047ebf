"""fee_details: the item charges a fee but the guide does not give the fee item, standard and basis.

params:
    charged     regex: 是否收费 says a fee is charged (default "^是|收费")
    free        regex: the value says no fee (checked first; default "不收费|免费|^否|^无")
    standard    regex that counts as a stated standard (an amount) in 收费/收费标准
    basis       regex that counts as a stated basis (a regulation) in 收费/收费依据
    mode        "charged" (default): a fee without standard or basis; "vague": no fee written vaguely
    vague_free  regex (fullmatch) for a no-fee value written vaguely ("无", "/") instead of 不收费
Hit: evidence = the 是否收费 text; params problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import field_text
from guidecheck.checks.base import Hit, ParamError
from guidecheck.model import Guide


@dataclass(slots=True, frozen=True)
class Params:
    charged: re.Pattern[str]
    free: re.Pattern[str]
    standard: re.Pattern[str]
    basis: re.Pattern[str]
    vague_free: re.Pattern[str]
    mode: str


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("charged", "free", "standard", "basis", "vague_free", "mode"))
    mode = _params.string(params, "mode", "charged")
    if mode not in ("charged", "vague"):
        raise ParamError("mode", "use charged or vague")
    return Params(
        _params.regex(params, "charged", r"^是|收费"),
        _params.regex(params, "free", r"不收费|免费|^否|^无"),
        _params.regex(params, "standard", r"\d+(\.\d+)?\s*元|元/|标准[为是：:]"),
        _params.regex(params, "basis", r"《|依据[为是：:]|文号|〔\d{4}〕|\[\d{4}\]"),
        _params.regex(params, "vague_free", r"无|/|-|—|空|暂无|没有"),
        mode,
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    fee = field_text(guide.fee)
    if guide.fee is None:
        return
    if params.mode == "vague":
        if params.vague_free.fullmatch(fee.strip(" 。.")):
            yield Hit(
                guide.fee.text.strip(),
                guide.fee.loc,
                {
                    "problem": (
                        f"不收费写作“{guide.fee.text.strip()}”，应写明“不收费”",
                        f"no fee is written as “{guide.fee.text.strip()}”; write 不收费",
                    )
                },
            )
        return
    if params.free.search(fee) or not params.charged.search(fee):
        return
    standard_text = f"{fee} {field_text(guide.fee_standard)}"
    basis_text = f"{fee} {field_text(guide.fee_basis)}"
    missing_zh, missing_en = [], []
    if not params.standard.search(standard_text):
        missing_zh.append("收费标准")
        missing_en.append("fee standard")
    if not params.basis.search(basis_text):
        missing_zh.append("收费依据")
        missing_en.append("fee basis")
    if missing_zh:
        yield Hit(
            guide.fee.text.strip(),
            guide.fee.loc,
            {
                "problem": (
                    f"事项收费，但未写明{'、'.join(missing_zh)}",
                    f"a fee is charged but the {' and '.join(missing_en)} is not given",
                )
            },
        )
