"""Hostile and hard text: never interpreted, never breaking offsets, in every output."""

from __future__ import annotations

import csv
import io
import json

from align import align, load_articles
from align.export import to_csv, to_json, to_markdown
from align.segment import segment
from tests.conftest import SEEDS, write

HOSTILE = (
    "The minister said \x1b[31mred\x1b[0m and \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 twice.\n\n"
    "Set the title \x1b]0;pwned\x07 and move \x1b[2J\x1b[H the cursor, said the \x9b31m aide.\n\n"
    "=HYPERLINK(\"https://evil.example\") was typed into the report by [bold]staff[/bold].\n\n"
    "-2+3 is a formula, @SUM(A1) too, and <b>html</b> stays text."
)


def hostile_alignment(tmp_path, embedder):
    return align(load_articles([write(tmp_path, "hostile.txt", HOSTILE), SEEDS[0]]), embedder=embedder)


def test_markdown_shows_controls_as_symbols(tmp_path, embedder) -> None:
    md = to_markdown(hostile_alignment(tmp_path, embedder))
    assert "\x1b" not in md and "\x07" not in md and "\x9b" not in md
    assert "␛\\[31mred" in md and "\\[bold\\]staff\\[/bold\\]" in md and "\\<b\\>html\\</b\\>" in md


def test_json_escapes_controls_and_keeps_text(tmp_path, embedder) -> None:
    out = to_json(hostile_alignment(tmp_path, embedder))
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert json.loads(out)["articles"][0]["text"] == HOSTILE


def test_csv_neutralises_formulas_and_controls(tmp_path, embedder) -> None:
    articles = load_articles([write(tmp_path, "a.txt", "=HYPERLINK(\"x\") said the minister on Monday.\n"),
                              write(tmp_path, "b.txt", "=HYPERLINK(\"x\") said the minister on Monday, he added.\n")])
    rows = list(csv.DictReader(io.StringIO(to_csv(align(articles, embedder=embedder)))))
    assert rows and all(not row["text_a"].startswith("=") for row in rows)
    assert rows[0]["text_a"].startswith("'=HYPERLINK")
    hostile_rows = to_csv(hostile_alignment(tmp_path, embedder))
    assert "\x1b" not in hostile_rows


def test_hard_text_segments_with_exact_offsets(tmp_path) -> None:
    hard = (
        "word " * 4000 + "\n\n"  # a 20,000-character sentence with no full stop
        "東京で首脳会談が行われた。両首脳は五十分間話し合った。\n\n"
        "قال المتحدث إن المحادثات استمرت خمسين دقيقة. وأضاف أنها كانت مفيدة.\n\n"
        "Emoji 👍🏽 and combining e\u0301 marks.\tTabs\tand a form\x0cfeed stay put. Done.\n"
    )
    article = segment("hard", "hard", hard)
    assert article.sentences[0].end - article.sentences[0].start >= 19_999
    for s in article.sentences:
        assert hard[s.start : s.end] == s.text
    texts = [s.text for s in article.sentences]
    assert "東京で首脳会談が行われた。" in texts and "両首脳は五十分間話し合った。" in texts
    assert any(t.startswith("قال المتحدث") for t in texts)
