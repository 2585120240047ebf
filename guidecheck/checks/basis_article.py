"""basis_article: each law or regulation cited in an element (《…》) is followed by its article (第N条)
before the next citation.

params:
    element    the element to read (default legal_basis)
    article    regex for an article reference (default 第…条 in digits or Chinese numerals)
    exempt     regex for citations that need no article (default: 决定, 通知, 批复, 目录 — documents
               that are cited as a whole)
Hit: one per citation without an article; evidence = the citation 《…》 (stable across edits elsewhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import label, norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide

_CITATION = re.compile(r"《([^》]{2,60})》")


@dataclass(slots=True, frozen=True)
class Params:
    element: str
    article: re.Pattern[str]
    exempt: re.Pattern[str]


def prepare(params: Mapping[str, Any]) -> Params:
    _params.known_keys(params, ("element", "article", "exempt"))
    return Params(
        _params.element(params.get("element", "legal_basis"), "element"),
        _params.regex(params, "article", r"第[一二三四五六七八九十百零〇两\d]+条"),
        _params.regex(params, "exempt", r"(?:决定|通知|批复|目录|清单|意见)$"),
    )


def check(guide: Guide, params: Params) -> Iterator[Hit]:
    field = guide.element(params.element)
    if field is None:
        return
    text = norm(field.text)
    citations = list(_CITATION.finditer(text))
    with_article: set[str] = set()  # a law cited twice needs its article once
    for index, citation in enumerate(citations):
        end = citations[index + 1].start() if index + 1 < len(citations) else len(text)
        if params.exempt.search(citation.group(1)) or params.article.search(text, citation.end(), end):
            with_article.add(citation.group(1))
    reported: set[str] = set()
    for citation in citations:
        title = citation.group(1)
        if title not in with_article and title not in reported:
            reported.add(title)
            yield Hit(f"《{title}》", field.loc, {"law": f"《{title}》", "element": label(params.element)})
