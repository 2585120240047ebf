"""User-facing errors. Each carries a message fit to print as is; the CLI maps them to exit 2.

GuidecheckError
├── InputError     a file or page that cannot be read as a guide
├── RuleError      a broken rule pack (names the file, the rule and the key)
├── ConfigError    a broken configuration file (names the file, the line and the fix)
└── PortalError    a portal or department that cannot be reached or found
"""

from __future__ import annotations


class GuidecheckError(Exception):
    """An error the user can act on; `str(err)` is the whole message."""


class InputError(GuidecheckError):
    pass


class RuleError(GuidecheckError):
    def __init__(self, file: str, message: str, *, rule: str = "", key: str = "", line: int | None = None):
        where = file + (f":{line}" if line else "")
        parts = [where]
        if rule:
            parts.append(f"rule {rule}")
        if key:
            parts.append(f"key '{key}'")
        super().__init__(f"{', '.join(parts)}: {message}")
        self.file, self.rule, self.key, self.line = file, rule, key, line


class ConfigError(GuidecheckError):
    def __init__(self, file: str, message: str, *, line: int | None = None, fix: str = ""):
        where = file + (f":{line}" if line else "")
        text = f"{where}: {message}"
        if fix:
            text += f"\n  fix: {fix}"
        super().__init__(text)
        self.file, self.line, self.fix = file, line, fix


class PortalError(GuidecheckError):
    pass
