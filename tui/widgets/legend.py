"""What the colours, glyphs and marks mean."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui import palette


SHORT_MEANING = {"conflict": "differs", "variant": "variant", "missing": "only here"}


def legend_text(short: bool = False) -> Text:
    """The legend; `short` for the bar under the panels (family names, not their kinds)."""
    out = Text()
    for family, colour in palette.FAMILY_COLOUR.items():
        out.append("■ ", style=colour)
        out.append((family if short else palette.FAMILY_LABEL[family]) + "  ")
    out.append("  ")
    for kind_type, glyph in palette.TYPE_GLYPH.items():
        out.append(glyph, style=palette.TYPE_STYLE[kind_type])
        out.append(f" {(SHORT_MEANING if short else palette.TYPE_MEANING)[kind_type]}  ")
    out.append(f"  {palette.ALIGNED_MARK} aligned  {palette.CORRECTED_MARK} corrected  "
               f"{palette.CONFIRMED_MARK} confirmed  {palette.SUGGESTED_MARK} suggestion  "
               f"{palette.MARKED_MARK} marked  {palette.UNIQUE_MARK} unique  ")
    out.append("dim", style=palette.BOILERPLATE)
    out.append(" boilerplate")
    return out


class Legend(Static):
    def on_mount(self) -> None:
        self.update(legend_text(short=True))
