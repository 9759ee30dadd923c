"""The marks both views share: colour families (Okabe-Ito, colour-blind safe) and type glyphs."""

from __future__ import annotations

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
# Never colour alone: each divergence type has a glyph shown after the detail.
TYPE_GLYPH: dict[DivergenceType, str] = {"conflict": "≠", "variant": "≈", "missing": "+"}
TYPE_MEANING: dict[DivergenceType, str] = {
    "conflict": "differs", "variant": "spelt differently", "missing": "only here",
}
