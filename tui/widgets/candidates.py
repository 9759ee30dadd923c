"""The cursor sentence's best candidates in the other articles: what a digit key links. Each is
marked as in the columns: `?` a suggestion, `▏` in a group already, `◇` in none."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from align.candidates import SUGGESTION_MARGIN, Candidate
from align.model import Alignment, Member
from tui import palette
from tui.render import visible

class CandidatesView(Static):
    def show(self, alignment: Alignment | None, focus: Member | None, found: tuple[Candidate, ...]) -> None:
        if alignment is None or focus is None:
            self.update(Text("Candidates of the selected sentence show here.", style="dim"))
            return
        out = Text(f"Candidates for {focus.article + 1}·{focus.sentence + 1}", style="bold", no_wrap=True,
                   overflow="ellipsis")
        out.append("  (a digit links one in)\n", style="dim")
        if not found:
            out.append("none: no other article has a sentence to offer", style="dim")
        for n, candidate in enumerate(found[:9], 1):
            m = candidate.member
            out.append(f"{n} ", style="bold reverse")
            suggested = alignment.threshold - SUGGESTION_MARGIN <= candidate.score < alignment.threshold
            grouped = palette.ALIGNED_MARK if alignment.groups_of(m) else palette.UNIQUE_MARK
            out.append(f"{m.article + 1}·{m.sentence + 1:<3} {candidate.score:.2f} "
                       f"{palette.SUGGESTED_MARK if suggested else ' '}{grouped} ")
            if candidate.apart:
                out.append(f"({candidate.apart}) ", style="dim italic")
            out.append(" ".join(visible(alignment.sentence(m).text).split()) + "\n")
        self.update(out)
