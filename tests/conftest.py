"""Shared fixtures: the real model, loaded once per test run, with a private embedding cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD, Alignment, align, load_articles
from align.embed import Embedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))


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


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
