"""What every check kind shares: the raw hit it yields and the shape of a kind in the registry.

A check kind is pure: it reads a `Guide` and its prepared parameters and yields `Hit`s. It knows
nothing about rule ids, severities or messages; the engine stamps those on (like yamllint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guidecheck.model import Guide, Loc

Text = str | tuple[str, str]
"""A message parameter: plain text, or a (zh, en) pair the engine picks from by language."""


@dataclass(slots=True, frozen=True)
class Hit:
    """One raw violation: the offending text, where it stands, and the values its message needs."""

    evidence: str
    loc: Loc | None = None
    params: Mapping[str, Text] = field(default_factory=dict)


class ParamError(ValueError):
    """A rule's `params` are wrong; the engine turns it into a RuleError naming file, rule and key."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


class UnknownParam(ParamError):
    """A parameter the check kind does not take."""


Prepare = Callable[[Mapping[str, Any]], Any]
Run = Callable[[Guide, Any], Iterable[Hit]]


@dataclass(slots=True, frozen=True)
class CheckKind:
    """A check kind: `prepare` validates and compiles a rule's params once per RuleSet; `run` checks a guide."""

    run: Run
    prepare: Prepare
    doc: str = ""
