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


def _rank(words: Words) -> tuple[int, int, int]:
    """Lower is more useful: single characters (common) last, then fewer alternatives, then longer words."""
    shortest = min(map(len, words))
    return (shortest < 2, len(words), -shortest)


def _better(a: Words | None, b: Words | None) -> Words | None:
    """The more useful of two sound word sets (see `_rank`)."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b, key=_rank)


def _reduce(words: set[str]) -> Words | None:
    """Drop words that contain another word of the set (testing the shorter one suffices)."""
    kept = {w for w in words if not any(o != w and o in w for o in words)}
    return frozenset(kept) if 0 < len(kept) <= _MAX_WORDS else None


def _sequence(items: Any) -> Words | None:
    return _best(_all_sets(items))


def _best(sets: list[Words]) -> Words | None:
    best: Words | None = None
    for words in sets:
        best = _better(best, words)
    return best


def _all_sets(items: Any) -> list[Words]:
    """Every word set the elements of a sequence require (a match contains one word of each)."""
    sets: list[Words] = []
    codes: list[int | None] = []
    for op, av in items:
        if op is _c.LITERAL:
            codes.append(av)
            continue
        codes.append(None)
        found = _item(op, av)
        if found is not None:
            sets.append(found)
    sets += [frozenset({run}) for run in _runs(codes)]
    return sets


def _branch_words(options: list[list[Words]]) -> Words | None:
    """Words for a choice of branches (each with the word sets it requires): one set per branch, joined.
    Each branch takes its most useful set, unless another of its sets adds no word to what the other
    branches already need: "到…(窗口|大厅)…申请" beside branches that need 窗口 or 大厅 then filters on
    those, not on 申请, which most sentences of a flow contain. Every switch keeps or shrinks the union."""
    chosen = [_best(sets) for sets in options]
    for i, sets in enumerate(options):
        others = set().union(*(words for j, words in enumerate(chosen) if j != i))
        for words in sorted(sets, key=_rank):
            if words <= others:
                chosen[i] = words
                break
    return _reduce(set().union(*chosen))  # type: ignore[arg-type]


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
        options = [_all_sets(branch) for branch in av[1]]
        return _branch_words(options) if all(options) else None
    if op is _c.IN:
        chars = {chr(code) for kind, code in av if kind is _c.LITERAL}
        if len(chars) != len(av) or not all(_usable(c) for c in chars):
            return None  # ranges, categories, negation, ASCII: not a plain set of usable characters
        return _reduce(chars)
    return None  # assertions, anchors, any, categories, group references: nothing required


def needed(pattern: re.Pattern[str]) -> Words | None:
    """Words one of which occurs in every match of `pattern` (None: no such set is known)."""
    return _best(needed_all(pattern))


_MAX_SETS = 3


def needed_all(pattern: re.Pattern[str]) -> list[Words]:
    """Word sets each of which has a word in every match of `pattern`, most useful first (at most 3)."""
    if _p is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return []
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return []
        sets = _all_sets(parsed.data)
    except Exception:  # an internal parser we only consult: no filter
        return []
    unique = list(dict.fromkeys(sets))
    return sorted(unique, key=_rank)[:_MAX_SETS]


_MAX_LANGUAGE = 64


def _language(items: Any) -> set[str] | None:
    """Every string a sequence of plain literals, character sets and alternations matches (None when
    it matches anything else, or more strings than are worth listing)."""
    out = {""}
    for op, av in items:
        if op is _c.LITERAL:
            options = {chr(av)}
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            options = _language(av[3])
        elif op is _c.BRANCH:
            options = set()
            for branch in av[1]:
                got = _language(branch)
                if got is None:
                    return None
                options |= got
        elif op is _c.IN and all(kind is _c.LITERAL for kind, _ in av):
            options = {chr(code) for _, code in av}
        else:
            return None
        if options is None:
            return None
        out = {a + b for a in out for b in options}
        if len(out) > _MAX_LANGUAGE:
            return None
    return out


def exact_words(pattern: re.Pattern[str]) -> Words | None:
    """For a pattern that is only a choice of usable words ("受理|收件|接件"): words such that on
    siftable text the pattern matches the normal form exactly when one of them occurs as published."""
    if _p is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        language = None if parsed.state.flags & re.IGNORECASE else _language(parsed.data)
    except Exception:  # an internal parser we only consult: no shortcut
        return None
    if not language or not all(word and all(map(_usable, word)) for word in language):
        return None
    return frozenset(w for w in language if not any(o != w and o in w for o in language))


@dataclass(slots=True, frozen=True)
class Sieve:
    """A compiled pattern and the words every match contains (`words` None: always search)."""

    regex: re.Pattern[str]
    words: Words | None
    """The most useful word set: for ruling out whole scopes and pieces."""
    more: tuple[Words, ...] = ()
    """Further word sets every match also needs a word of: `may_match` tests them too."""
    exact: Words | None = None
    """When the pattern is just a choice of these words (see `exact_words`): `found` answers for it."""

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> Sieve:
        sets = needed_all(regex)
        return cls(regex, sets[0] if sets else None, tuple(sets[1:]), exact_words(regex))

    def found(self, text: str) -> bool:
        """Whether the pattern matches the normal form of siftable `text` (`exact` patterns only)."""
        for word in self.exact:  # type: ignore[union-attr]  # noqa: SIM110 - no generator on this hot path
            if word in text:
                return True
        return False

    def may_match(self, text: str) -> bool:
        """False only when no match is possible in `text` or in any part of it (siftable text only)."""
        if self.words is None:
            return True
        for words in (self.words, *self.more):
            for word in words:
                if word in text:
                    break
            else:
                return False
        return True


def union(sieves: Iterable[Sieve]) -> Words | None:
    """Words for "one of these patterns matches" (None when any of them is unfiltered)."""
    words: set[str] = set()
    for sieve in sieves:
        if sieve.words is None:
            return None
        words |= sieve.words
    return _reduce(words) if words else None
