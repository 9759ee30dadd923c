"""Gold from use: a reviewed set (the articles a review file names, and its corrections) as a gold
case of sentence links, for `diffnews eval` and `diffnews gold`.

The gold is every group of the reviewed alignment: those the reader confirmed or corrected, and
those the matcher made that the reader left as they were (a reader who went through every group
signed them by leaving them). The matcher runs as the reader last saw it: the review's threshold,
the shipped pair model.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from align.embed import Embedder, Progress
from align.model import Alignment, DiffnewsError
from align.read import is_url
from align.evaluate import GoldCase, predicted_links
from align.review import SCHEMA, Sidecar, digest


@dataclass(frozen=True)
class ReviewedSet:
    alignment: Alignment
    origins: Counter[str]  # groups by origin
    warnings: tuple[str, ...]


def is_review_file(path: Path) -> bool:
    """Whether `path` holds a review (one JSON object of the review schema) rather than JSON lines."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("schema") == SCHEMA


def load(path: Path, embedder: Embedder, progress: Progress | None = None) -> ReviewedSet:
    """Read the articles a review file names (paths relative to the file), align them and apply
    the corrections."""
    from align import align, load_articles

    if not path.is_file():
        raise DiffnewsError(f"{path}: no such review file")
    sidecar = Sidecar(path)
    review = sidecar.read()
    if not sidecar.articles:
        raise DiffnewsError(f"{path}: names no articles (no correction was saved with it yet)")
    sources = []
    for article in sidecar.articles:
        source = article["source"]
        if source == "-":
            raise DiffnewsError(f"{path}: article {article['name']!r} was read from stdin and cannot be read again")
        sources.append(source if is_url(source) else str(path.parent / source))
    articles = load_articles(sources)
    warnings = [f"{a.source}: changed since it was reviewed" for a, known in zip(articles, sidecar.articles)
                if digest(a.text) != known["hash"]]
    resolved = sidecar.resolve(review, articles)
    alignment = align(articles, sidecar.threshold, embedder, progress, review=resolved)
    warnings += [f"{path}: {stale}" for stale in alignment.stale]
    return ReviewedSet(alignment, Counter(g.origin for g in alignment.groups), tuple(warnings))


def gold_case(reviewed: ReviewedSet, case_id: str) -> GoldCase:
    """The reviewed alignment as a gold case: its articles' sentences and its groups' links."""
    alignment = reviewed.alignment
    sentences = tuple(tuple(" ".join(s.text.split()) for s in a.sentences) for a in alignment.articles)
    return GoldCase(case_id, sentences, predicted_links(alignment))


def summary(reviewed: ReviewedSet) -> str:
    """'12 groups: 5 confirmed, 3 corrected, 4 as the matcher made them'."""
    o = reviewed.origins
    return (f"{sum(o.values())} groups: {o['confirmed']} confirmed, {o['corrected']} corrected, "
            f"{o['matcher']} as the matcher made them")
