"""The sentence cursor: one sentence of the selected group (or one on its own) that the review
keys act on, moved through an article, across articles, and through a sentence's groups."""

from __future__ import annotations

from textual.binding import Binding

from align.candidates import candidates
from align.model import Member

CURSOR_BINDINGS = [
    Binding("J", "move_sentence(1)", "Sentence", key_display="J/K", show=False),
    Binding("K", "move_sentence(-1)", "Previous sentence", show=False),
    Binding("l", "move_article(1)", "Next article", show=False),
    Binding("h", "move_article(-1)", "Previous article", show=False),
    Binding("o", "other_group", "Other group of the sentence", show=False),
]


class CursorKeys:
    """Mixed into DiffApp: the actions of CURSOR_BINDINGS."""

    def action_move_sentence(self, step: int) -> None:
        """The next (or previous) sentence of the cursor's article, page furniture skipped."""
        focus = self.view.focus
        if focus is None or self.view.alignment is None:
            self.bell()
            return
        sentences = self.articles[focus.article].sentences
        index = focus.sentence + step
        while 0 <= index < len(sentences) and sentences[index].boilerplate:
            index += step
        if not 0 <= index < len(sentences):
            self.bell()
            return
        self.put_cursor(Member(focus.article, index))

    def action_move_article(self, step: int) -> None:
        """The cursor to the next (previous) article: onto the selected group's sentence there, or
        else onto that article's best candidate for the cursor sentence."""
        focus, alignment = self.view.focus, self.view.alignment
        if focus is None or alignment is None or self.prepared is None or len(self.articles) < 2:
            self.bell()
            return
        article = (focus.article + step) % len(self.articles)
        there = [m for m in (self.view.selected.members if self.view.selected else ()) if m.article == article]
        if not there:
            best = [c.member for c in candidates(self.prepared.pair_scores, alignment, focus, per_article=1)]
            there = [m for m in best if m.article == article]
        if there:
            self.put_cursor(there[0])
        else:
            self.bell()

    def action_other_group(self) -> None:
        """The next group holding the cursor sentence (a sentence that makes two statements)."""
        focus = self.view.focus
        groups = self._shown_groups_of(focus) if focus else []
        if len(groups) < 2:
            self.bell()
            return
        now = groups.index(self.view.selected) if self.view.selected in groups else -1
        self._select(groups[(now + 1) % len(groups)], focus=focus)

    def put_cursor(self, member: Member) -> None:
        """Move the cursor to `member`: the selected group stays if it holds the sentence, else
        the sentence's strongest group is selected, or the sentence alone."""
        if self.view.selected and member in self.view.selected.members:
            self._select(self.view.selected, focus=member)
            return
        groups = self._shown_groups_of(member)
        if groups:
            self._select(groups[0], focus=member)
        else:
            self._focus_sentence(member)
