"""faq_answers: a 常见问题 entry without its answer (or its question), or answered by a placeholder.

params:
    placeholder   regex (fullmatch, on the normalised answer) of answers that say nothing
                  (default: 无, 暂无, 略, 见上, 详见…, bare punctuation)
Hit: one per entry; evidence = the question (the answer when there is no question); params missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guidecheck.checks import _params
from guidecheck.checks._text import norm
from guidecheck.checks.base import Hit
from guidecheck.model import Guide

_MISSING = {"answer": ("答案", "answer"), "question": ("问题", "question")}


def prepare(params: Mapping[str, Any]) -> re.Pattern[str]:
    _params.known_keys(params, ("placeholder",))
    return _params.regex(params, "placeholder", r"(无|暂无|略|见上|同上|详见.{0,20}|[\W_]*)")


def check(guide: Guide, placeholder: re.Pattern[str]) -> Iterator[Hit]:
    for faq in guide.faqs:
        question, answer = faq.question.strip(), faq.answer.strip()
        if question and (not answer or placeholder.fullmatch(norm(answer))):
            yield Hit(question, faq.loc, {"missing": _MISSING["answer"]})
        elif answer and not question:
            yield Hit(answer, faq.loc, {"missing": _MISSING["question"]})
