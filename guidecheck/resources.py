"""Where bundled data lives: the repository's top-level folders, or their copies inside the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def _find(repo_rel: str, packaged_rel: str) -> Path:
    packaged = _PACKAGE / "_data" / packaged_rel
    if packaged.is_dir():
        return packaged
    return _REPO / repo_rel


def rules_dir() -> Path:
    """The built-in rule packs (`rules/` in the repository)."""
    return _find("rules", "rules")


def sample_portal_dir() -> Path:
    """The bundled sample portal (`fixtures/sample_portal/` in the repository)."""
    return _find("fixtures/sample_portal", "sample_portal")
