"""What the pair model knows about two sentences of different articles: one matrix per feature
for every article pair, computed with a few matrix products per article pair. Every feature is
symmetric: which of the two articles comes first changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from align.lexical import all_stems, names, word_vectors
from align.match import PairScores
from align.model import Article

FEATURES = (
    "cosine",          # the two sentences' embeddings
    "clause_cosine",   # the best pair of their clauses (or whole sentences): a shared part of a long sentence
    "combined",        # the hand-set score: cosine, content words, shared figures and quotes, hubs discounted
    "lexical_all",     # rare words in common, names included
    "lexical_names",   # rare names in common: who and where
    "length",          # log of the longer sentence's words: long sentences carry several statements
    "position_first",  # where the two sentences stand in their articles (0 = headline, 1 = last), the
    "position_last",   # earlier and the later of the two: ledes restate the story's main statement
    "headlines",       # both are their article's first sentence
)


# Positions are shares of an article of at least this many sentences: in a two-sentence article
# the second is early, not last.
MIN_SPAN = 10


@dataclass(frozen=True)
class PairFeatures:
    """The features of one article pair: `values[i, j]` is sentence i of article `x` against sentence j of `y`."""

    x: int
    y: int
    values: np.ndarray  # (sentences of x, sentences of y, len(FEATURES)), float32


def pair_features(articles: tuple[Article, ...], clause_vectors: tuple[tuple[np.ndarray, ...], ...],
                  pair_scores: tuple[PairScores, ...]) -> tuple[PairFeatures, ...]:
    """Features for every article pair of `pair_scores` (every article against every later one).
    `clause_vectors[a][i]` holds sentence i's vector in its first row and its clauses' after it."""
    everything = word_vectors(articles, all_stems)
    named = word_vectors(articles, names)
    stacked = [np.vstack(v) for v in clause_vectors]
    starts = [np.cumsum([0] + [len(v) for v in article[:-1]]).astype(np.intp) for article in clause_vectors]
    # every article under the one before: one product compares an article with all later ones
    all_clauses, all_words, all_names = np.vstack(stacked), np.vstack(everything), np.vstack(named)
    sentence_starts = np.cumsum([0] + [len(a.sentences) for a in articles])
    clause_starts = np.cumsum([0] + [len(v) for v in stacked])
    words = [np.log1p(np.array([len(s.text.split()) for s in a.sentences], dtype=np.float32)) for a in articles]
    places = [np.arange(len(a.sentences), dtype=np.float32) / max(len(a.sentences) - 1, MIN_SPAN) for a in articles]
    by_pair = {(s.x, s.y): s for s in pair_scores}
    found = []
    for x in range(len(articles) - 1):
        # one product per kind for x against every later article, cut into blocks afterwards
        later = slice(sentence_starts[x + 1], None)
        columns_of_later = np.concatenate([starts[y] + clause_starts[y] - clause_starts[x + 1]
                                           for y in range(x + 1, len(articles))])
        clause = np.maximum.reduceat(stacked[x] @ all_clauses[clause_starts[x + 1]:].T, starts[x], axis=0)
        clause = np.maximum.reduceat(clause, columns_of_later, axis=1)
        lexical = everything[x] @ all_words[later].T
        lexical_names = named[x] @ all_names[later].T
        for y in range(x + 1, len(articles)):
            block = slice(sentence_starts[y] - sentence_starts[x + 1], sentence_starts[y + 1] - sentence_starts[x + 1])
            scores = by_pair[(x, y)]
            first = np.zeros(scores.score.shape, dtype=np.float32)
            first[0, 0] = 1.0
            columns = [
                scores.cosine,
                clause[:, block],
                scores.score,
                lexical[:, block],
                lexical_names[:, block],
                np.maximum.outer(words[x], words[y]),
                np.minimum.outer(places[x], places[y]),
                np.maximum.outer(places[x], places[y]),
                first,
            ]
            found.append(PairFeatures(x, y, np.stack(columns, axis=-1).astype(np.float32)))
    return tuple(found)
