"""One article: its name and source on top, its paragraphs below, scrolled on its own."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from align.model import Article, Sentence
from tui.render import View, paragraph_text, visible


class Paragraph(Static):
    """A paragraph of an article, redrawn whenever the view changes."""

    def __init__(self, article_index: int, article: Article, sentences: list[Sentence]) -> None:
        super().__init__(markup=False)
        self.article_index, self.article, self.sentences = article_index, article, sentences

    def show(self, view: View) -> None:
        self.update(paragraph_text(self.article_index, self.article, self.sentences, view))


class ArticleColumn(Vertical):
    """An article in its own order, wrapped, paragraphs kept."""

    def __init__(self, article_index: int, article: Article) -> None:
        super().__init__(id=f"article-{article_index}", classes="column")
        self.article_index, self.article = article_index, article
        self.paragraphs: dict[int, Paragraph] = {}
        for sentence in article.sentences:
            if sentence.paragraph not in self.paragraphs:
                self.paragraphs[sentence.paragraph] = Paragraph(article_index, article, [])
            self.paragraphs[sentence.paragraph].sentences.append(sentence)

    def compose(self) -> ComposeResult:
        title = Text(f"{self.article_index + 1} ", style="bold") + Text(visible(self.article.name), style="bold")
        title.append(f"\n{visible(self.article.source)}", style="dim")
        yield Static(title, classes="column-title", markup=False)
        with VerticalScroll(classes="column-body", can_focus=True):
            yield from self.paragraphs.values()

    def show(self, view: View) -> None:
        for paragraph in self.paragraphs.values():
            paragraph.show(view)

    def scroll_to_sentence(self, index: int) -> None:
        """Bring a sentence into the middle of the column."""
        sentence = self.article.sentences[index]
        paragraph = self.paragraphs[sentence.paragraph]
        body = self.query_one(".column-body", VerticalScroll)
        width = max(paragraph.content_region.width, 1)
        before = sum(len(s.text) + 3 for s in paragraph.sentences if s.index < index)
        line = paragraph.virtual_region.y + before // width
        body.scroll_to(y=max(line - body.content_region.height // 2, 0), animate=False)
