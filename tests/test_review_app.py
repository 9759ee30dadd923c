"""Review in the viewer, driven with Pilot on a shared cluster: every review key, the sidecar each
change writes, and what a later run makes of it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD, load_articles
from align import review as rv
from align.embed import Embedder
from align.model import Member
from tui import palette
from tui.app import DiffApp
from tui.widgets.candidates import CandidatesView
from tests.conftest import CLUSTER_010, ROOT

pytestmark = pytest.mark.skipif(not CLUSTER_010.is_dir(), reason="../shared is not beside the checkout")


def viewer(story: list[str], embedder: Embedder) -> DiffApp:
    sidecar = rv.Sidecar(Path(story[0] + rv.SUFFIX))
    return DiffApp(load_articles(story), embedder, DEFAULT_THRESHOLD, None, sidecar, sidecar.read())


async def ready(app: DiffApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def saved(story: list[str]) -> dict:
    return json.loads(Path(story[0] + rv.SUFFIX).read_text(encoding="utf-8"))


def members(app: DiffApp) -> set[Member]:
    return set(app.view.selected.members) if app.view.selected else set()


async def test_a_digit_links_that_candidate_and_the_change_is_saved(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        before, focus = members(app), app.view.focus
        panel = app.query_one(CandidatesView).content.plain
        assert f"Candidates for {focus.article + 1}·{focus.sentence + 1}" in panel and "\n2 " in panel
        second = app._candidates()[1].member
        await pilot.press("2")
        assert members(app) == before | {second} and app.view.selected.origin == "corrected"
        assert app.view.focus == focus
        statement = saved(story)["statements"][0]
        assert len(statement["members"]) == len(before) + 1 and statement["corrected"]
        assert "1 corrected" in app._summary()


async def test_x_removes_the_cursor_sentence_and_z_and_Z_undo_and_redo(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        original = app.view.alignment.groups
        group, focus = app.view.selected, app.view.focus
        await pilot.press("x")
        assert focus not in members(app) and members(app) == set(group.members) - {focus}
        assert saved(story)["cut"]
        await pilot.press("z")
        assert [g.members for g in app.view.alignment.groups] == [g.members for g in original]
        assert saved(story)["statements"] == [] and saved(story)["cut"] == []
        await pilot.press("Z")
        assert not any(focus in g.members and set(g.members) & (set(group.members) - {focus})
                       for g in app.view.alignment.groups)
        after = app.view.alignment.groups
        await pilot.press("Z")  # nothing left to redo
        assert app.view.alignment.groups == after


async def test_x_takes_out_only_the_cursor_sentence_and_says_every_group_it_changed(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        before = app.view.alignment
        # a sentence in two groups that share another sentence: cutting it from one touches the other
        group, focus = next((g, m) for g in before.groups for m in g.members
                            if any(h is not g and set(h.members) & set(g.members) - {m}
                                   for h in before.groups_of(m)))
        app._select(group, focus=focus)
        await pilot.press("x")
        after = [set(g.members) for g in app.view.alignment.groups]
        changed = [g for g in before.groups if g is not group and set(g.members) not in after]
        assert changed
        for g in changed:
            assert any(set(g.members) - {focus} <= members for members in after) or \
                len({m.article for m in set(g.members) - {focus}}) < 2  # only the cut sentence left it
            assert f"group {g.id + 1}" in app.edit_note
        assert app.edit_note.startswith(f"took {focus.article + 1}·{focus.sentence + 1} out of its group; also")


async def test_marks_make_a_new_group_and_split_one(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("u")  # a sentence in no group
        lone = app.view.focus
        assert lone in app.view.alignment.unaligned()
        await pilot.press("space")
        assert app.view.marks == {lone}
        await pilot.press("l")  # the best candidate in the next article
        column = app.query_one(f"#article-{lone.article}")
        text = " ".join(app.view.alignment.sentence(lone).text.split()[:3])
        assert any(f"{palette.MARKED_MARK} {text}" in " ".join(p.content.plain.split()) for p in column.query("Paragraph"))
        partner = app.view.focus
        assert partner.article == (lone.article + 1) % 3
        await pilot.press("A")
        assert members(app) == {lone, partner} and app.view.selected.origin == "corrected"
        assert app.view.marks == frozenset()

        big = max(app.view.alignment.groups, key=lambda g: (len(g.articles()), len(g.members)))
        app._select(big)
        leaving = big.members[0]
        app.put_cursor(leaving)
        await pilot.press("space")
        await pilot.press("h")  # another member of the group, in another article
        other = app.view.focus
        await pilot.press("space", "s")
        assert members(app) in ({leaving, other}, set(big.members) - {leaving, other})
        assert any(set(g.members) == {leaving, other} for g in app.view.alignment.groups)


async def test_m_on_two_groups_merges_them(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        first = app.view.selected
        await pilot.press("m")
        assert "marked" in app._summary()
        await pilot.press("j")
        second = app.view.selected
        await pilot.press("m")
        assert members(app) == set(first.members) | set(second.members)
        assert app.view.selected.origin == "corrected"


async def test_c_confirms_and_r_visits_the_groups_not_yet_confirmed(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        first = app.view.selected
        await pilot.press("c")
        assert app.view.selected.origin == "confirmed" and "1 confirmed" in app._summary()
        column = app.query_one(f"#article-{first.members[0].article}")
        await pilot.press("j")
        assert any(f"{palette.CONFIRMED_MARK} " in p.content.plain for p in column.query("Paragraph"))
        await pilot.press("g", "r")
        assert app.view.selected.members != first.members and app.view.selected.origin != "confirmed"
        app._select(next(g for g in app.view.alignment.groups if g.members == first.members))
        await pilot.press("c")  # taken back: the matcher's again
        assert app.view.selected.origin == "matcher"
        assert saved(story)["statements"] == []


async def test_the_suggestion_keys_visit_pairs_just_under_the_threshold(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        assert app.view.suggested
        await pilot.press("right_square_bracket")
        first = app.view.focus
        assert first in app.view.suggested
        await pilot.press("right_square_bracket")
        assert app.view.focus in app.view.suggested and app.view.focus > first
        await pilot.press("left_square_bracket")
        assert app.view.focus == first
        column = app.query_one(f"#article-{first.article}")
        assert any(f"{palette.SUGGESTED_MARK} " in p.content.plain for p in column.query("Paragraph"))
        assert palette.SUGGESTED_MARK in app.query_one(CandidatesView).content.plain


async def test_the_cursor_moves_through_an_article_across_articles_and_through_groups(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        start = app.view.focus
        await pilot.press("J")
        assert app.view.focus == Member(start.article, start.sentence + 1)
        await pilot.press("K")
        assert app.view.focus == start
        await pilot.press("l")
        assert app.view.focus.article == start.article + 1 and app.view.focus in members(app)
        shared = next(m for a in range(3) for m in (Member(a, s.index) for s in app.articles[a].sentences)
                      if len(app.view.alignment.groups_of(m)) > 1)
        app.put_cursor(shared)
        first = app.view.selected
        await pilot.press("o")
        assert app.view.selected != first and shared in members(app) and app.view.focus == shared


async def test_a_threshold_change_keeps_the_corrections(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        confirmed = members(app)
        await pilot.press("minus", "minus")
        await ready(app, pilot)
        assert any(set(g.members) == confirmed and g.origin == "confirmed" for g in app.view.alignment.groups)


async def test_viewer_then_sidecar_then_cli_json_show_the_corrected_group(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("x", "j", "c")
        confirmed = members(app)
        corrected = [set(g.members) for g in app.view.alignment.groups if g.origin == "corrected"]
    result = subprocess.run([sys.executable, "-m", "tui", *story, "-f", "json"], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    as_members = {g["origin"]: [] for g in groups}
    for g in groups:
        as_members[g["origin"]].append({Member(m["article"], m["sentence"]) for m in g["members"]})
    assert as_members["confirmed"] == [confirmed] and as_members["corrected"] == corrected


async def test_a_correction_of_an_edited_sentence_is_reported_when_the_viewer_opens(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        edited = app.view.alignment.sentence(app.view.focus).text
    path = Path(story[app.view.focus.article])
    path.write_text(path.read_text(encoding="utf-8").replace(edited, "This sentence was rewritten."),
                    encoding="utf-8")
    again = viewer(story, embedder)
    async with again.run_test(size=(180, 50)) as pilot:
        await ready(again, pilot)
        told = [n.message for n in again._notifications]
        assert any("no longer apply" in message for message in told)
        assert "1 stale" in again._summary()
        assert not any(g.origin == "confirmed" for g in again.view.alignment.groups)
    assert len(saved(story)["statements"]) == 1  # kept, never silently dropped


async def test_a_adds_the_marked_sentences_to_the_group_and_escape_clears_marks(story, embedder) -> None:
    app = viewer(story, embedder)
    async with app.run_test(size=(180, 50)) as pilot:
        await ready(app, pilot)
        group = app.view.selected
        await pilot.press("u", "space", "u", "space")
        assert len(app.view.marks) == 2
        await pilot.press("escape")
        assert app.view.marks == frozenset()
        await pilot.press("u", "space")
        lone = app.view.focus
        app.put_cursor(group.members[0])
        await pilot.press("a")
        assert members(app) == set(group.members) | {lone} and app.view.selected.origin == "corrected"
        assert app.view.marks == frozenset()
