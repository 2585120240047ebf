"""flowchart_owner: a flowchart or flow titled for another body than 实施主体 — another 区/县/市 or
another department (a city bureau's guide showing "天河区农业农村局…流程图").

Bodies are read from flowchart titles, and from flow text only where the name is followed by …流程.
A body matches the owner when every place name in it (…省/市/区/县) occurs in 实施主体 and its
department part occurs there too (or is similar enough, for abbreviations). An owner written without
its place ("市生态环境局") is matched by level: a body whose innermost place is of another level
(…区 on a 市 guide) is another body; one of the same level is judged by its department part.

params:
    threshold   rapidfuzz partial ratio 0–100 from which a department part counts as the owner's (default 60)
Hit: one per body; evidence = the title or sentence naming it; params body, owner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from rapidfuzz import fuzz

from guidecheck.checks import _params
from guidecheck.checks._text import compact, norm, sentences, siftable
from guidecheck.checks.base import Hit
from guidecheck.model import Guide, Loc

_PLACE = r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|省|市|区|县|旗|盟)"
_DEPT = r"[\u4e00-\u9fff]{1,16}?(?:局|委员会|厅|办公室|中心|管委会)"
BODY = re.compile(rf"(?=[\u4e00-\u9fff]{{1,9}}[区州县省市旗盟])(?P<places>(?:{_PLACE})+)(?P<dept>{_DEPT})")
"""The look-ahead only restates that the first place name ends within ten characters (its suffix's last
one): a cheap test that spares the lazy repeats' many tries at positions no body starts from."""
_PLACES = re.compile(_PLACE)
_IN_TEXT = re.compile(rf"(?:^|(?<=[《“\"：:]))(?:{BODY.pattern})(?=[\u4e00-\u9fff（）()]{{0,20}}?流程)")
"""In running text a body counts only as a title: at the start of a sentence or after 《 “ ：, and
followed by …流程(图) — "报广东省生态环境厅审批，流程如下" names a body the flow involves, not its owner."""


def prepare(params: Mapping[str, Any]) -> float:
    _params.known_keys(params, ("threshold",))
    return _params.number(params, "threshold", 60)


def _titles(guide: Guide) -> Iterator[tuple[str, Loc | None, bool]]:
    """(text as published, loc, whole) — whole=True: any body in it counts (a title); False: only a
    title-like one, which needs …流程 (texts that cannot name a body so are left out)."""
    for chart in guide.flowcharts:
        if chart.title.strip():
            yield chart.title, chart.loc, True
        if _may_name(chart.text, False):
            for sentence in sentences(chart.text):
                yield sentence, chart.loc, False
        if chart.file_name:
            yield chart.file_name, chart.loc, False
    for section in (guide.flow_text, guide.online_flow_text, guide.window_flow_text):
        if section is not None and _may_name(section.text, False):
            for sentence in sentences(section.text):
                yield sentence, section.loc, False


_PLACE_END = re.compile("[省市区县旗盟州]")
_DEPT_END = re.compile("[局会厅室心]")
"""The last characters of _PLACE's and _DEPT's suffixes: a body has one of each."""


def _may_name(text: str, whole: bool) -> bool:
    """False only when the compact normal form of `text` (or of any part of it) cannot hold a body (nor,
    unless `whole`, …流程). Characters are looked for one by one: `compact` drops spaces between them."""
    possible = (
        (whole or ("流" in text and "程" in text))
        and _PLACE_END.search(text) is not None
        and _DEPT_END.search(text) is not None
    )
    return possible or not siftable(text)


_FUNCTION_CHARS = re.compile(r"[由向到在至经的和与及本该报送交从对全各于为是]")


_OWN_LEVEL = re.compile(r"^[本我]?(省|市|区|县)")
"""An owner written without its place ("市生态环境局") still says its level."""


def _named_places(text: str) -> list[str]:
    # "由市农业农村局…" or "本市…" name no other place: keep only what follows the last function char,
    # and ignore a bare 市/区 (the owner's own city or district referred to generically).
    return [p for p in (_FUNCTION_CHARS.split(p)[-1] for p in _PLACES.findall(text)) if len(p) >= 2]


def foreign(body: re.Match[str], owner: str, threshold: float) -> bool:
    places = _named_places(body.group("places"))
    if _named_places(owner):
        if any(p not in owner for p in places):
            return True
    elif places and (level := _OWN_LEVEL.match(owner)) and places[-1][-1] != level.group(1):
        return True  # "天河区…流程图" on a guide of "市农业农村局": another level is another body
    dept = body.group("dept")
    return dept not in owner and fuzz.partial_ratio(dept, owner) < threshold


def check(guide: Guide, threshold: float) -> Iterator[Hit]:
    if guide.owner is None or not guide.owner.text.strip():
        return
    owner = compact(guide.owner.text)
    seen: set[str] = set()
    done: set[tuple[str, bool]] = set()
    judged: dict[tuple[str, str], bool] = {}  # foreign() reads only these two groups
    for raw, loc, whole in _titles(guide):
        if (raw, whole) in done:
            continue  # the same text again (a title, its file name, a flow sentence) names the same bodies
        done.add((raw, whole))
        if not _may_name(raw, whole):
            continue
        plain = compact(raw)  # norm is idempotent: the same as compact(norm(raw))
        if not whole and "流程" not in plain:
            continue  # _IN_TEXT needs a following …流程
        text = norm(raw)
        for body in (BODY if whole else _IN_TEXT).finditer(plain):
            name = body.group(0)
            if name in seen:
                continue
            parts = body.group("places", "dept")
            other = judged.get(parts)
            if other is None:
                other = judged[parts] = foreign(body, owner, threshold)
            if other:
                seen.add(name)
                yield Hit(text, loc, {"body": name, "owner": guide.owner.text.strip()})
