"""Every key of the viewer, on `?`."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.legend import legend_text

KEYS = [
    ("j / ↓", "next group"), ("k / ↑", "previous group"),
    ("n / N", "next / previous divergence"), ("u", "next unique sentence"),
    ("g / G", "first / last group"), ("tab", "next column"),
    ("J / K", "cursor to the next / previous sentence of its article"),
    ("h / l", "cursor to the previous / next article (the group's sentence, or the best candidate)"),
    ("o", "the cursor sentence's next group (a sentence that makes two statements)"),
    ("/", "search all articles (enter: next hit, escape: close)"),
    ("f", "filter: all groups → groups with a conflict or variant → unique sentences"),
    ("+ / -", "raise / lower the threshold (regroups, keeps your corrections)"),
    ("1 … 9", "review: link candidate 1 … 9 into the cursor's group (or group the two)"),
    ("x", "review: take the cursor sentence out of its group"),
    ("space", "review: mark / unmark the cursor sentence"),
    ("a / A", "review: add the marked sentences to the cursor's group / make them a new group with it"),
    ("s", "review: split the marked sentences off the group"),
    ("m", "review: mark the group to merge; on another group, merge the two"),
    ("c", "review: confirm the group as checked (again: take it back)"),
    ("z / Z", "review: undo / redo"),
    ("] / [", "review: next / previous suggestion (a pair just under the threshold)"),
    ("r", "review: next group not yet confirmed"),
    ("escape", "clear the marks"),
    ("e", "export (JSON, CSV, Markdown, HTML)"), ("click", "select a sentence's group (again: its next group)"),
    ("?", "this help"), ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    """Scrolls on a small screen: arrows, j / k, page keys, space, home and end."""

    AUTO_FOCUS = "#help"
    BINDINGS = [
        ("escape,q,question_mark", "app.pop_screen", "Close"),
        ("j,tab", "scroll(1)", "Down"),
        ("k,shift+tab", "scroll(-1)", "Up"),
        ("space", "page(1)", "Page down"),
    ]

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        help_box = self.query_one("#help", VerticalScroll)
        help_box.scroll_relative(y=pages * max(help_box.scrollable_content_region.height - 1, 1), animate=False)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        with VerticalScroll(id="help"):
            yield Static("diffnews keys  (escape closes; ↓ j space scroll)", classes="help-title")
            yield Static(table)
            yield Static(legend_text())
