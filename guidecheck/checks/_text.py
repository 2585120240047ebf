"""Text helpers shared by check kinds: normalising, sentence splitting, numbers, element labels."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from guidecheck.model import ELEMENT_KEYS, Field, Guide, Loc

if TYPE_CHECKING:
    from guidecheck.checks._literals import Sieve

_SENTENCE = re.compile(r"[^。！？；;!?\n]*[。！？；;!?\n]|[^。！？；;!?\n]+")
"""A sentence with the mark that ends it, or the text after the last mark."""
_SPACE = re.compile(r"[ \t\u3000]+")
_ANY_SPACE = re.compile(r"\s+")

ELEMENT_LABELS: dict[str, tuple[str, str]] = {
    "item_name": ("事项名称", "item name"),
    "item_code": ("事项编码", "item code"),
    "item_type": ("事项类型", "item type"),
    "owner": ("实施主体", "implementing body"),
    "service_object": ("服务对象", "service object"),
    "legal_basis": ("设定依据", "legal basis"),
    "conditions": ("受理条件", "acceptance conditions"),
    "channels_text": ("办理形式", "channels"),
    "online_depth": ("网上办理深度", "online depth"),
    "online_url": ("网办地址", "online address"),
    "is_online": ("是否网办", "online handling"),
    "legal_limit_text": ("法定办结时限", "legal time limit"),
    "promised_limit_text": ("承诺办结时限", "promised time limit"),
    "case_type": ("办件类型", "case type"),
    "visits_text": ("到办事现场次数", "visits in person"),
    "onsite_reason": ("必须现场办理原因说明", "reason for visits in person"),
    "special_procedure": ("特别程序", "special procedure"),
    "fee": ("是否收费", "fees"),
    "fee_standard": ("收费标准", "fee standard"),
    "fee_basis": ("收费依据", "fee basis"),
    "online_payment": ("是否支持网上支付", "online payment"),
    "place": ("办理地点", "place"),
    "hours": ("办理时间", "office hours"),
    "consult": ("咨询方式", "enquiries"),
    "complaint": ("监督投诉方式", "complaints"),
    "result_name": ("结果名称", "result name"),
    "result_type": ("结果类型", "result type"),
    "result_sample": ("结果样本", "result sample"),
    "delivery": ("送达方式", "delivery of the result"),
    "materials_text": ("申请材料", "application materials"),
    "flow_text": ("办理流程", "process flow"),
    "online_flow_text": ("网上办理流程", "online flow"),
    "window_flow_text": ("窗口办理流程", "window flow"),
}
"""zh and en labels of the `Guide` text elements, for messages and for missing-element evidence."""

TEXT_ELEMENTS: frozenset[str] = frozenset(ELEMENT_KEYS) - {"extra"}
"""Element keys a rule may name (`extra` is a dict of leftovers, not an element)."""

NUMBER = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
"""A number written in digits or in Chinese numerals, for use inside patterns."""


def reset_text_caches(guide: Guide | None = None) -> None:
    """Forget cached normal forms and text collections. The engine calls it with each guide it checks and
    without one when done, so the caches only serve the many rules that read the same guide's text (and
    memory stays bounded by one guide). Text collections are remembered only for that guide."""
    global _MEMO_GUIDE
    norm.cache_clear()
    compact.cache_clear()
    sentences.cache_clear()
    split.cache_clear()
    _MEMO.clear()
    _MEMO_GUIDE = guide


_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_GUIDE: Guide | None = None
"""The guide the engine is checking: `all_text` and `flow_pieces` build its collections once (rules do not
change the guide they read). Any other guide gets fresh collections."""


def _inert_class() -> str:
    """A regex class body of the characters NFKC leaves alone whatever surrounds them: no decomposition,
    combining class 0, and (checked in the tests against the whole Unicode database) never the second
    half of a composition. ASCII, the CJK unified ideographs and the common CJK and general punctuation."""
    punct = [
        c
        for c in map(chr, [*range(0x2010, 0x2070), *range(0x3001, 0x3040)])
        if not unicodedata.decomposition(c) and not unicodedata.combining(c) and unicodedata.normalize("NFKC", c) == c
    ]
    return "\t\n\r\x20-\x7e\u4e00-\u9fff" + "".join(re.escape(c) for c in punct)


FULL_WIDTH: dict[str, str] = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
"""Full-width ASCII forms and the ideographic space: NFKC maps each to one ASCII character."""
_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_NOT_FAST_RE = re.compile(f"[^{_inert_class()}\uff01-\uff5e\u3000]")


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster for the usual guide text.

    When every character is inert (see `_inert_class`) or full-width, NFKC is exactly the per-character
    mapping of the full-width ones (nothing decomposes further, reorders or composes); anything else
    goes through unicodedata.
    """
    if text.isascii():
        return text
    if _NOT_FAST_RE.search(text) is not None:
        return unicodedata.normalize("NFKC", text)
    for char in set(_FULL_WIDTH_RE.findall(text)):
        text = text.replace(char, FULL_WIDTH[char])
    return text


