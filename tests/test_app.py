"""The viewer, driven with Pilot on the seeds and the real engine."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence

import numpy as np
import pytest

from align import DEFAULT_THRESHOLD, load_articles
from align.embed import Embedder
from align.model import Member
from tui import palette
from tui.app import THRESHOLD_STEP, DiffApp
from tui.render import Filter
from tui.widgets.column import ArticleColumn, Paragraph
from tui.widgets.group_view import GroupView
from tests.conftest import SEEDS, write


class GatedEmbedder(Embedder):
    """The real embedder, held back until the test opens the gate, and counting its calls."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__(inner.model, inner.cache.path if inner.cache else None)
        self.gate = threading.Event()
        self.calls = 0

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray:
        self.gate.wait(timeout=120)
        self.calls += 1
        return super().embed(texts, progress)


def paragraph_of(app: DiffApp, member: Member) -> Paragraph:
    column = app.query_one(f"#article-{member.article}", ArticleColumn)
    sentence = column.article.sentences[member.sentence]
    return column.paragraphs[sentence.paragraph]


def marked(app: DiffApp, member: Member) -> bool:
    """Whether the sentence is drawn with the selection mark in its column (divergence glyphs aside)."""
    def bare(text: str) -> str:
        return "".join(c for c in text if c not in palette.TYPE_GLYPH.values())

    text = bare(app.view.alignment.sentence(member).text) if app.view.alignment else ""
    return f"{palette.SELECTED_MARK} {text}" in bare(paragraph_of(app, member).content.plain)


