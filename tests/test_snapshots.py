"""Pictures of the viewer on the seeds, aligned, at the sizes people use."""

from __future__ import annotations

import os

import pytest

from align import DEFAULT_THRESHOLD, load_articles
from align.embed import Embedder
from tui.app import DiffApp
from tests.conftest import ROOT

# Relative paths, as a user types them: the column headers show them, and they must not
# depend on where the checkout lives.
SEEDS = sorted(os.path.join("seeds", p.name) for p in (ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


async def aligned(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_seeds_at_80x24(snap_compare, embedder: Embedder) -> None:
    app = DiffApp(load_articles(SEEDS), embedder, DEFAULT_THRESHOLD)
    assert snap_compare(app, terminal_size=(80, 24), run_before=aligned)


def test_seeds_at_120x40_on_a_divergence(snap_compare, embedder: Embedder) -> None:
    app = DiffApp(load_articles(SEEDS), embedder, DEFAULT_THRESHOLD)
    assert snap_compare(app, terminal_size=(120, 40), run_before=aligned, press=["j", "n", "n"])


def test_two_seeds_at_80x24(snap_compare, embedder: Embedder) -> None:
    app = DiffApp(load_articles(SEEDS[1:3]), embedder, DEFAULT_THRESHOLD)
    assert snap_compare(app, terminal_size=(80, 24), run_before=aligned, press=["j"])


def test_candidates_panel_after_linking_one(snap_compare, embedder: Embedder, tmp_path) -> None:
    """The review: the cursor in the second article, its candidates beside the group, one linked in."""
    from align import review as rv

    sidecar = rv.Sidecar(tmp_path / "seeds.review.json")
    app = DiffApp(load_articles(SEEDS), embedder, DEFAULT_THRESHOLD, None, sidecar, sidecar.read())
    assert snap_compare(app, terminal_size=(140, 40), run_before=aligned, press=["j", "l", "1"])
