"""What every diffnews command shares: errors as one line (no pretty tracebacks, see cli.main),
plain help text, and -h beside --help."""

from __future__ import annotations

import typer

HELP = {"help_option_names": ["-h", "--help"]}


def command_app() -> typer.Typer:
    return typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