async def ready(app: DiffApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def gated(embedder: Embedder) -> GatedEmbedder:
    gated = GatedEmbedder(embedder)
    gated.gate.set()
    return gated


async def test_first_paint_shows_every_column_before_the_alignment(embedder) -> None:
    gated = GatedEmbedder(embedder)
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        columns = list(app.query(ArticleColumn))
        assert [c.article_index for c in columns if c.display] == [0, 1, 2, 3, 4]
        assert app.view.alignment is None
        assert "on its way" in app.query_one(GroupView).content.plain
        assert "Biden and Putin met in Geneva in June." in "".join(
            p.content.plain for p in columns[1].paragraphs.values())
        gated.gate.set()
        await ready(app, pilot)
        assert app.view.alignment is not None and app.view.selected is not None


async def test_j_selects_the_next_group_and_marks_it_in_every_column(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        first = app.view.selected
        await pilot.press("j")
        second = app.view.selected
        assert second is not None and second != first
        assert len(second.articles()) >= 2
        for member in second.members:
            assert marked(app, member)
        assert not any(marked(app, m) for m in first.members if m not in second.members)
        await pilot.press("k")
        assert app.view.selected == first


async def test_n_walks_through_divergences(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        seen = []
        for _ in range(3):
            await pilot.press("n")
            divergence = app.view.divergence
            assert divergence is not None and divergence in app.view.selected.divergences
            span = divergence.a_span or divergence.b_span
            glyph = palette.TYPE_GLYPH[divergence.type]
            # the glyphs after a detail: one per type of divergence it has with the group's members
            marks = re.findall(re.escape(span.text) + f"([{''.join(palette.TYPE_GLYPH.values())}]+)",
                               paragraph_of(app, span.member).content.plain)
            assert any(glyph in found for found in marks)
            seen.append(divergence)
        assert len(set(seen)) == 3
        await pilot.press("N")
        assert app.view.divergence == seen[1]
        assert "divergence" in app.query_one("#status").content.plain


async def test_filter_key_cycles_what_is_shown(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("f")
        assert app.view.filter is Filter.conflicts
        hunted = [g for g in app.view.alignment.groups if any(d.type != "missing" for d in g.divergences)]
        assert 0 < len(hunted) < sum(bool(g.divergences) for g in app.view.alignment.groups)
        for _ in range(len(hunted) + 1):
            await pilot.press("j")
            assert app.view.selected in hunted
        await pilot.press("f")
        assert app.view.filter is Filter.unique
        assert app.view.selected is None and app.view.focus in app.view.alignment.unaligned()
        assert not any(palette.ALIGNED_MARK in p.content.plain for c in app.query(ArticleColumn)
                       for p in c.paragraphs.values())


async def test_threshold_keys_regroup_without_embedding_again(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        def aligned() -> int:
            return sum(len(g.members) for g in app.view.alignment.groups)

        before = aligned()
        await pilot.press("plus")
        await ready(app, pilot)
        assert app.view.alignment.threshold == round(DEFAULT_THRESHOLD + THRESHOLD_STEP, 2)
        assert aligned() < before
        await pilot.press("minus", "minus")
        await ready(app, pilot)
        assert app.view.alignment.threshold == round(DEFAULT_THRESHOLD - THRESHOLD_STEP, 2)
        assert aligned() > before
        assert gated.calls == 1


async def test_u_visits_unique_sentences(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("u")
        first = app.view.focus
        await pilot.press("u")
        assert first in app.view.alignment.unaligned() and app.view.focus != first
        assert marked(app, app.view.focus)


async def test_search_jumps_to_matching_sentences(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"geneva", "enter")
        hit = app.view.focus
        assert hit is not None and "geneva" in app.view.alignment.sentence(hit).text.lower()
        await pilot.press("enter")
        assert app.view.focus > hit
        await pilot.press("escape")
        assert not app.query_one("#search").display


async def test_a_search_hit_in_a_group_selects_the_group(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        query = app.view.alignment.sentence(app.view.alignment.groups[-1].members[-1]).text
        await pilot.press("slash")
        app.query_one("#search").value = query
        await pilot.press("enter")
        await pilot.pause()
        hit = app.view.focus
        assert hit is not None and query in app.view.alignment.sentence(hit).text
        assert app.view.selected is not None and app.view.selected == app.view.alignment.group_of(hit)
        assert "in no group" not in str(app.query_one(GroupView).render())
        # a sentence whose groups have no conflict or variant
        def hunted(g):
            return any(d.type != "missing" for d in g.divergences)

        quiet, member = next((g, m) for g in app.view.alignment.groups if not hunted(g) for m in g.members
                             if not any(hunted(other) for other in app.view.alignment.groups_of(m)))
        await pilot.press("escape", "f")  # conflicts and variants only: the quiet group is hidden
        assert app.view.filter is Filter.conflicts
        await pilot.press("slash")
        app.query_one("#search").value = app.view.alignment.sentence(member).text
        await pilot.press("enter")
        await pilot.pause()
        assert app.view.selected is None
        note = str(app.query_one(GroupView).render())
        assert re.search(rf"in groups? (\d+, )*(\d+ and )?{quiet.id + 1}\b.*, which the filter hides", note), note


async def test_export_dialog_writes_json(gated, tmp_path) -> None:
    app = DiffApp(load_articles(SEEDS[:3]), gated, DEFAULT_THRESHOLD)
    out = tmp_path / "export.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(out)
        await pilot.click("#export-ok")
        await pilot.pause()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "diffnews/1" and len(data["articles"]) == 3


async def test_export_dialog_opens_on_the_path_so_enter_exports(gated, tmp_path) -> None:
    app = DiffApp(load_articles(SEEDS[:2]), gated, DEFAULT_THRESHOLD)
    out = tmp_path / "report.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        path = app.screen.query_one("#export-path")
        assert app.focused is path
        path.value = str(out)  # the format selected was json; the suffix says Markdown
        await pilot.pause()
        assert app.screen.query_one("#export-format").value == "md"  # the box follows the suffix
        await pilot.press("enter")
        await pilot.pause()
    assert out.read_text(encoding="utf-8").startswith("# diffnews: 2 articles")


async def test_click_selects_the_sentence_group(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        alignment = app.view.alignment
        # a paragraph that opens with a sentence of a group other than the selected one
        clicked, expected = next(
            (m, alignment.group_of(m))
            for column in app.query(ArticleColumn) for p in column.paragraphs.values()
            for m in [Member(column.article_index, p.sentences[0].index)]
            if alignment.groups_of(m) and app.view.selected not in alignment.groups_of(m)
        )
        app.query_one(f"#article-{clicked.article}", ArticleColumn).scroll_to_sentence(clicked.sentence)
        await pilot.pause()
        await pilot.click(paragraph_of(app, clicked), offset=(2, 0))
        assert app.view.selected == expected


async def test_article_markup_and_escapes_are_shown_literally(gated, tmp_path) -> None:
    hostile = write(tmp_path, "hostile.txt",
                    "[bold]literal[/bold] and [link=https://example.org]link[/link] stay as typed.\n\n"
                    "The \x1b[31mred\x1b[0m escape and [@click=app.quit]quit[/] are data.")
    app = DiffApp(load_articles([hostile, SEEDS[0]]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        shown = "".join(p.content.plain for p in app.query_one("#article-0", ArticleColumn).paragraphs.values())
        assert "[bold]literal[/bold]" in shown and "[link=https://example.org]link[/link]" in shown
        assert "\x1b" not in shown and "␛[31mred" in shown
        screen = app.export_screenshot()
        assert "[bold]literal[/bold]" in screen
        await pilot.click("#article-0 Paragraph", offset=(8, 0))
        assert app.is_running


async def test_narrow_terminal_stacks_the_columns(gated) -> None:
    app = DiffApp(load_articles(SEEDS[1:3]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(50, 40)) as pilot:
        await ready(app, pilot)
        assert app.query_one("#columns").has_class("-stacked")
        assert all(c.display for c in app.query(ArticleColumn))
        first, second = app.query(ArticleColumn)
        assert second.region.y > first.region.y and second.region.x == first.region.x


async def test_five_articles_at_120_columns_show_the_selected_group(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        for _ in range(6):
            await pilot.press("j")
            shown = {c.article_index for c in app.query(ArticleColumn) if c.display}
            holding = set(app.view.selected.articles())
            assert len(shown) == 4 and (holding <= shown or shown <= holding)
        assert "4 of 5 articles shown" in app.query_one("#status").content.plain


async def test_at_80x24_help_and_quit_lead_the_key_bar_and_the_help_scrolls_to_its_end(gated) -> None:
    from textual.containers import VerticalScroll
    from textual.widgets._footer import FooterKey

    app = DiffApp(load_articles(SEEDS[:3]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        keys = [k for k in app.query(FooterKey) if k.region.width]
        assert [k.key for k in keys[:2]] == ["question_mark", "q"]
        assert all(k.region.right <= 80 for k in keys[:2])
        await pilot.press("question_mark")
        await pilot.pause()
        help_box = app.screen.query_one("#help", VerticalScroll)
        assert help_box.max_scroll_y > 0  # the keys do not fit at 80x24
        for key in ("j", "down", "pagedown", "space", "end"):
            before = help_box.scroll_y
            await pilot.press(key)
            await pilot.pause()
            assert help_box.scroll_y > before or help_box.scroll_y == help_box.max_scroll_y
        assert help_box.scroll_y == help_box.max_scroll_y
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_a_resize_lays_the_columns_out_at_once_and_keeps_the_group_in_view(gated) -> None:
    app = DiffApp(load_articles(SEEDS[:3]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        for _ in range(3):
            await pilot.press("j")
        assert "2 of 3 articles shown" in app.query_one("#status").content.plain
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert all(c.display for c in app.query(ArticleColumn))
        assert "articles shown" not in app.query_one("#status").content.plain
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        shown = [c for c in app.query(ArticleColumn) if c.display]
        assert len(shown) == 2 and all(c.region.width >= 30 for c in shown)
        await pilot.pause(0.2)
        for member in {m.article: m for m in reversed(app.view.selected.members)}.values():  # each one's first
            column = app.query_one(f"#article-{member.article}", ArticleColumn)
            if column.display and member.article != app.view.focus.article:
                assert paragraph_of(app, member).region.overlaps(column.region)
        assert paragraph_of(app, app.view.focus).region.overlaps(
            app.query_one(f"#article-{app.view.focus.article}", ArticleColumn).region)


async def test_an_article_not_in_english_gets_a_notice(gated, tmp_path) -> None:
    from align.language import LanguageCheck
    from tests.test_cli import GERMAN

    articles = load_articles([write(tmp_path, "bericht.txt", GERMAN), SEEDS[0]])
    app = DiffApp(articles, gated, DEFAULT_THRESHOLD, languages=LanguageCheck(articles, None))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        notices = [n.message for n in app._notifications]
        assert any(m.startswith("bericht reads as German, not English") for m in notices), notices


async def test_a_failing_alignment_is_a_message_not_a_crash() -> None:
    app = DiffApp(load_articles(SEEDS[:2]), Embedder("no-such-org/no-such-model", None), DEFAULT_THRESHOLD)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        assert app.is_running and app.view.alignment is None
        assert "could not be loaded offline" in app.query_one("#status").content.plain


async def test_no_color_draws_without_colour(gated, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = DiffApp(load_articles(SEEDS[1:3]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("n")
        screen = app.export_screenshot()
    assert app.no_color
    for colour in palette.FAMILY_COLOUR.values():
        assert colour.lower() not in screen.lower()


async def test_wide_characters_keep_columns_aligned(gated, tmp_path) -> None:
    hard = write(tmp_path, "hard.txt", "東京で首脳会談が行われた。両首脳は五十分間話し合った。\n\n"
                 "قال المتحدث إن المحادثات استمرت خمسين دقيقة.\n\nEmoji 👍🏽 and e\u0301\tand\x0cfeed.")
    app = DiffApp(load_articles([hard, SEEDS[0]]), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        left, right = app.query(ArticleColumn)
        assert left.region.right <= right.region.x and right.region.right <= 80
        shown = "".join(p.content.plain for p in left.paragraphs.values())
        assert "東京で首脳会談が行われた。" in shown and "👍🏽" in shown and "␌" in shown


def test_viewer_on_new_articles_shows_the_alignment_without_torch(tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    Embedder(cache_path=None).embed(["The model's ONNX copy is built before the viewer starts."])
    article = write(tmp_path, "new.txt", "Putin warned Biden that new sanctions would be a colossal mistake, "
                                         "in words no run of the suite has embedded before.")
    script = (
        "import asyncio, sys\n"
        "from align import load_articles\nfrom align.embed import Embedder\nfrom tui.app import DiffApp\n"
        "async def main():\n"
        "    app = DiffApp(load_articles(sys.argv[1:]), Embedder(cache_path=None), 0.28)\n"
        "    async with app.run_test() as pilot:\n"
        "        await app.workers.wait_for_complete()\n"
        "        await pilot.pause()\n"
        "        print(len(app.view.alignment.groups) if app.view.alignment else None, 'torch' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, article, SEEDS[0]], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    groups, torch_imported = done.stdout.split()
    assert int(groups) >= 1 and torch_imported == "False"


async def test_a_sentence_in_two_groups_selects_each_in_turn(gated) -> None:
    app = DiffApp(load_articles(SEEDS), gated, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        alignment = app.view.alignment
        member = next(m for g in alignment.groups for m in g.members
                      if len(alignment.groups_of(m)) >= 2 and app.view.selected not in alignment.groups_of(m))
        first, second = alignment.groups_of(member)[:2]
        app.action_select_sentence(member.article, member.sentence)
        assert app.view.selected == first
        app.action_select_sentence(member.article, member.sentence)
        assert app.view.selected == second
        assert marked(app, member)


class WatchedEmbedder(Embedder):
    """The real embedder, saying when a call to embed has ended, however it ended."""

    def __init__(self) -> None:
        super().__init__(cache_path=None)
        self.ended = threading.Event()

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray:
        try:
            return super().embed(texts, progress)
        finally:
            self.ended.set()


async def test_closing_the_viewer_stops_the_encoding_of_new_articles(tmp_path) -> None:
    # 3,000 long sentences no run has embedded: encoding them all takes seconds, closing must not wait
    paths = []
    for k in range(30):
        lines = [f"Dispatch {k}, item {i}: the council met on day {i % 28 + 1} and voted {i * 7 % 100} to {i % 50}, "
                 f"after a debate of {i % 9 + 2} hours in which {i % 13 + 3} members spoke for and {i % 11 + 1} against."
                 for i in range(100)]
        paths.append(write(tmp_path, f"{k}.txt", "\n\n".join(lines)))
    embedder = WatchedEmbedder()
    app = DiffApp(load_articles(paths), embedder, DEFAULT_THRESHOLD)
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(600):
            if "embedding" in app.status_note:
                break
            await pilot.pause(0.05)
        assert "embedding" in app.status_note
    assert embedder.ended.wait(timeout=60)
    assert not embedder._seen  # given up at a batch's end, nothing kept: it did not run to its end
