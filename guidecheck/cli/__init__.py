"""The command line. It only wires the core's steps together and maps outcomes to exit codes.

Commands are registered explicitly: each module in `_COMMAND_MODULES` adds its commands to `app`.
"""

from __future__ import annotations

import sys

from guidecheck.cli import audit_cmd, check_cmd, convert_cmd, history_cmd, rank_cmd, report_cmd, rules_cmd, stats_cmd
from guidecheck.cli._app import app, run_app

_COMMAND_MODULES = (check_cmd, rules_cmd, audit_cmd, rank_cmd, stats_cmd, history_cmd, report_cmd, convert_cmd)

__all__ = ["app", "main", "run_app"]


def main() -> None:
    """Console-script entry point."""
    sys.exit(run_app(sys.argv[1:]))
