"""Every key of the viewer, on `?`."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.legend import legend_text

KEYS = [
    ("j / ↓", "next group"), ("k / ↑", "previous group"),
    ("n / N", "next / previous divergence"), ("u", "next unique sentence"),
    ("g / G", "first / last group"), ("tab", "next column"),
    ("/", "search all articles (enter: next hit, escape: close)"),
    ("f", "filter: all groups → divergent groups → unique sentences"),
    ("+ / -", "raise / lower the threshold (regroups without embedding again)"),
    ("e", "export (JSON, CSV, Markdown, HTML)"), ("click", "select a sentence's group"),
    ("?", "this help"), ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        with Vertical(id="help"):
            yield Static("diffnews keys  (escape closes)", classes="help-title")
            yield Static(table)
            yield Static(legend_text())
