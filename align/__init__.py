"""diffnews' alignment engine: read, segment, embed, match, diverge. No UI imports."""

from __future__ import annotations

from dataclasses import dataclass, replace

from align import details as _details
from align.divergence import diverge
from align.embed import DEFAULT_MODEL, Embedder, Progress
from align.match import PairScores, group, score_pairs
from align.model import Alignment, Article, DiffnewsError
from align.read import DEFAULT_MAX_CHARS, read_source
from align.segment import segment

DEFAULT_THRESHOLD = 0.28
MAX_ARTICLES = 50

__all__ = [
    "DEFAULT_MODEL", "DEFAULT_THRESHOLD", "Alignment", "DiffnewsError", "Prepared",
    "align", "load_articles", "prepare", "regroup",
]


@dataclass(frozen=True)
class Prepared:
    """Everything the threshold does not change: articles, details and pair scores."""

    articles: tuple[Article, ...]
    details: tuple[tuple[tuple[_details.Detail, ...], ...], ...]
    pair_scores: tuple[PairScores, ...]
    model: str


def load_articles(
    sources: list[str], max_chars: int = DEFAULT_MAX_CHARS, detect_boilerplate: bool = True
) -> tuple[Article, ...]:
    """Read and segment each source (a path, a URL or `-`); raise DiffnewsError on bad input.

    Page furniture is marked, and so left out of the alignment, unless `detect_boilerplate` is off.
    """
    if len(sources) < 2:
        raise DiffnewsError("need at least two articles to compare")
    if len(sources) > MAX_ARTICLES:
        raise DiffnewsError(f"at most {MAX_ARTICLES} articles at once, got {len(sources)}")
    if sources.count("-") > 1:
        raise DiffnewsError("stdin ('-') can be given only once")
    articles = []
    for source in sources:
        name, text = read_source(source, max_chars)
        article = segment(name, source, text, detect_boilerplate)
        if all(s.boilerplate for s in article.sentences):
            raise DiffnewsError(f"{source}: holds no article text, only page furniture")
        articles.append(article)
    return tuple(articles)


def prepare(
    articles: tuple[Article, ...], embedder: Embedder, progress: Progress | None = None, method: str = "combined"
) -> Prepared:
    """Embed every sentence and score every sentence pair across articles (see match.score_pairs)."""
    texts = [s.text for a in articles for s in a.sentences]
    matrix = embedder.embed(texts, progress)
    vectors, start = [], 0
    for article in articles:
        vectors.append(matrix[start : start + len(article.sentences)])
        start += len(article.sentences)
    found = tuple(_details.extract_article(a.sentences) for a in articles)
    return Prepared(articles, found, score_pairs(articles, tuple(vectors), found, method), embedder.model)


def regroup(prepared: Prepared, threshold: float) -> Alignment:
    """Group and diverge at `threshold` without embedding again."""
    groups = group(prepared.articles, prepared.pair_scores, threshold)
    with_divergences = []
    for g in groups:
        sentences = {m: prepared.articles[m.article].sentences[m.sentence] for m in g.members}
        details = {m: prepared.details[m.article][m.sentence] for m in g.members}
        with_divergences.append(replace(g, divergences=diverge(g, sentences, details)))
    return Alignment(prepared.articles, tuple(with_divergences), prepared.model, threshold)


def align(
    articles: tuple[Article, ...],
    threshold: float = DEFAULT_THRESHOLD,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """The one entry point: align already-read articles at `threshold`."""
    return regroup(prepare(articles, embedder or Embedder(DEFAULT_MODEL), progress), threshold)
