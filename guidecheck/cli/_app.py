"""The typer application and the one place where errors become messages and exit codes."""

from __future__ import annotations

import typer

try:  # typer < 0.29 runs on click; from 0.29 on it vendors its own copy
    from click import ClickException
    from click.exceptions import Abort
except ModuleNotFoundError:
    from typer import Abort
    from typer._click.exceptions import ClickException
from rich.text import Text

from guidecheck import exitcodes
from guidecheck.errors import GuidecheckError
from guidecheck.report.console import SafeConsole

app = typer.Typer(
    name="guidecheck",
    help="Audit government service guides (办事指南): completeness, clear materials, a consistent flow.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

stderr = SafeConsole(stderr=True, highlight=False)


def run_app(argv: list[str]) -> int:
    """Run the CLI with `argv`; return the exit code. Never lets a traceback reach the user."""
    try:
        result = app(argv, standalone_mode=False, prog_name="guidecheck")
    except GuidecheckError as err:
        stderr.print(Text.assemble(("error: ", "bold red"), str(err)), soft_wrap=True)
        return exitcodes.ERROR
    except Abort:
        stderr.print("interrupted")
        return 130
    except ClickException as err:
        err.show()
        return exitcodes.ERROR
    except KeyboardInterrupt:
        stderr.print("interrupted")
        return 130
    if isinstance(result, int):
        return result
    return exitcodes.OK
