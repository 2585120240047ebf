"""The fast NFKC in checks/_text.py equals unicodedata's on every input."""

from __future__ import annotations

import random
import unicodedata

from guidecheck.checks._text import _NOT_FAST_RE, FULL_WIDTH, nfkc, norm


def _fast_chars() -> list[str]:
    return [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and not _NOT_FAST_RE.match(chr(cp))]


def test_fast_path_characters_are_inert_under_nfkc() -> None:
    # second halves of canonical compositions (pairs in the decomposition data, plus Hangul jamo)
    seconds = {chr(0x1161 + i) for i in range(21)} | {chr(0x11A8 + i) for i in range(27)}
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    fast = _fast_chars()
    assert len(fast) > 20_000 and "申" in fast and "，" in fast and "。" in fast
    for char in fast:
        mapped = FULL_WIDTH.get(char, char)
        assert unicodedata.normalize("NFKC", char) == mapped, hex(ord(char))
        for out in {char, mapped}:
            assert unicodedata.combining(out) == 0, hex(ord(out))
            assert out not in seconds, hex(ord(out))
        if char not in FULL_WIDTH:
            assert not unicodedata.decomposition(char), hex(ord(char))


def test_fast_nfkc_equals_unicodedata_on_random_text() -> None:
    rng = random.Random(7)
    fast = _fast_chars()
    others = ["é", "e\u0301", "\u0301", "①", "㎡", "…", "ｶﾞ", "가", "\u1100\u1161", "ﬁ", "Ⅻ", "\u2002", "（", "）"]
    for _ in range(3000):
        pool = fast if rng.random() < 0.7 else fast[:200] + others
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)


def test_norm_on_guide_text() -> None:
    assert norm("  申请材料：身份证（原件）　１份；ＡＢＣ ") == "申请材料:身份证(原件) 1份;ABC"
    assert norm("e\u0301①") == "é1"
    assert norm("\t办理\t\t时间 \u3000 9:00 ") == "办理 时间 9:00"
