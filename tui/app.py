"""DiffApp: the side-by-side viewer. Compose, bindings, the alignment worker and navigation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input
from textual.worker import WorkerCancelled, get_current_worker

from align import Prepared, prepare, regroup
from align import review as rv
from align.candidates import candidates, suggestions
from align.embed import Embedder
from align.language import LanguageCheck
from align.pair_model import PairModel
from align.export import render, write_atomic
from align.model import Alignment, Article, DiffnewsError, Divergence, Group, Member
from tui.cursor_keys import CURSOR_BINDINGS, CursorKeys
from tui.messages import AlignmentFailed, AlignmentProgress, AlignmentReady
from tui.render import Filter, View
from tui.review_keys import REVIEW_BINDINGS, ReviewKeys
from tui.widgets.candidates import CandidatesView
from tui.widgets.column import ArticleColumn
from tui.widgets.export_dialog import ExportDialog
from tui.widgets.group_view import GroupView
from tui.widgets.help_screen import HelpScreen
from tui.widgets.legend import Legend
from tui.widgets.status import StatusBar

MIN_COLUMN_WIDTH = 30  # narrower than this, a column of prose is no longer readable
MIN_STACKED_HEIGHT = 8
SMALL_WIDTH = 100
THRESHOLD_STEP = 0.02


class DiffApp(CursorKeys, ReviewKeys, App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "diffnews"
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = ".column-body"  # the first article, so that keys go to the app, not a text box
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("j,down", "move_group(1)", "Group", key_display="j/k"),
        Binding("k,up", "move_group(-1)", "Previous group", show=False),
        *CURSOR_BINDINGS,
        Binding("n", "move_divergence(1)", "Diff", key_display="n/N"),
        Binding("N", "move_divergence(-1)", "Previous divergence", show=False),
        Binding("u", "next_unique", "Unique"),
        Binding("g", "edge(0)", "First group", show=False),
        Binding("G", "edge(-1)", "Last group", show=False),
        Binding("tab", "focus_next", "Next column", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("plus", "threshold(1)", "Threshold", key_display="+/-"),
        Binding("minus", "threshold(-1)", "Lower threshold", show=False),
        *REVIEW_BINDINGS,
        Binding("e", "export", "Export"),
        Binding("escape", "close_search", "Close search, clear marks", show=False),
    ]

    def __init__(self, articles: tuple[Article, ...], embedder: Embedder, threshold: float,
                 pair_model: PairModel | None = None, sidecar: rv.Sidecar | None = None,
                 review: rv.Review | None = None, languages: LanguageCheck | None = None) -> None:
        super().__init__()
        self.articles, self.embedder, self.threshold = articles, embedder, threshold
        self.languages = languages
        self.pair_model = pair_model
        self.prepared: Prepared | None = None
        self.view = View()
        self.status_note = "aligning: reading articles"
        self.sidecar, self.review = sidecar, review or rv.Review()
        self.undone: list[rv.Review] = []
        self.redone: list[rv.Review] = []
        self.merging: Group | None = None  # the group marked to be merged into another
        self.edit_note = ""
        self.stale_told = self.unsaved_told = False
        self.suggestion_list: tuple[tuple[Member, Member, float], ...] = ()
        self.cut: frozenset[frozenset[Member]] = frozenset()  # the links the reader took apart

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="columns"):
            for n, article in enumerate(self.articles):
                yield ArticleColumn(n, article)
        with Horizontal(id="details-box"):
            with VerticalScroll(id="details-scroll", can_focus=False):
                yield GroupView(id="details")
            with VerticalScroll(id="candidates-scroll", can_focus=False):
                yield CandidatesView(id="candidates")
        yield Input(placeholder="search all articles; enter: next hit, escape: close", id="search")
        yield Legend(id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self._redraw()
        self.align_in_background()
        if self.languages:
            self._tell_languages()

    @work(thread=True, group="languages")
    def _tell_languages(self) -> None:
        """A notice for each article not in English, once the language check is done."""
        for line in self.languages.result() if self.languages else ():
            self.call_from_thread(self.notify, line, severity="warning", timeout=15)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the columns out for the new size at once (the event carries it before the app's
        widgets have it), again once the widgets have it, and keep the selected group in view."""
        self._lay_out_columns(event.size.width)
        self._redraw_status()
        # On a small screen the legend keeps one line (the rest is in ? help), for the details.
        self.query_one(Legend).set_class(event.size.width < SMALL_WIDTH, "-one-line")
        self.call_after_refresh(self._after_resize)

    def _after_resize(self) -> None:
        self._lay_out_columns()
        self._redraw_status()
        if self.view.selected:
            focus = self.view.focus if self.view.focus in self.view.selected.members else None
            self._scroll_to_group(self.view.selected, focus, self.view.divergence)

    def _lay_out_columns(self, width: int | None = None) -> None:
        """Side by side while columns stay readable; else stacked, or only the articles that matter."""
        width = width or self.size.width
        columns = list(self.query(ArticleColumn))
        box = self.query_one("#columns")
        stacked = width < 2 * MIN_COLUMN_WIDTH and len(columns) > 1
        box.set_class(stacked, "-stacked")
        room = box.size.height // MIN_STACKED_HEIGHT if stacked else width // MIN_COLUMN_WIDTH
        visible = self._articles_worth_showing(max(room, 1))
        for column in columns:
            column.display = column.article_index in visible

    def _articles_worth_showing(self, room: int) -> set[int]:
        if len(self.articles) <= room:
            return set(range(len(self.articles)))
        wanted: list[int] = []
        if self.view.selected:
            wanted += list(self.view.selected.articles())
        if self.view.focus:
            wanted.append(self.view.focus.article)
        wanted += range(len(self.articles))
        return set(list(dict.fromkeys(wanted))[:room])

    # -- the alignment worker -------------------------------------------------------------------

    def align_in_background(self) -> None:
        """Align (or regroup at a new threshold) in a thread, with the reader's corrections."""
        resolved = self._resolve(self.review)
        self.review = resolved.review
        self._align(resolved)

    def _resolve(self, review: rv.Review) -> rv.Resolved:
        if self.sidecar:
            return self.sidecar.resolve(review, self.articles)
        return rv.resolve(review, self.articles, {}, [])

    @work(thread=True, exclusive=True, group="align")
    def _align(self, resolved: rv.Resolved) -> None:
        try:
            prepared = self.prepared or prepare(self.articles, self.embedder, self._report, model=self.pair_model)
            alignment = regroup(prepared, self.threshold, resolved)
        except WorkerCancelled:  # the viewer is closing: nobody waits for this alignment
            return
        except DiffnewsError as error:
            self.post_message(AlignmentFailed(str(error)))
        except Exception as error:  # shown in the app, never as a traceback over the screen
            self.post_message(AlignmentFailed(f"alignment failed: {type(error).__name__}: {error}"))
        else:
            self.post_message(AlignmentReady(prepared, alignment, resolved))

    def _report(self, stage: str, done: int, total: int) -> None:
        """Progress, from the worker; where the worker is cancelled (the viewer closing), the
        encoding stops at its next batch instead of running to its end."""
        if get_current_worker().is_cancelled:
            raise WorkerCancelled("the viewer is closing")
        self.post_message(AlignmentProgress(stage, done, total))

    @on(AlignmentProgress)
    def _alignment_progress(self, message: AlignmentProgress) -> None:
        if message.stage == "load":
            self.status_note = f"aligning: loading the model for {message.total} new sentences…"
        elif message.stage == "export":
            self.status_note = "aligning: preparing the model's fast copy (once)…"
        else:
            self.status_note = f"aligning: embedding sentences {message.done}/{message.total}"
        self._redraw_status()

    @on(AlignmentReady)
    def _alignment_ready(self, message: AlignmentReady) -> None:
        self.prepared = message.prepared
        alignment, resolved = message.alignment, message.resolved
        if resolved.review != self.review:  # corrected while the worker ran
            resolved = self._resolve(self.review)
            alignment = regroup(self.prepared, self.threshold, resolved)
        previous = self.view.focus or (self.view.selected.members[0] if self.view.selected else None)
        self._show_alignment(alignment, resolved)
        self.status_note = ""
        if self.embedder.warning:
            self.notify(self.embedder.warning, severity="warning")
        if alignment.stale and not self.stale_told:
            self.stale_told = True
            where = f" in {self.sidecar.path}" if self.sidecar else ""
            self.notify(f"{len(alignment.stale)} correction(s){where} no longer apply and are kept aside: "
                        f"{alignment.stale[0]}", severity="warning", timeout=10)
        kept = alignment.group_of(previous) if previous else None
        if kept or self._visitable():
            self._select(kept or self._visitable()[0], focus=previous if kept else None)
        else:
            self._redraw()

    @on(AlignmentFailed)
    def _alignment_failed(self, message: AlignmentFailed) -> None:
        self.status_note = message.error
        self.query_one(StatusBar).say(message.error, error=True)
        self.notify(message.error, severity="error", timeout=10)

    # -- navigation ----------------------------------------------------------------------------

    def _visitable(self) -> list[Group]:
        alignment = self.view.alignment
        return [g for g in alignment.groups if self.view.shown(g)] if alignment else []

    def _select(self, group: Group | None, divergence_index: int | None = None, focus: Member | None = None) -> None:
        """Select a group (and one of its divergences) with the cursor on `focus`, by default on its
        member in the cursor's article, or its first."""
        self.edit_note = ""
        divergence = group.divergences[divergence_index] if group and divergence_index is not None else None
        if group and focus not in group.members:
            here = [m for m in group.members if self.view.focus and m.article == self.view.focus.article]
            focus = (here or list(group.members))[0]
        self.view = replace(self.view, selected=group, divergence=divergence, focus=focus)
        self._redraw()
        if group is not None:
            self._scroll_to_group(group, focus, divergence)

    def _scroll_to_group(self, group: Group, focus: Member | None, divergence: Divergence | None = None) -> None:
        """Each column to its member of the group: the cursor's, the divergence's, or its first."""
        targets = {m.article: m for m in reversed(group.members)}  # each article's first member
        if focus:
            targets[focus.article] = focus
        for span in (divergence.a_span, divergence.b_span) if divergence else ():
            if span:
                targets[span.member.article] = span.member
        for member in targets.values():
            self._scroll_to(member)

    def _scroll_to(self, member: Member) -> None:
        column = self.query_one(f"#article-{member.article}", ArticleColumn)
        # after the next refresh, so that paragraph positions reflect the text just drawn
        self.call_after_refresh(column.scroll_to_sentence, member.sentence)

    def action_move_group(self, step: int) -> None:
        if self.view.filter is Filter.unique:
            self._move_unique(step)
            return
        groups = self._visitable()
        if not groups:
            self.bell()
            return
        if self.view.selected in groups:
            index = min(max(groups.index(self.view.selected) + step, 0), len(groups) - 1)
        else:
            index = 0 if step > 0 else len(groups) - 1
        self._select(groups[index])

    def action_edge(self, end: int) -> None:
        groups = self._visitable()
        if groups:
            self._select(groups[end])

    def action_move_divergence(self, step: int) -> None:
        stops = [(g, i) for g in self._visitable() for i in range(len(g.divergences))]
        if not stops:
            self.bell()
            return
        current = self.view.selected, self._divergence_index()
        if current in stops:
            position = (stops.index(current) + step) % len(stops)
        else:
            after = [k for k, (g, _) in enumerate(stops) if self.view.selected and g.id >= self.view.selected.id]
            position = (after[0] if after and step > 0 else 0) if step > 0 else len(stops) - 1
        group, index = stops[position]
        self._select(group, index)

    def _divergence_index(self) -> int | None:
        if self.view.selected and self.view.divergence:
            return self.view.selected.divergences.index(self.view.divergence)
        return None

    def action_next_unique(self) -> None:
        self._move_unique(1)

    def _move_unique(self, step: int) -> None:
        alignment = self.view.alignment
        unique = list(alignment.unaligned()) if alignment else []
        if not unique:
            self.bell()
            return
        if self.view.focus in unique:
            index = (unique.index(self.view.focus) + step) % len(unique)
        else:
            index = 0 if step > 0 else len(unique) - 1
        self._focus_sentence(unique[index])

    def _focus_sentence(self, member: Member) -> None:
        self.edit_note = ""
        self.view = replace(self.view, selected=None, divergence=None, focus=member)
        self._redraw()
        self._scroll_to(member)

    def action_select_sentence(self, article: int, sentence: int) -> None:
        """A click on a sentence: select its group (clicked again, its next group, for a sentence
        that makes several statements), or the sentence itself if it stands alone."""
        groups = self._shown_groups_of(Member(article, sentence))
        if not groups:
            self._focus_sentence(Member(article, sentence))
        elif self.view.selected in groups:
            self._select(groups[(groups.index(self.view.selected) + 1) % len(groups)])
        else:
            self._select(groups[0])

    def action_cycle_filter(self) -> None:
        order = list(Filter)
        self.view = replace(self.view, filter=order[(order.index(self.view.filter) + 1) % len(order)])
        if self.view.filter is Filter.unique:
            self._move_unique(1)
        elif self.view.selected not in self._visitable():
            groups = self._visitable()
            self._select(groups[0] if groups else None)
        else:
            self._redraw()

    def action_threshold(self, direction: int) -> None:
        if self.prepared is None:
            self.bell()
            return
        self.threshold = round(min(max(self.threshold + direction * THRESHOLD_STEP, 0.0), 1.0), 2)
        self.status_note = f"regrouping at threshold {self.threshold:.2f}…"
        self._redraw_status()
        self.align_in_background()

    # -- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_close_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            self.query_one(ArticleColumn).query_one(".column-body").focus()
        elif self.view.marks or self.merging:
            self.merging = None
            self.view = replace(self.view, marks=frozenset())
            self._redraw()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.view = replace(self.view, query=event.value)
        self._redraw()

    @on(Input.Submitted, "#search")
    def _next_hit(self, event: Input.Submitted) -> None:
        query = event.value.lower()
        hits = [Member(n, s.index) for n, a in enumerate(self.articles) for s in a.sentences
                if query and query in s.text.lower()]
        if not hits:
            self.notify(f"no sentence holds {event.value!r}", severity="warning")
            return
        later = [m for m in hits if self.view.focus is None or m > self.view.focus]
        hit = (later or hits)[0]
        group = next(iter(self._shown_groups_of(hit)), None)
        if group:
            self._select(group, focus=hit)
        else:
            self._focus_sentence(hit)

    def _shown_groups_of(self, member: Member) -> list[Group]:
        """The groups holding a sentence that the filter shows, strongest first."""
        groups = self.view.alignment.groups_of(member) if self.view.alignment else ()
        return [g for g in groups if self.view.shown(g)]

    # -- export and help -----------------------------------------------------------------------

    def action_export(self) -> None:
        if self.view.alignment is None:
            self.notify("the alignment is not ready yet", severity="warning")
            return
        self.push_screen(ExportDialog(), self._export)

    def _export(self, choice: tuple[str, str] | None) -> None:
        if not choice or self.view.alignment is None:
            return
        fmt, path = choice
        try:
            write_atomic(Path(path), render(self.view.alignment, fmt))
        except DiffnewsError as error:
            self.notify(str(error), severity="error", timeout=10)
        else:
            self.notify(f"wrote {path}")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # -- drawing -------------------------------------------------------------------------------

    def _redraw(self) -> None:
        alignment = self.view.alignment
        for column in self.query(ArticleColumn):
            column.show(self.view)
        self.query_one(GroupView).show(alignment, self.view.selected, self._details_note(), self.view.focus)
        self.query_one(CandidatesView).show(alignment, self.view.focus, self._candidates())
        self._lay_out_columns()
        self._redraw_status()

    def _details_note(self) -> str:
        if self.view.alignment is None:
            return "The articles are shown; their alignment is on its way."
        if self.view.focus:
            where = f"Sentence {self.view.focus.sentence + 1} of article {self.view.focus.article + 1}"
            groups = self.view.alignment.groups_of(self.view.focus)
            if groups:
                numbers = [str(g.id + 1) for g in sorted(groups, key=lambda g: g.id)]
                named = ", ".join(numbers[:-1]) + " and " + numbers[-1] if len(numbers) > 1 else numbers[0]
                return f"{where} is in group{'s' if len(numbers) > 1 else ''} {named}, which the filter hides."
            return f"{where} is in no group."
        return "No group to show with this filter." if not self._visitable() else ""

    def _candidates(self) -> tuple:
        """The cursor sentence's best candidates outside its selected group: what digits link."""
        focus, alignment = self.view.focus, self.view.alignment
        if focus is None or alignment is None or self.prepared is None or alignment.sentence(focus).boilerplate:
            return ()
        together = frozenset(self.view.selected.members) if self.view.selected else frozenset()
        return candidates(self.prepared.pair_scores, alignment, focus, together, cut=self.cut)

    def _show_alignment(self, alignment: Alignment, resolved: rv.Resolved) -> None:
        """Put a new alignment on screen (nothing selected yet), with its suggestions."""
        found = suggestions(self.prepared.pair_scores, alignment, resolved.cut) if self.prepared else ()
        self.suggestion_list, self.cut = found, resolved.cut
        self.view = replace(self.view, alignment=alignment, selected=None, divergence=None,
                            suggested=frozenset(m for a, b, _ in found for m in (a, b)))

    def _redraw_status(self) -> None:
        for bar in self.query(StatusBar):  # none while the viewer closes, and progress may still come
            bar.say(self.status_note or self._summary())

    def _summary(self) -> str:
        alignment: Alignment | None = self.view.alignment
        if alignment is None:
            return ""
        groups = self._visitable()
        parts = []
        if self.view.selected in groups:
            parts.append(f"group {groups.index(self.view.selected) + 1}/{len(groups)}")
        index = self._divergence_index()
        if index is not None and self.view.selected:
            parts.append(f"divergence {index + 1}/{len(self.view.selected.divergences)}")
        hidden = sum(not column.display for column in self.query(ArticleColumn))
        if hidden:
            parts.append(f"{len(self.articles) - hidden} of {len(self.articles)} articles shown")
        parts += [f"threshold {self.threshold:.2f}", f"filter: {self.view.filter.value}",
                  f"{len(alignment.groups)} group{'s' * (len(alignment.groups) != 1)} in {len(self.articles)} articles"]
        return "  ·  ".join(parts + self.review_summary())
