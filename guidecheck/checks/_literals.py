"""Literal pre-filters: the words one of which every match of a regex must contain.

Rules search ~100 sentences per guide with patterns that rarely match. A pattern such as
`(?:到|至|前往)[^，。；]{0,12}?(?:窗口|大厅)` cannot match a sentence that contains neither 窗口 nor 大厅,
and `"窗口" in text` is far cheaper than normalising the sentence and running the regex. `needed`
reads the words off the parsed pattern (at load time); `Sieve` pairs a pattern with them.

Soundness: a word is kept only when every match contains it. Words are reduced to their non-ASCII,
non-space characters, so they can be tested on the text *as published* (before `norm`): NFKC on
fast-path text (`_text.nfkc`) maps only full-width forms and U+3000, and only to ASCII, so every
other character of the normal form stands unchanged in the original. On other text a caller must not
rely on the words (`_text.is_fast`). Anything the parser does not understand gives no words (no filter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

try:  # the regex parser of the standard library (sre_parse before 3.11)
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons: no pre-filter, same results
    _p = _c = None

Words = frozenset[str]
"""Alternatives one of which every match contains (a frozenset), or None: nothing is known."""

_MAX_WORDS = 12
"""More alternatives than this cost more to test than the regex they would spare."""


def _usable(char: str) -> bool:
    return not char.isascii() and not char.isspace()


def _runs(codes: Iterable[int | None]) -> list[str]:
    """Maximal runs of usable characters in a sequence of literal code points (None breaks a run)."""
    runs, current = [], ""
    for code in codes:
        char = chr(code) if code is not None else ""
        if char and _usable(char):
            current += char
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def _better(a: Words | None, b: Words | None) -> Words | None:
    """The more useful of two sound word sets: fewer alternatives, then longer words."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b, key=lambda w: (len(w), -min(map(len, w))))


def _reduce(words: set[str]) -> Words | None:
    """Drop words that contain another word of the set (testing the shorter one suffices)."""
    kept = {w for w in words if not any(o != w and o in w for o in words)}
    return frozenset(kept) if 0 < len(kept) <= _MAX_WORDS else None


def _sequence(items: Any) -> Words | None:
    best: Words | None = None
    codes: list[int | None] = []
    for op, av in items:
        if op is _c.LITERAL:
            codes.append(av)
            continue
        codes.append(None)
        best = _better(best, _item(op, av))
    for run in _runs(codes):
        best = _better(best, frozenset({run}))
    return best


def _item(op: Any, av: Any) -> Words | None:
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _sequence(sub)
    if op is _c.ATOMIC_GROUP:
        return _sequence(av)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _sequence(sub) if low >= 1 else None
    if op is _c.BRANCH:
        words: set[str] = set()
        for branch in av[1]:
            found = _sequence(branch)
            if found is None:
                return None
            words |= found
        return _reduce(words)
    if op is _c.IN:
        chars = {chr(code) for kind, code in av if kind is _c.LITERAL}
        if len(chars) != len(av) or not all(_usable(c) for c in chars):
            return None  # ranges, categories, negation, ASCII: not a plain set of usable characters
        return _reduce(chars)
    return None  # assertions, anchors, any, categories, group references: nothing required


def needed(pattern: re.Pattern[str]) -> Words | None:
    """Words one of which occurs in every match of `pattern` (None: no such set is known)."""
    if _p is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        return _sequence(parsed.data)
    except Exception:  # an internal parser we only consult: no filter
        return None


@dataclass(slots=True, frozen=True)
class Sieve:
    """A compiled pattern and the words every match contains (`words` None: always search)."""

    regex: re.Pattern[str]
    words: Words | None

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> Sieve:
        return cls(regex, needed(regex))

    def may_match(self, text: str) -> bool:
        """False only when no match is possible in `text` or in any part of it (fast-path text only)."""
        words = self.words
        if words is None:
            return True
        for word in words:  # noqa: SIM110 - no generator on this hot path
            if word in text:
                return True
        return False


def union(sieves: Iterable[Sieve]) -> Words | None:
    """Words for "one of these patterns matches" (None when any of them is unfiltered)."""
    words: set[str] = set()
    for sieve in sieves:
        if sieve.words is None:
            return None
        words |= sieve.words
    return _reduce(words) if words else None
