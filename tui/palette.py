"""How the viewer marks things: colours from the Okabe-Ito colour-blind-safe set, always with a glyph or a text style too."""

from __future__ import annotations

from rich.style import Style

from align.model import DetailKind, DivergenceType

# Detail kinds fall into five families, each with one colour.
KIND_FAMILY: dict[DetailKind, str] = {
    "number": "figure", "money": "figure", "percent": "figure",
    "date": "time", "weekday": "time", "time": "time", "duration": "time",
    "name": "name", "quote": "quote", "negation": "negation",
}
FAMILY_COLOUR = {
    "figure": "#E69F00",  # orange
    "time": "#56B4E9",  # sky blue
    "name": "#CC79A7",  # reddish purple
    "quote": "#009E73",  # bluish green
    "negation": "#D55E00",  # vermillion
}
FAMILY_LABEL = {
    "figure": "number, money, %", "time": "date, day, time, duration",
    "name": "name", "quote": "quote", "negation": "negation",
}
# Each divergence type has its glyph (shown after the detail) and its text style.
TYPE_GLYPH: dict[DivergenceType, str] = {"conflict": "≠", "variant": "≈", "missing": "+"}
TYPE_STYLE: dict[DivergenceType, Style] = {
    "conflict": Style(bold=True, underline2=True),
    "variant": Style(italic=True, underline=True),
    "missing": Style(bold=True),
}
TYPE_MEANING: dict[DivergenceType, str] = {
    "conflict": "differs", "variant": "spelt differently", "missing": "only here",
}

ALIGNED = Style(bgcolor="grey15")
UNIQUE = Style(italic=True)
BOILERPLATE = Style(dim=True)
SELECTED = Style(bold=True, bgcolor="#1f3a5f")
SEARCH_HIT = Style(reverse=True)
ALIGNED_MARK = "▏"  # before every aligned sentence
SELECTED_MARK = "▶"  # before the members of the selected group
UNIQUE_MARK = "◇"  # before a sentence in no group


def detail_style(kind: DetailKind, kind_type: DivergenceType) -> Style:
    """The style of a divergent detail: its family's colour plus its type's text style."""
    return Style(color=FAMILY_COLOUR[KIND_FAMILY[kind]]) + TYPE_STYLE[kind_type]
