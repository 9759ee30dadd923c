"""Turn article paragraphs into styled text for the current view; article text stays plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rich.style import Style
from rich.text import Text

from align.model import Alignment, Article, Divergence, Group, Member, Sentence
from align.safe import visible as safe_visible
from tui import palette


_STRENGTH = {"conflict": 2, "variant": 1, "missing": 0}


class Filter(str, Enum):
    all = "all"
    conflicts = "conflicts"  # groups with a conflict or a spelling variant: what a fact-checker hunts
    unique = "unique"


@dataclass(frozen=True)
class View:
    """What the user is looking at; the app replaces it, widgets only read it."""

    alignment: Alignment | None = None
    selected: Group | None = None
    divergence: Divergence | None = None
    focus: Member | None = None  # the cursor: a sentence of the selected group, or one on its own
    filter: Filter = Filter.all
    query: str = ""
    marks: frozenset[Member] = frozenset()  # sentences the reader marked
    suggested: frozenset[Member] = frozenset()  # sentences of the pairs just under the threshold

    def shown(self, group: Group) -> bool:
        """Whether the filter lets this group be marked and visited."""
        if self.filter is Filter.unique:
            return False
        return self.filter is Filter.all or any(d.type != "missing" for d in group.divergences)


def visible(text: str) -> str:
    """Article text safe to draw: control characters as symbols, tabs as spaces (one for one)."""
    return safe_visible(text).replace("\t", " ")


def paragraph_text(article_index: int, article: Article, sentences: list[Sentence], view: View) -> Text:
    """One paragraph as styled text: marks, highlights and divergences for `view`."""
    out = Text(no_wrap=False, end="")
    selected = set(view.selected.members) if view.selected else set()
    for n, sentence in enumerate(sentences):
        if n:
            out.append(visible(article.text[sentences[n - 1].end : sentence.start]))
        member = Member(article_index, sentence.index)
        mark, style = _sentence_look(member, sentence, view, member in selected)
        click = Style.from_meta({"@click": f"app.select_sentence({article_index}, {sentence.index})"})
        if mark:
            out.append(mark + " ", style + click)
        body = _sentence_text(member, sentence, view, member in selected)
        body.stylize_before(style + click)
        out.append(body)
    return out


def _sentence_look(member: Member, sentence: Sentence, view: View, is_selected: bool) -> tuple[str, Style]:
    if sentence.boilerplate:
        return "", palette.BOILERPLATE
    if view.alignment is None:
        return "", Style()
    if is_selected or member == view.focus:
        return palette.SELECTED_MARK, palette.CURSOR if member == view.focus else palette.SELECTED
    every = view.alignment.groups_of(member)
    groups = [g for g in every if view.shown(g)]
    style = palette.ALIGNED if groups else palette.UNIQUE if not every and view.filter is not Filter.conflicts else Style()
    if member in view.marks:
        return palette.MARKED_MARK, style
    if member in view.suggested:
        return palette.SUGGESTED_MARK, style
    if groups:
        origin = groups[0].origin
        return {"confirmed": palette.CONFIRMED_MARK, "corrected": palette.CORRECTED_MARK}.get(
            origin, palette.ALIGNED_MARK), style
    if not every:
        return palette.UNIQUE_MARK, style
    return "", Style()


def _sentence_text(member: Member, sentence: Sentence, view: View, is_selected: bool) -> Text:
    text = Text(visible(sentence.text), end="")
    if view.query:
        for hit in re.finditer(re.escape(view.query), sentence.text, re.IGNORECASE):
            text.stylize(palette.SEARCH_HIT, hit.start(), hit.end())
    if not (is_selected and view.selected):
        return text
    # one glyph after a detail: the divergence shown, else its strongest (a detail that conflicts
    # with one article and is missing from another reads "Sunday≠", not "Sunday+≠")
    glyphs: dict[int, tuple[int, str, Style]] = {}
    for divergence in view.selected.divergences:
        for span in (divergence.a_span, divergence.b_span):
            if span is None or span.member != member:
                continue
            style = palette.detail_style(divergence.kind, divergence.type)
            if divergence == view.divergence:
                style += Style(reverse=True)
            start, end = span.start - sentence.start, span.end - sentence.start
            text.stylize(style, start, end)
            rank = 3 if divergence == view.divergence else _STRENGTH[divergence.type]
            if end not in glyphs or rank > glyphs[end][0]:
                glyphs[end] = (rank, palette.TYPE_GLYPH[divergence.type], style)
    # Glyphs go in from the back, so earlier offsets stay right.
    for end, (_, glyph, style) in sorted(glyphs.items(), reverse=True):
        text = text[:end] + Text(glyph, style=style, end="") + text[end:]
    return text