@lru_cache(maxsize=1 << 14)
def norm(text: str) -> str:
    """NFKC (full-width → half-width) and runs of spaces collapsed: the form every match runs on."""
    text = nfkc(text)  # maps U+3000 to a space: only tabs or double spaces leave work for _SPACE
    if "\t" in text or "  " in text:
        text = _SPACE.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=1 << 12)
def compact(text: str) -> str:
    """`norm` without any whitespace, for comparing names."""
    return _ANY_SPACE.sub("", norm(text))


@lru_cache(maxsize=1 << 14)
def sentences(text: str) -> tuple[str, ...]:
    """Split on 。！？；; and newlines into non-empty, stripped pieces."""
    return tuple(filter(None, map(str.strip, _SENTENCE.findall(text))))


@lru_cache(maxsize=1 << 14)
def split(text: str) -> tuple[tuple[str, str], ...]:
    """`sentences(text)`, each with its `norm`: (as published, normal form)."""
    return tuple((s, norm(s)) for s in sentences(text))


ROMAN: dict[str, str] = {
    c: unicodedata.normalize("NFKC", c)
    for c in map(chr, range(0x2160, 0x2180))
    if unicodedata.normalize("NFKC", c).isascii() and not unicodedata.combining(c)
}
"""Roman numerals (网办深度 "Ⅳ级"): like the full-width forms, NFKC maps each to ASCII letters alone."""
_NOT_SIFTABLE_RE = re.compile(f"[^{_inert_class()}\uff01-\uff5e\u3000{''.join(ROMAN)}]")


def siftable(text: str) -> bool:
    """NFKC maps this text character by character, and only to ASCII where it changes one: every non-ASCII
    character of its normal form stands unchanged in it, so literal pre-filters (`_literals`) may test it
    as published."""
    return text.isascii() or _NOT_SIFTABLE_RE.search(text) is None


@dataclass(slots=True)
class Piece:
    """A piece of a scope that a pre-filter let through."""

    text: str
    loc: Loc | None
    sift: bool
    """See `siftable`: False means every pre-filter must let the parts of this piece through too."""


@dataclass(slots=True)
class Scope:
    """The pieces of text a rule reads (all text, a channel's flow …), built once per guide, with the
    siftable pieces' text in one string so a pre-filter can rule the whole scope out with one test."""

    pieces: tuple[tuple[str, Loc | None], ...]
    blob: str
    unsiftable: frozenset[int]
    """Indices of the pieces that are not `siftable` (usually none)."""

    @classmethod
    def of(cls, pieces: Iterable[tuple[str, Loc | None]]) -> Scope:
        pairs = tuple(pieces)
        blob = "\n".join([text for text, _ in pairs])
        if siftable(blob):  # the usual case: one scan instead of one per piece
            return cls(pairs, blob, frozenset())
        bad = frozenset(i for i, (text, _) in enumerate(pairs) if not siftable(text))
        return cls(pairs, "\n".join([text for i, (text, _) in enumerate(pairs) if i not in bad]), bad)

    def candidates(self, words: frozenset[str] | None) -> list[Piece]:
        """The pieces in which one of `words` may occur in normal form (all of them when `words` is None),
        in order."""
        if words is None:
            return [Piece(text, loc, False) for text, loc in self.pieces]
        bad = self.unsiftable
        if not _any_in(words, self.blob):
            return [Piece(*self.pieces[i], False) for i in sorted(bad)]
        if not bad:
            return [Piece(text, loc, True) for text, loc in self.pieces if _any_in(words, text)]
        return [
            Piece(text, loc, i not in bad)
            for i, (text, loc) in enumerate(self.pieces)
            if i in bad or _any_in(words, text)
        ]

    def sentences(self, words: frozenset[str] | None) -> Iterator[tuple[str, str, Piece]]:
        """(sentence, its normal form, piece) for every sentence in which one of `words` may occur."""
        for sentence, piece in self.raw_sentences(words):
            yield sentence, norm(sentence), piece

    def raw_sentences(self, words: frozenset[str] | None) -> Iterator[tuple[str, Piece]]:
        """(sentence, piece) for every sentence in which one of `words` may occur: for kinds that sift
        further before they normalise."""
        for piece in self.candidates(words):
            if not piece.sift:
                for sentence in sentences(piece.text):
                    yield sentence, piece
                continue
            has_word = _finder(words).search  # type: ignore[arg-type]
            for sentence in sentences(piece.text):
                if has_word(sentence) is not None:
                    yield sentence, piece


