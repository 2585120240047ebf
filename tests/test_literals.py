"""Literal pre-filters (checks/_literals.py): the words read off a pattern occur in every match."""

from __future__ import annotations

import random
import re
import unicodedata

from guidecheck.checks._literals import Sieve, exact_words, needed, union
from guidecheck.checks._text import ROMAN, Scope, norm, siftable
from guidecheck.engine import load_ruleset


def test_words_of_common_pattern_shapes() -> None:
    assert needed(re.compile("告知承诺")) == {"告知承诺"}
    assert needed(re.compile("零跑动|零跑腿|不见面审批")) == {"零跑动", "零跑腿", "不见面审批"}
    assert needed(re.compile("一次性告知|一次告知|一次性补正")) == {"一次"}  # the parser factors out the prefix
    assert needed(re.compile(r"(?:到|至)[^，]{0,12}?(?:窗口|大厅)")) in ({"到", "至"}, {"窗口", "大厅"})
    assert needed(re.compile(r"身份证(?!明)|户口簿")) == {"身份证", "户口簿"}
    assert needed(re.compile("[窗柜]口")) == {"口"}
    assert needed(re.compile("(?:窗口)+办理")) in ({"窗口"}, {"办理"})


def test_a_branch_takes_the_words_its_siblings_need() -> None:
    # alone the first branch would filter on its one word 申请 (in most sentences of a flow)
    assert needed(re.compile(r"到[^，]{0,12}?(?:窗口|大厅)[^，]{0,8}?申请|窗口|大厅")) == {"窗口", "大厅"}
    assert needed(re.compile(r"到[^，]{0,12}?(?:窗口|大厅)[^，]{0,8}?申请|现场")) == {"申请", "现场"}


def test_no_words_when_nothing_is_required() -> None:
    for pattern in ("^$", r"\d+", "(?:窗口)?", "窗口|", "窗口|\\d", "abc", "(?i)窗口", "[^窗]", ".+"):
        assert needed(re.compile(pattern)) is None, pattern
    assert needed(re.compile("窗口", re.IGNORECASE)) is None
    assert needed(re.compile("(?i:窗口)办理")) in (None, {"办理"})
    # ASCII letters are dropped: full-width ones become ASCII under NFKC
    assert needed(re.compile("EMS邮寄")) == {"邮寄"}
    assert needed(re.compile("窗 口")) in ({"窗"}, {"口"})  # spaces collapse in the normal form


def test_union() -> None:
    assert union([Sieve.of(re.compile("甲")), Sieve.of(re.compile("乙"))]) == {"甲", "乙"}
    assert union([Sieve.of(re.compile("甲")), Sieve.of(re.compile(r"\d"))]) is None


def test_exact_words() -> None:
    assert exact_words(re.compile("受理|收件|接件")) == {"受理", "收件", "接件"}
    assert exact_words(re.compile("(?:到|至)窗口")) == {"到窗口", "至窗口"}
    assert exact_words(re.compile("[窗柜]口|窗口办理")) == {"窗口", "柜口"}  # 窗口办理 contains 窗口
    for pattern in ("窗口?", "EMS|邮寄", "身份证(?!明)", "^受理", "受理\\d", "(?i)受理", "受 理", "(受理)+"):
        assert exact_words(re.compile(pattern)) is None, pattern


def _rule_patterns() -> list[re.Pattern[str]]:
    found: list[re.Pattern[str]] = []

    def walk(value: object) -> None:
        if isinstance(value, re.Pattern):
            found.append(value)
        elif isinstance(value, Sieve):
            found.append(value.regex)
        elif isinstance(value, tuple | list):
            for v in value:
                walk(v)
        elif hasattr(value, "__slots__"):
            for name in value.__slots__:  # type: ignore[union-attr]
                walk(getattr(value, name))

    for rule in load_ruleset():
        walk(rule.prepared[0])
    return found


def test_words_occur_in_every_match_on_random_text() -> None:
    """Sound on published text: where the pattern matches the normal form, a word occurs as published."""
    rng = random.Random(11)
    patterns = [p for p in _rule_patterns() if needed(p) is not None]
    assert len(patterns) > 20
    for pattern in patterns:
        words = needed(pattern)
        assert words is not None
        chars = sorted({c for w in words for c in w} | set(re.sub(r"[\\\[\](){}?*+|^$.:<>=!P]", "", pattern.pattern)))
        pool = chars + list("，。 　０１2３ＡA（）Ⅳ") + ["个", "工作日", "日"]
        for _ in range(400):
            text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 16)))
            sieve = Sieve.of(pattern)
            if siftable(text) and sieve.exact is not None:
                assert sieve.found(text) == bool(pattern.search(norm(text))), (pattern.pattern, text)
            if pattern.search(norm(text)) and siftable(text):
                assert any(w in text for w in words), (pattern.pattern, text)
                assert sieve.may_match(text), (pattern.pattern, text)


def test_scope_candidates_keep_order_and_unsiftable_pieces() -> None:
    scope = Scope.of([("甲乙", None), ("ｃ①", None), ("丙乙", None), ("丁", None)])
    assert [p.text for p in scope.candidates(frozenset({"乙"}))] == ["甲乙", "ｃ①", "丙乙"]
    assert [p.text for p in scope.candidates(frozenset({"戊"}))] == ["ｃ①"]
    assert [p.text for p in scope.candidates(None)] == ["甲乙", "ｃ①", "丙乙", "丁"]
    got = [(s, plain) for s, plain, _ in Scope.of([("甲乙。丙；丁乙", None)]).sentences(frozenset({"乙"}))]
    assert got == [("甲乙。", "甲乙。"), ("丁乙", "丁乙")]


def test_roman_numerals_map_alone() -> None:
    """NFKC maps siftable text character by character: Roman numerals become ASCII letters that never
    combine with a neighbour."""
    seconds = set()
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    assert "Ⅳ" in ROMAN and ROMAN["Ⅳ"] == "IV"
    for char, mapped in ROMAN.items():
        assert unicodedata.normalize("NFKC", char) == mapped and mapped.isascii()
        assert unicodedata.combining(char) == 0 and char not in seconds
        assert not any(c in seconds for c in mapped)
    rng = random.Random(3)
    pool = [*ROMAN, *"申请ａｂ１（）　 。Ⅳ级"]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert siftable(text)
        assert unicodedata.normalize("NFKC", text) == "".join(unicodedata.normalize("NFKC", c) for c in text)
