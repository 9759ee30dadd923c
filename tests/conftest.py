"""Shared fixtures: the real model, loaded once per test run, with a private embedding cache."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD, Alignment, align, load_articles
from align.embed import Embedder

ROOT = Path(__file__).resolve().parent.parent
# The seeds, copied for the run: a review file a user's viewer saved beside the checkout's seeds
# (seeds/*.review.json) must not change what the suite measures.
_SEED_COPY = Path(tempfile.mkdtemp(prefix="diffnews-seeds-"))
atexit.register(shutil.rmtree, _SEED_COPY, ignore_errors=True)
SEEDS = sorted(str(shutil.copy(p, _SEED_COPY / p.name)) for p in (ROOT / "seeds").glob("*.txt"))
CLUSTER_010 = ROOT.parent / "shared" / "eval" / "news_clusters" / "010"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every diffnews run of the suite, in process or not, uses a cache of its own."""
    folder = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("DIFFNEWS_CACHE_DIR", str(folder))
    yield folder
    mp.undo()


@pytest.fixture(scope="session")
def embedder(private_cache: Path) -> Embedder:
    return Embedder(cache_path=private_cache / "embeddings.sqlite3")


@pytest.fixture(scope="session")
def seeds() -> list[str]:
    return list(SEEDS)


@pytest.fixture(scope="session")
def seed_alignment(embedder: Embedder) -> Alignment:
    return align(load_articles(SEEDS), DEFAULT_THRESHOLD, embedder)


@pytest.fixture
def story(tmp_path: Path) -> list[str]:
    """Shared cluster 010's three articles, copied where a review file may be written beside them."""
    for path in sorted(CLUSTER_010.glob("*.txt")):
        shutil.copy(path, tmp_path / path.name)
    return [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt")]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