_NUMBERING = re.compile(r"^\s*[(（]?\d{1,2}\s*[)）.、．]?")
_NOT_WORD = re.compile(r"[\W_]+")


def matched_sentences(
    scope: Scope, sieve: Sieve, unless: re.Pattern[str] | None = None
) -> list[tuple[str, Piece, re.Match[str]]]:
    """(sentence as published, piece, match) for each sentence of `scope` that `sieve` matches and
    `unless` does not, a sentence said twice reported once.

    A flow text's numbered line ("3. 提交纸质材料：…") is also read as a step ("提交纸质材料 …"): the same
    sentence reached from both is one fault. The later piece is kept: steps come after the text they
    were read from, and point at their own line or cell rather than at the section's heading.
    """
    kept: dict[str, tuple[str, Piece, re.Match[str]]] = {}
    for sentence, plain, piece in scope.sentences(sieve.words):
        if unless is not None and unless.search(plain):
            continue
        match = sieve.regex.search(plain)
        if match:
            key = _NOT_WORD.sub("", _NUMBERING.sub("", plain))
            kept.pop(key, None)
            kept[key] = (sentence, piece, match)
    return list(kept.values())


@lru_cache(maxsize=256)
def _finder(words: frozenset[str]) -> re.Pattern[str]:
    """One search for any of `words` (cheaper than a loop of `in` tests over many short sentences)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words)))


def _any_in(words: frozenset[str], text: str) -> bool:
    for word in words:  # noqa: SIM110 - no generator on this hot path
        if word in text:
            return True
    return False


def scope_of(guide: Guide, key: tuple[object, ...], make: Callable[[], Iterable[tuple[str, Loc | None]]]) -> Scope:
    """The `Scope` of `make()`'s pieces, built once per guide the engine checks (`key` names it)."""
    if guide is _MEMO_GUIDE:
        got = _MEMO.get(key)
        if got is None:
            got = _MEMO[key] = Scope.of(make())
        return got  # type: ignore[return-value]
    return Scope.of(make())


def may_mention(guide: Guide, words: frozenset[str] | None) -> bool:
    """False only when no text of the guide that a scope reads can hold one of `words` in normal form:
    a rule triggered by words most guides never use (容缺, 最多跑一次 …) is then done before it builds
    its own scopes."""
    if words is None:
        return True
    rest = scope_of(guide, ("not-in-all",), lambda: _not_in_all_text(guide))
    return any(scope.unsiftable or _any_in(words, scope.blob) for scope in (all_scope(guide), rest))


def _not_in_all_text(guide: Guide) -> Iterator[tuple[str, Loc | None]]:
    """What scopes read beyond `all_text`: step results (the "flow" scope) and flowchart file names."""
    for step in guide.steps:
        if step.result:
            yield step.result, step.loc
    for chart in guide.flowcharts:
        if chart.file_name:
            yield chart.file_name, chart.loc


def text_scope(guide: Guide, scopes: tuple[str, ...]) -> Scope:
    """The Scope of `scope_pieces(guide, scopes)`."""
    if scopes == ("all",):
        return all_scope(guide)
    return scope_of(guide, ("scopes", scopes), lambda: scope_pieces(guide, scopes))


def scope_pieces(guide: Guide, scopes: tuple[str, ...]) -> Iterator[tuple[str, Loc | None]]:
    """The text of rule scopes, in order: "all" (`all_text`), "flow" (`flow_pieces`), "materials" (each
    row's name, necessity and note, then the materials text) or an element key (its text as published)."""
    for scope in scopes:
        if scope == "all":
            yield from all_text(guide)
        elif scope == "flow":
            yield from flow_pieces(guide)
        elif scope == "materials":
            for m in guide.materials:
                yield " ".join(p for p in (m.name, m.necessity, m.note) if p), m.loc
            if guide.materials_text is not None:
                yield guide.materials_text.text, guide.materials_text.loc
        else:
            field = guide.element(scope)
            if field is not None:
                yield field.text, field.loc


def all_scope(guide: Guide, skip: frozenset[str] = frozenset()) -> Scope:
    """`all_text` as a Scope."""
    return scope_of(guide, ("all-scope", skip), lambda: all_text(guide, skip))


def flow_scope(guide: Guide, channel: str | None = None, *, shared: bool = False) -> Scope:
    """`flow_pieces` as a Scope."""
    return scope_of(guide, ("flow-scope", channel, shared), lambda: flow_pieces(guide, channel, shared=shared))


def field_text(field: Field | None) -> str:
    return norm(field.text) if field is not None else ""


def label(key: str) -> tuple[str, str]:
    return ELEMENT_LABELS.get(key, (key, key))


def element_loc(guide: Guide, key: str) -> Loc | None:
    field = guide.element(key)
    return field.loc if field is not None else None


