"""How the viewer marks things: the shared palette plus terminal text styles, so colour is never alone."""

from __future__ import annotations

from rich.style import Style

from align.model import DetailKind, DivergenceType
from align.palette import FAMILY_COLOUR, FAMILY_LABEL, KIND_FAMILY, TYPE_GLYPH, TYPE_MEANING

__all__ = ["FAMILY_COLOUR", "FAMILY_LABEL", "KIND_FAMILY", "TYPE_GLYPH", "TYPE_MEANING", "detail_style"]

TYPE_STYLE: dict[DivergenceType, Style] = {
    "conflict": Style(bold=True, underline2=True),
    "variant": Style(italic=True, underline=True),
    "missing": Style(bold=True),
}

ALIGNED = Style(bgcolor="grey15")
UNIQUE = Style(italic=True)
BOILERPLATE = Style(dim=True)
SELECTED = Style(bold=True, bgcolor="#1f3a5f")
CURSOR = Style(bold=True, underline=True, bgcolor="#2f5a8f")  # the selected sentence of the group
SEARCH_HIT = Style(reverse=True)
ALIGNED_MARK = "▏"  # before every aligned sentence
SELECTED_MARK = "▶"  # before the members of the selected group
UNIQUE_MARK = "◇"  # before a sentence in no group
CONFIRMED_MARK = "✓"  # before a sentence of a group the reader confirmed
CORRECTED_MARK = "±"  # before a sentence of a group the reader changed
SUGGESTED_MARK = "?"  # before a sentence with a suggestion: a pair just under the threshold
MARKED_MARK = "●"  # before a sentence the reader marked (space), for add, split or a new group


def detail_style(kind: DetailKind, kind_type: DivergenceType) -> Style:
    """The style of a divergent detail: its family's colour plus its type's text style."""
    return Style(color=FAMILY_COLOUR[KIND_FAMILY[kind]]) + TYPE_STYLE[kind_type]
