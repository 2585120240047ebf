"""Shared pytest setup."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_audit_history(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every `audit` saves to the audit history: keep tests' audits out of the user's history file."""
    monkeypatch.setenv("GUIDECHECK_HISTORY", str(tmp_path / "guidecheck-history.sqlite"))