def flow_pieces(guide: Guide, channel: str | None = None, *, shared: bool = False) -> Iterator[tuple[str, Loc | None]]:
    """Every piece of flow text (sections, steps, flowcharts) as published, with its location (see `_flow_pieces`)."""
    if guide is _MEMO_GUIDE:
        key = ("flow", channel, shared)
        got = _MEMO.get(key)
        if got is None:
            got = _MEMO[key] = tuple(_flow_pieces(guide, channel, shared=shared))
        return iter(got)
    return _flow_pieces(guide, channel, shared=shared)


def _flow_pieces(guide: Guide, channel: str | None = None, *, shared: bool = False) -> Iterator[tuple[str, Loc | None]]:
    """Every piece of flow text (sections, steps, flowcharts) as published, with its location.

    `channel` None gives all of it; "online"/"window" gives that channel's pieces only (flowcharts whose
    channel is unset count as online when their title says 网上/网办/在线). `shared` adds the steps and
    flowcharts that belong to no channel (a step table published beside two flow texts), and the common
    flow text when the guide has no per-channel sections.
    """
    sections = {
        None: (guide.flow_text, guide.online_flow_text, guide.window_flow_text),
        "online": (guide.online_flow_text,),
        "window": (guide.window_flow_text,),
    }[channel]
    if shared and channel is not None and guide.online_flow_text is None and guide.window_flow_text is None:
        sections = (guide.flow_text,)  # one common flow text: it is every channel's
    for section in sections:
        if section is not None and section.text.strip():
            yield section.text.strip(), section.loc
    for text, loc, part_channel in _flow_parts(guide):
        if channel is None or part_channel == channel or (shared and not part_channel):
            yield text, loc


def _flow_parts(guide: Guide) -> tuple[tuple[str, Loc | None, str], ...]:
    """Steps, then flowcharts: (text, loc, channel), worked out once per guide the engine checks."""
    if guide is _MEMO_GUIDE:
        got = _MEMO.get(("flow-parts",))
        if got is None:
            got = _MEMO[("flow-parts",)] = _make_flow_parts(guide)
        return got  # type: ignore[return-value]
    return _make_flow_parts(guide)


def _make_flow_parts(guide: Guide) -> tuple[tuple[str, Loc | None, str], ...]:
    steps = [
        (" ".join(filter(None, (step.name, step.actor, step.content, step.result))), step.loc, step.channel)
        for step in guide.steps
    ]
    charts = [
        (f"{chart.title} {chart.text}".strip(), chart.loc, flowchart_channel(chart.title, chart.channel))
        for chart in guide.flowcharts
    ]
    return (*steps, *charts)


_CHART_CHANNEL = re.compile(r"(网上|网办|在线|线上|窗口|线下|现场)(?:办理|申请|申报|办事)?流程")


def flowchart_channel(title: str, channel: str) -> str:
    """The channel a flowchart describes: its title says it ("…网上办理流程图") before anything else."""
    named = _CHART_CHANNEL.findall(title)
    if named:
        return "window" if named[-1] in ("窗口", "线下", "现场") else "online"
    return channel


def all_text(guide: Guide, skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, Loc | None]]:
    """Every text element (but `skip`), material row, step, flowchart and extra field, as published."""
    if guide is _MEMO_GUIDE:
        key = ("all", skip)
        got = _MEMO.get(key)
        if got is None:
            parts = _MEMO.get(("all-parts",))
            if parts is None:
                parts = _MEMO[("all-parts",)] = tuple(_all_parts(guide))
            got = _MEMO[key] = tuple((text, loc) for element, text, loc in parts if element not in skip)
        return iter(got)
    return ((text, loc) for element, text, loc in _all_parts(guide) if element not in skip)


_ELEMENT_KEYS = tuple(sorted(TEXT_ELEMENTS))
_ELEMENTS = operator.attrgetter(*_ELEMENT_KEYS)
"""All text elements of a guide in one call (what guide.element(key) returns for each of these keys)."""


def _all_parts(guide: Guide) -> Iterator[tuple[str, str, Loc | None]]:
    """(element key or "", text, loc) for `all_text`."""
    for key, field in zip(_ELEMENT_KEYS, _ELEMENTS(guide), strict=True):
        if field is not None:
            text = field.text.strip()
            if text:
                yield key, text, field.loc
    for material in guide.materials:
        yield "", " ".join(filter(None, (material.name, material.necessity, material.note))), material.loc
    for step in guide.steps:
        yield "", " ".join(filter(None, (step.name, step.actor, step.content))), step.loc
    for chart in guide.flowcharts:
        yield "", f"{chart.title} {chart.text}".strip(), chart.loc
    for faq in guide.faqs:
        yield "", f"{faq.question} {faq.answer}", faq.loc
    for extra in guide.extra.values():
        yield "", extra.text.strip(), extra.loc
