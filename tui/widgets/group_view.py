"""The details of the selected group: each member's sentence, the pair scores, the divergences."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from align.listing import listed
from align.model import Alignment, Group, Member
from tui import palette
from tui.render import visible

ORIGIN_NOTE = {"matcher": "", "corrected": "  ·  corrected by you", "confirmed": "  ·  confirmed by you"}


class GroupView(Static):
    def show(self, alignment: Alignment | None, group: Group | None, note: str = "",
             cursor: Member | None = None) -> None:
        if alignment is None or group is None:
            self.update(Text(note or "No group selected.", style="dim"))
            return
        names = [a.name for a in alignment.articles]
        out = Text(f"Group {group.id + 1} of {len(alignment.groups)}", style="bold")
        out.append(f"  score {group.score:.2f}  ·  {len(group.articles())} articles")
        out.append(ORIGIN_NOTE[group.origin] + "\n", style="bold")
        for m in group.members:
            out.append(f"{palette.SELECTED_MARK if m == cursor else ' '}{m.article + 1}·{m.sentence + 1} ", style="bold")
            out.append(visible(alignment.sentence(m).text) + "\n")
        scores = "  ".join(f"{_name(p.a)}–{_name(p.b)} {p.score:.2f}" for p in group.pairs)
        out.append(f"pairs (link probability): {scores}\n", style="dim")
        if not group.divergences:
            out.append("No divergent details.", style="dim")
        numbers = [str(n + 1) for n in range(len(names))]
        for line in listed(group):
            out.append(visible(line.label(numbers)), style=palette.detail_style(line.kind, line.type))
            out.append(f"  {line.type}\n", style="dim")
        self.update(out)


def _name(member: Member) -> str:
    return f"{member.article + 1}·{member.sentence + 1}"
