"""English wording shared by the reporters (Chinese needs no plural forms)."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """ "1 guide", "2 guides", "0 errors": the English summaries count things that are often one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
