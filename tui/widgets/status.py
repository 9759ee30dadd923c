"""One line of state: alignment progress, threshold, filter, position."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    def say(self, message: str, error: bool = False) -> None:
        self.update(Text(message, style="bold red" if error else ""))
