"""A small dialog asking where and in which format to export."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from align.export import FORMATS, format_of


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Returns (format, path), or None when cancelled. The path has the focus: e, Enter exports."""

    BINDINGS = [("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#export-path"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label("Export the alignment")
            yield Select([(f, f) for f in FORMATS], value="json", allow_blank=False, id="export-format")
            yield Input(value="diffnews-alignment.json", id="export-path")
            with Horizontal():
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """A format chosen gives the path its suffix (unless the path already names that format)."""
        path = self.query_one("#export-path", Input)
        if format_of(path.value) != event.value:
            stem = path.value.rsplit(".", 1)[0] if "." in path.value else path.value
            path.value = f"{stem}.{event.value}"

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """The format box follows the path's suffix: it shows what will be written."""
        named = format_of(event.value)
        chosen = self.query_one("#export-format", Select)
        if named is not None and chosen.value != named:
            chosen.value = named

    @on(Button.Pressed, "#export-ok")
    @on(Input.Submitted, "#export-path")
    def _export(self) -> None:
        """Export in the format the path's suffix names, or else the one selected."""
        path = self.query_one("#export-path", Input).value.strip()
        self.dismiss((format_of(path) or str(self.query_one("#export-format", Select).value), path))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
