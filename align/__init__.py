"""diffnews' alignment engine: read, segment, embed, match, diverge. No UI imports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from align import details as _details
from align import pair_model
from align.divergence import diverge
from align.embed import DEFAULT_MODEL, Embedder, Progress
from align.features import PairFeatures, pair_features
from align.match import METHODS, PairScores, group, mutual_best, score_pairs
from align.model import Alignment, Article, DiffnewsError, Divergence
from align.read import DEFAULT_MAX_CHARS, read_source
from align.review import Resolved, apply
from align.segment import clauses, segment

MAX_ARTICLES = 50


def __getattr__(name: str) -> float:
    """DEFAULT_THRESHOLD: the shipped pair model's threshold, read when first asked for."""
    if name == "DEFAULT_THRESHOLD":
        return pair_model.shipped().threshold
    raise AttributeError(f"module 'align' has no attribute {name!r}")

__all__ = [
    "DEFAULT_MODEL", "DEFAULT_THRESHOLD", "Alignment", "DiffnewsError", "Prepared",
    "align", "load_articles", "prepare", "regroup",
]


@dataclass(frozen=True)
class Prepared:
    """Everything the threshold does not change: articles, details, the pair model's features and
    the pair scores (for the "learned" method, the pair model's probabilities), and how weak a
    link may be inside a group, as a share of the threshold (the pair model's floor; 1 for the
    other methods)."""

    articles: tuple[Article, ...]
    details: tuple[tuple[tuple[_details.Detail, ...], ...], ...]
    features: tuple[PairFeatures, ...]
    pair_scores: tuple[PairScores, ...]
    model: str
    floor: float = 1.0


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
    return _told_apart(articles)


def _told_apart(articles: list[Article]) -> tuple[Article, ...]:
    """Articles that share a name ("a" from nyt/a.txt and fox/a.txt) named with their folder, then numbered."""
    def clashing(names: list[str]) -> set[str]:
        return {n for n in names if names.count(n) > 1}

    names = [a.name for a in articles]
    twice = clashing(names)
    names = [f"{Path(a.source).parent.name}/{n}" if n in twice and Path(a.source).parent.name else n
             for a, n in zip(articles, names)]
    for name in clashing(names):
        numbered = iter(range(1, len(names) + 1))
        names = [f"{n} ({next(numbered)})" if n == name else n for n in names]
    return tuple(replace(a, name=n) for a, n in zip(articles, names))


def prepare(
    articles: tuple[Article, ...], embedder: Embedder, progress: Progress | None = None,
    method: str = "learned", model: pair_model.PairModel | None = None,
) -> Prepared:
    """Embed every sentence and its clauses, and score every sentence pair across articles: by
    the pair model (`model`, the shipped one by default) for the "learned" method, or by the
    hand-set combined score, the embeddings' cosine or the shared words alone, for measuring."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    split = [[clauses(s.text) for s in a.sentences] for a in articles]
    texts = [s.text for a in articles for s in a.sentences] + [c for a in split for cs in a for c in cs]
    matrix = embedder.embed(texts, progress)
    vectors, clause_vectors, start = [], [], 0
    for article in articles:
        vectors.append(matrix[start : start + len(article.sentences)])
        start += len(article.sentences)
    for article_vectors, article_clauses in zip(vectors, split):
        per_sentence = []
        for vector, parts in zip(article_vectors, article_clauses):
            per_sentence.append(np.vstack([vector[None, :], matrix[start : start + len(parts)]]))
            start += len(parts)
        clause_vectors.append(tuple(per_sentence))
    found = tuple(_details.extract_article(a.sentences) for a in articles)
    combined = score_pairs(articles, tuple(vectors), found)
    features = pair_features(articles, tuple(clause_vectors), combined)
    floor = 1.0
    if method == "learned":
        model = model or pair_model.shipped()
        scores, floor = model.rescore(features, combined), model.floor
    elif method == "combined":
        scores = combined
    else:
        scores = tuple(replace(s, score=s.cosine if method == "cosine" else s.lexical) for s in combined)
    return Prepared(articles, found, features, scores, embedder.model, floor)


def regroup(prepared: Prepared, threshold: float, review: Resolved | None = None) -> Alignment:
    """Group at `threshold` without embedding again, apply the reader's corrections (`review`,
    see align.review), and find each group's divergences."""
    groups = group(prepared.articles, prepared.pair_scores, threshold, prepared.floor)
    if review is not None:
        groups = apply(review, prepared.articles, prepared.pair_scores, groups)
    by_pair = {(s.x, s.y): s for s in prepared.pair_scores}
    with_divergences = []
    for g in groups:
        sentences = {m: prepared.articles[m.article].sentences[m.sentence] for m in g.members}
        details = {m: prepared.details[m.article][m.sentence] for m in g.members}
        found = diverge(g, sentences, details)
        if g.origin == "matcher":  # a group the reader made or checked vouches for its pairs
            found = tuple(d for d in found if _sure(d, by_pair))
        with_divergences.append(replace(g, divergences=found))
    return Alignment(prepared.articles, tuple(with_divergences), prepared.model, threshold,
                     review.stale if review else ())


def _sure(divergence: Divergence, by_pair: dict[tuple[int, int], PairScores]) -> bool:
    """Whether a divergence in a group the matcher made may be shown: a conflict or a variant only
    between two sentences that are each other's best match (in a looser pair they may make two
    statements), except a name spelt two ways, which is so whatever the two sentences say."""
    return divergence.type == "missing" or divergence.kind == "name" or mutual_best(by_pair, divergence.a, divergence.b)


def align(
    articles: tuple[Article, ...],
    threshold: float | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    model: pair_model.PairModel | None = None,
    review: Resolved | None = None,
) -> Alignment:
    """The one entry point: align already-read articles at `threshold` (the pair model's by
    default) with the pair model `model` (the shipped one by default), then apply the reader's
    corrections `review`."""
    model = model or pair_model.shipped()
    prepared = prepare(articles, embedder or Embedder(DEFAULT_MODEL), progress, model=model)
    return regroup(prepared, model.threshold if threshold is None else threshold, review)
