"""A group's divergences as a reader wants them listed: conflicts and variants first, then each
detail that some members state and others do not, once, naming both sides.

A group of seven sentences can hold twenty divergences, most of them the same quote missing
against each member that does not print it; listed one by one they hide the conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from align.model import DetailKind, Divergence, DivergenceType, Group

_ORDER = {"conflict": 0, "variant": 1, "missing": 2}


@dataclass(frozen=True)
class Line:
    """One line of a group's divergences: a conflict or a variant between two articles, or a
    detail stated in `stated` and missing in `missing` (article indices, in order), standing for
    every missing divergence between them."""

    divergences: tuple[Divergence, ...]
    stated: tuple[int, ...]
    missing: tuple[int, ...]

    @property
    def kind(self) -> DetailKind:
        return self.divergences[0].kind

    @property
    def type(self) -> DivergenceType:
        return self.divergences[0].type

    def label(self, names: Sequence[str]) -> str:
        """'Thursday ≠ Saturday (weekday): 000 / 004', or '"satisfied" (quote): in 001, not in 000, 002'."""
        first = self.divergences[0]
        if self.type != "missing":
            return f"{first.label()}: {names[first.a.article]} / {names[first.b.article]}"
        span = first.a_span or first.b_span
        text = span.text if span else ""
        stated = ", ".join(names[a] for a in self.stated)
        missing = ", ".join(names[a] for a in self.missing)
        return f"{text} ({self.kind}): in {stated}, not in {missing}"


def listed(group: Group) -> tuple[Line, ...]:
    """The group's divergences as lines: conflicts, then variants, then missing details, one line
    per detail (the same text of the same kind stated by the same articles)."""
    lines: list[Line] = []
    missing: dict[tuple[str, str], list[Divergence]] = {}
    for d in sorted(group.divergences, key=lambda d: _ORDER[d.type]):
        span = d.a_span or d.b_span
        if d.type != "missing" or span is None:
            lines.append(Line((d,), (d.a.article, d.b.article), ()))
        else:
            missing.setdefault((d.kind, span.text.lower()), []).append(d)
    for found in missing.values():
        stating = sorted({(d.a if d.a_span else d.b).article for d in found})
        lacking = sorted({(d.b if d.a_span else d.a).article for d in found} - set(stating))
        lines.append(Line(tuple(found), tuple(stating), tuple(lacking)))
    return tuple(lines)
