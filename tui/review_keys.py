"""Review: the keys that correct the matcher's groups, undo and redo them, and visit what needs
a reader's look (suggestions, groups not yet confirmed). Every change is saved at once to the
review file and the groups and their divergences are found again."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

from align import regroup
from align import review as rv
from align.model import DiffnewsError, Group, Member

REVIEW_BINDINGS = [
    Binding("1", "accept(1)", "Link", key_display="1-9"),
    *[Binding(str(k), f"accept({k})", f"Link candidate {k}", show=False) for k in range(2, 10)],
    Binding("x", "remove", "Remove"),
    Binding("space", "mark", "Mark", key_display="␣", show=False),
    Binding("a", "add_marked", "Add marked", show=False),
    Binding("A", "group_marked", "Group marked", show=False),
    Binding("s", "split", "Split", show=False),
    Binding("m", "merge", "Merge", show=False),
    Binding("c", "confirm", "Confirm"),
    Binding("z", "undo", "Undo", key_display="z/Z"),
    Binding("Z", "redo", "Redo", show=False),
    Binding("right_square_bracket", "next_suggestion(1)", "Suggestion", key_display="]/["),
    Binding("left_square_bracket", "next_suggestion(-1)", "Previous suggestion", show=False),
    Binding("r", "next_unconfirmed", "Next unconfirmed group", show=False),
]


class ReviewKeys:
    """Mixed into DiffApp: the actions of REVIEW_BINDINGS."""

    # -- corrections -----------------------------------------------------------------------------

    def action_accept(self, number: int) -> None:
        """Link candidate `number` into the cursor sentence's group, or make a group of the two."""
        found = self._candidates()
        if not self._can_edit() or number > len(found):
            self.bell()
            return
        focus, other = self.view.focus, found[number - 1].member
        group = self._group_at_cursor()
        self._edit(rv.add(self.review, self.view.alignment, group, focus, [other]),
                   set(group.members if group else [focus]) | {other}, f"linked {_name(other)}", [group])

    def action_remove(self) -> None:
        group = self._group_at_cursor()
        if not self._can_edit() or group is None:
            self.bell()
            return
        focus = self.view.focus
        rest = set(group.members) - {focus}
        self._edit(rv.remove(self.review, self.view.alignment, group, focus), rest,
                   f"took {_name(focus)} out of its group", [group])

    def action_mark(self) -> None:
        focus = self.view.focus
        if focus is None:
            self.bell()
            return
        self.view = replace(self.view, marks=self.view.marks ^ {focus})
        self._redraw()

    def action_add_marked(self) -> None:
        """Link the marked sentences into the cursor sentence's group (or group them with it)."""
        marks = self.view.marks - {self.view.focus}
        if not self._can_edit() or not marks:
            self._say_mark_first()
            return
        group = self._group_at_cursor()
        self._edit(rv.add(self.review, self.view.alignment, group, self.view.focus, marks),
                   set(group.members if group else [self.view.focus]) | marks, f"linked {len(marks)} marked", [group])

    def action_group_marked(self) -> None:
        """A new group of the cursor sentence and the marked ones; their other groups stay."""
        members = self.view.marks | {self.view.focus}
        if not self._can_edit() or len({m.article for m in members}) < 2:
            self._say_mark_first()
            return
        self._edit(rv.add(self.review, self.view.alignment, None, self.view.focus, self.view.marks), members,
                   "made a new group", [])

    def action_split(self) -> None:
        """The marked sentences of the group leave it, as a group of their own."""
        group = self._group_at_cursor()
        leaving = self.view.marks & set(group.members) if group else set()
        if not self._can_edit() or not leaving or leaving == set(group.members):
            self._say_mark_first()
            return
        keep = leaving if self.view.focus in leaving else set(group.members) - leaving
        self._edit(rv.split(self.review, self.view.alignment, group, leaving), keep, "split the group", [group])

    def action_merge(self) -> None:
        """First press: mark this group; on another group: merge the marked one into it."""
        group = self._group_at_cursor()
        if not self._can_edit() or group is None:
            self.bell()
        elif self.merging is None or self.merging == group:
            self.merging = None if self.merging == group else group
            self.edit_note = f"group {group.id + 1} marked: press m on another group to merge" if self.merging else ""
            self._redraw_status()
        else:
            other, self.merging = self.merging, None
            self._edit(rv.merge(self.review, self.view.alignment, group, other),
                       set(group.members) | set(other.members), "merged two groups", [group, other])

    def action_confirm(self) -> None:
        group = self._group_at_cursor()
        if not self._can_edit() or group is None:
            self.bell()
            return
        note = "took back the confirmation" if group.origin == "confirmed" else "confirmed the group"
        self._edit(rv.confirm(self.review, self.view.alignment, group), set(group.members), note, [group])

    def action_undo(self) -> None:
        self._step_history(self.undone, self.redone, "undid")

    def action_redo(self) -> None:
        self._step_history(self.redone, self.undone, "redid")

    def _step_history(self, source: list[rv.Review], target: list[rv.Review], verb: str) -> None:
        if not self._can_edit() or not source:
            self.bell()
            return
        target.append(self.review)
        self._commit(source.pop(), set(self.view.selected.members) if self.view.selected else set(),
                     f"{verb} a change")

    # -- what needs review -----------------------------------------------------------------------

    def action_next_suggestion(self, step: int) -> None:
        """The cursor to the next sentence with a pair just under the threshold."""
        starts = sorted({a for a, _, _ in self.suggestion_list})
        if not starts:
            self.bell()
            return
        focus = self.view.focus
        later = [m for m in starts if focus is None or (m > focus if step > 0 else m < focus)]
        self.put_cursor((later[0] if step > 0 else later[-1]) if later else starts[0 if step > 0 else -1])

    def action_next_unconfirmed(self) -> None:
        groups = [g for g in self._visitable() if g.origin != "confirmed"]
        if not groups:
            self.bell()
            return
        now = self.view.selected.id if self.view.selected else -1
        self._select(next((g for g in groups if g.id > now), groups[0]))

    def review_summary(self) -> list[str]:
        """The status line's part on the review."""
        alignment = self.view.alignment
        counts = {o: sum(g.origin == o for g in alignment.groups) for o in ("corrected", "confirmed")} if alignment else {}
        parts = [f"{n} {origin}" for origin, n in counts.items() if n]
        if alignment and alignment.stale:
            parts.append(f"{len(alignment.stale)} stale")
        if self.view.marks:
            parts.append(f"{len(self.view.marks)} marked")
        if self.edit_note:
            parts.append(self.edit_note)
        return parts

    # -- the machinery -------------------------------------------------------------------------

    def _can_edit(self) -> bool:
        return self.prepared is not None and self.view.alignment is not None and self.view.focus is not None

    def _group_at_cursor(self) -> Group | None:
        selected = self.view.selected
        return selected if selected and self.view.focus in selected.members else None

    def _say_mark_first(self) -> None:
        self.bell()
        self.edit_note = "mark sentences of another article first (space), then a or A; s splits marked ones off"
        self._redraw_status()

    def _edit(self, review: rv.Review, keep: set[Member], note: str, touched: list[Group | None]) -> None:
        """Apply a correction of the groups `touched`; the note also says what changed elsewhere."""
        if review == self.review:
            self.bell()
            return
        self.undone.append(self.review)
        self.redone.clear()
        before = self.view.alignment
        self._commit(review, keep, note)
        elsewhere = _changed_elsewhere(before.groups if before else (), self.view.alignment.groups,
                                       {g.members for g in touched if g is not None})
        if elsewhere:
            self.edit_note = f"{note}; also {', '.join(elsewhere)}"
            self._redraw_status()

    def _commit(self, review: rv.Review, keep: set[Member], note: str) -> None:
        """Apply `review`, save it, and select the group that is now `keep` (or the closest)."""
        resolved = self._resolve(review)
        self.review = resolved.review
        self._save()
        self._show_alignment(regroup(self.prepared, self.threshold, resolved), resolved)
        self.merging = None
        self.view = replace(self.view, marks=frozenset())
        focus = self.view.focus
        groups = self.view.alignment.groups
        exact = [g for g in groups if set(g.members) == keep]
        near = sorted((g for g in groups if focus in g.members), key=lambda g: -len(set(g.members) & keep))
        target = (exact or near or [None])[0]
        if target is not None:
            self._select(target, focus=focus if focus in target.members else None)
        elif focus is not None:
            self._focus_sentence(focus)
        self.edit_note = note
        self._redraw_status()

    def _save(self) -> None:
        if self.sidecar is None:
            if not self.unsaved_told:
                self.unsaved_told = True
                self.notify("corrections are kept only until you quit: open the articles with --review FILE "
                            "to save them", severity="warning", timeout=10)
            return
        try:
            warning = self.sidecar.write(self.review, self.articles, self.threshold)
        except DiffnewsError as error:
            self.notify(str(error), severity="error", timeout=10)
        else:
            if warning:
                self.notify(warning, severity="warning", timeout=10)


def _changed_elsewhere(before: tuple[Group, ...], after: tuple[Group, ...],
                       touched: set[tuple[Member, ...]]) -> list[str]:
    """What an edit changed in groups other than those it was asked to change: each sentence that
    left such a group, or the group gone, in words."""
    now = [set(g.members) for g in after]
    said = []
    for g in before:
        if g.members in touched or set(g.members) in now:
            continue
        closest = max(now, key=lambda members: len(members & set(g.members)), default=set())
        left = sorted(set(g.members) - closest)
        if len(closest & set(g.members)) < 2:
            said.append(f"group {g.id + 1} undone")
        elif left:
            said.append(f"took {', '.join(map(_name, left))} out of group {g.id + 1}")
    return said


def _name(member: Member) -> str:
    return f"{member.article + 1}·{member.sentence + 1}"
