"""The README documents every option and every key the program has."""

import re

from tests.conftest import ROOT
from tui.app import DiffApp
from tui.cli import app, eval_app
from tui.widgets.help_screen import KEYS

import typer

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_option_is_in_the_readme() -> None:
    command = typer.main.get_command(app)
    for param in command.params:
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README or f", {flag}`" in README, flag


def test_every_key_is_in_the_readme_and_the_help() -> None:
    helped = " ".join(key for key, _ in KEYS)
    for binding in DiffApp.BINDINGS:
        for key in binding.key.split(","):
            shown = {"slash": "/", "plus": "+", "minus": "-", "question_mark": "?", "down": "↓", "up": "↑"}.get(key, key)
            if key == "escape":
                continue  # closes the search box, documented with `/`
            assert re.search(rf"`{re.escape(shown)}`", README), key
            assert shown in helped, key


def test_every_eval_option_is_in_the_readme() -> None:
    for param in typer.main.get_command(eval_app).params:
        for flag in param.opts:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, flag
