"""Reading a TOML file a person wrote: a rule pack, a label file, a config, a portal profile, a guide file.

One reader, so that every kind of file accepts what editors write (a UTF-8 BOM) and says the same
things the same way: a folder where a file belongs, an unreadable or non-UTF-8 file, a syntax error
with its line, and nesting deep enough to exhaust tomllib's recursion. Each caller turns the one
exception into its own error (RuleError, ConfigError, InputError) with its own fix.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

_AT = re.compile(r"\s*\(at line (\d+), column \d+\)")


class TomlFileError(Exception):
    """What is wrong with the file (`reason`), where (`line`, when TOML says) and what to do (`fix`)."""

    def __init__(self, reason: str, *, line: int | None = None, fix: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.fix = fix


def read_text(path: Path, kind: str) -> str:
    """The file's text; `kind` ("rule pack", "label file" …) words the message."""
    try:
        return path.read_text(encoding="utf-8-sig")  # Windows editors put a BOM in front of UTF-8
    except FileNotFoundError:
        raise TomlFileError(f"no such {kind}", fix="check the path") from None
    except IsADirectoryError:
        raise TomlFileError(f"is a folder, not a {kind}", fix="name the file itself, or rename the folder") from None
    except OSError as err:
        raise TomlFileError(f"cannot read {kind}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise TomlFileError("not UTF-8 text", fix=f"save the {kind} as UTF-8") from None


def parse(text: str, kind: str) -> dict[str, Any]:
    """The TOML document in `text`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        at = _AT.search(str(err))
        raise TomlFileError(
            f"TOML syntax error: {_AT.sub('', str(err))}",
            line=int(at.group(1)) if at else None,
            fix="check quotes and brackets (strings need quotes; see https://toml.io)",
        ) from None
    except RecursionError:  # tomllib recurses once per nested bracket
        raise TomlFileError("TOML nested too deeply", fix=f"a {kind} needs a few levels of brackets at most") from None


def read(path: Path, kind: str) -> tuple[str, dict[str, Any]]:
    """The file's text (for finding lines later) and its TOML document."""
    text = read_text(path, kind)
    return text, parse(text, kind)
