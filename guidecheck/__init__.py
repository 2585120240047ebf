"""guidecheck: audit government service guides (办事指南).

Library use::

    from guidecheck import check_paths, load_ruleset
    result = check_paths(["guides/"], load_ruleset())
    for finding in result.findings:
        print(finding.rule_id, finding.message)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_paths", "load_ruleset"]


def __getattr__(name: str) -> object:
    # Lazy re-exports keep `import guidecheck` cheap and free of import cycles.
    if name == "check_paths":
        from guidecheck.api import check_paths

        return check_paths
    if name == "load_ruleset":
        from guidecheck.engine import load_ruleset

        return load_ruleset
    raise AttributeError(name)
