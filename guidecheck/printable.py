"""Crawled text made safe to show: a page may carry control characters and bidi overrides.

An ESC in a 事项名称 (raw, or as `&#27;` that lxml decodes) would reach an inspector's terminal as an
escape sequence (set the window title, clear the screen, write the clipboard with OSC 52); a BEL rings;
U+202E reverses what a reader sees of the evidence. Every report that shows text to a person passes it
through `printable`, which keeps the length (one character for one) and makes each such character
visible: C0 controls become their control pictures (ESC → ␛), DEL ␡, C1 controls and bidi controls
U+FFFD. Tab and line breaks stay. Machine formats (JSON, SARIF) keep the data and escape it their way.
"""

from __future__ import annotations

import json
import re
from typing import Any

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab, LF and CR; DEL; C1 controls; bidi embeddings, overrides and isolates."""


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: str) -> str:
    """`text` with every unsafe character made visible, one character for one."""
    return UNSAFE.sub(_visible, text) if UNSAFE.search(text) else text


def json_dumps(value: object, **kwargs: Any) -> str:
    """`json.dumps` with non-ASCII text kept readable, but the unsafe characters JSON leaves raw (C1
    controls, bidi controls) written as \\u escapes: the same data, and safe on a terminal."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    # JSON escapes C0 controls itself; what remains can only stand inside strings, where \\uXXXX is equal
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if UNSAFE.search(text) else text
