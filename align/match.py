"""Score every sentence pair of every article pair, then group the pairs that say the same thing.

Matching is order-free: articles on one event reorder facts freely. A sentence may join one
sentence of another article, or up to three when that article split the statement or made it
again (headline, lede, body).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from align.details import VALUE_KINDS, Detail, spaced_words, stem
from align.model import Article, Group, Member, Pair

# Weights of the combined score: meaning and shared words, equally, and the checkable details
# (a shared figure is strong evidence; two different days are two different events). The words
# are weighted by rarity across the compared articles: every sentence of a story says "Putin" and
# "Ukraine", few say "mistake", and the rare words are what tell one statement from another.
COSINE_WEIGHT = 0.5
LEXICAL_WEIGHT = 0.5
SHARED_DETAIL_BONUS = 0.04
# Words one sentence quotes (QUOTE_MIN_WORDS or more) that the other prints too: the same remark,
# however differently the two sentences frame it.
SHARED_QUOTE_BONUS = 0.1
QUOTE_MIN_WORDS = 4
TEMPORAL_CONFLICT_PENALTY = 0.12
# Hubness correction: a sentence that resembles many sentences of the other article (a generic
# line on the shared topic) loses this share of how far its best HUB_NEIGHBOURS stand above the pair's mean.
HUB_PENALTY = 0.25
HUB_NEIGHBOURS = 5
# A link must score within this of the best partner either sentence has in the other article.
NEAR_BEST_MARGIN = 0.2
# A group holds at most this many sentences of one article (a statement split in two, or made
# again in the headline, the lede and the body).
MAX_PER_ARTICLE = 3

_WORD = re.compile(r"[^\W\d_]{3,}")
_TEMPORAL_KINDS = frozenset({"date", "weekday"})


@dataclass(frozen=True)
class PairScores:
    """The score matrices of one article pair (rows: article `x`, columns: article `y`)."""

    x: int
    y: int
    score: np.ndarray
    cosine: np.ndarray
    lexical: np.ndarray


METHODS = ("combined", "cosine", "lexical")


def score_pairs(
    articles: tuple[Article, ...],
    vectors: tuple[np.ndarray, ...],
    details: tuple[tuple[tuple[Detail, ...], ...], ...],
    method: str = "combined",
) -> tuple[PairScores, ...]:
    """Scores for every article pair, computed one article against all later ones at a time:
    two matrix products (meaning, words) and two indicator products per article.

    `method` is "combined" (what diffnews uses), or "cosine" or "lexical" alone, for measuring.
    """
    tokens = [[_detail_tokens(d) for d in article_details] for article_details in details]
    vocabulary = {t: i for i, t in enumerate(sorted({t for a in tokens for s in a for t in s}))}
    temporal = np.zeros(max(len(vocabulary), 1), dtype=bool)
    for token, column in vocabulary.items():
        temporal[column] = token.split(":", 1)[0] in _TEMPORAL_KINDS
    indicators = [_indicator(article_tokens, vocabulary) for article_tokens in tokens]
    dated = [ind[:, temporal] for ind in indicators]
    has_date = [np.asarray(d.any(axis=1), dtype=bool) for d in dated]
    words = _word_vectors(articles)
    quotes = [[_quoted(sentence_details) for sentence_details in article_details] for article_details in details]
    texts = [[spaced_words(s.text) for s in a.sentences] for a in articles]
    sizes = [len(a.sentences) for a in articles]
    result = []
    for x in range(len(articles) - 1):
        later = range(x + 1, len(articles))
        bounds = np.cumsum([0] + [sizes[y] for y in later])
        cosine_row = np.clip(vectors[x] @ np.vstack([vectors[y] for y in later]).T, -1.0, 1.0)
        lexical_row = words[x] @ np.vstack([words[y] for y in later]).T
        shared_row = indicators[x] @ np.vstack([indicators[y] for y in later]).T
        dated_row = dated[x] @ np.vstack([dated[y] for y in later]).T
        for k, y in enumerate(later):
            block = slice(bounds[k], bounds[k + 1])
            cosine, lexical = cosine_row[:, block], lexical_row[:, block]
            shared, shared_dated = shared_row[:, block], dated_row[:, block]
            temporal_conflict = has_date[x][:, None] & has_date[y][None, :] & (shared_dated == 0)
            score = (
                COSINE_WEIGHT * cosine
                + LEXICAL_WEIGHT * lexical
                + SHARED_DETAIL_BONUS * np.minimum(shared - shared_dated, 2)
                + SHARED_DETAIL_BONUS * np.minimum(shared_dated, 1)
                - TEMPORAL_CONFLICT_PENALTY * temporal_conflict
                + SHARED_QUOTE_BONUS * _shared_quotes(quotes[x], texts[x], quotes[y], texts[y])
            )
            if method == "combined":
                score = _discount_hubs(score)
            else:
                score = cosine if method == "cosine" else lexical
            result.append(PairScores(x, y, score.astype(np.float32), cosine, lexical))
    return tuple(result)


def _word_vectors(articles: tuple[Article, ...]) -> list[np.ndarray]:
    """Each sentence as unit-length TF-IDF weights of its content-word stems. A stem's weight is
    ln((1 + n) / (1 + df)) over the n article sentences (page furniture left out) of all the compared
    articles, df of which hold it: a word in every sentence weighs nothing."""
    stems = [[set(_content_stems(s.text)) for s in a.sentences] for a in articles]
    vocabulary = {stem: k for k, stem in enumerate(sorted(set().union(*(s for a in stems for s in a))))}
    matrices = []
    for sentence_stems in stems:
        matrix = np.zeros((len(sentence_stems), max(len(vocabulary), 1)), dtype=np.float32)
        for row, found in enumerate(sentence_stems):
            matrix[row, [vocabulary[stem] for stem in found]] = 1.0
        matrices.append(matrix)
    body = np.vstack([m[[not s.boilerplate for s in a.sentences]] for m, a in zip(matrices, articles)])
    weights = np.log((1 + len(body)) / (1 + body.sum(axis=0)))
    for matrix in matrices:
        matrix *= weights
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return matrices


def _content_stems(text: str) -> list[str]:
    """The stems of what a sentence says, not of who says it or where: capitalised words after the
    first (names, places, months) are left to the embedding and the details, unless most words are
    capitalised (a headline in title case), where capitals say nothing."""
    words = _WORD.findall(text)
    capitalised = [w[0].isupper() for w in words]
    if sum(capitalised[1:]) * 2 < len(words):
        words = [w for w, capital in zip(words[1:], capitalised[1:]) if not capital] + words[:1]
    return [stem(w.lower()) for w in words]


def _quoted(details: tuple[Detail, ...]) -> list[str]:
    """A sentence's quotes of QUOTE_MIN_WORDS words or more, as `spaced_words` writes them."""
    found = [spaced_words(d.text) for d in details if d.kind == "quote"]
    return [q for q in found if len(q.split()) >= QUOTE_MIN_WORDS]


def _shared_quotes(x_quotes: list[list[str]], x_texts: list[str],
                   y_quotes: list[list[str]], y_texts: list[str]) -> np.ndarray:
    """Which sentence pairs have one side quoting words the other side prints."""
    shared = np.zeros((len(x_texts), len(y_texts)), dtype=bool)
    for i, found in enumerate(x_quotes):
        for q in found:
            shared[i] |= [q in text for text in y_texts]
    for j, found in enumerate(y_quotes):
        for q in found:
            shared[:, j] |= [q in text for text in x_texts]
    return shared


def _discount_hubs(score: np.ndarray) -> np.ndarray:
    if score.size == 0:
        return score
    mean = score.mean()
    k_row = min(HUB_NEIGHBOURS, score.shape[1])
    k_col = min(HUB_NEIGHBOURS, score.shape[0])
    row_hub = np.sort(score, axis=1)[:, -k_row:].mean(axis=1) - mean
    col_hub = np.sort(score, axis=0)[-k_col:, :].mean(axis=0) - mean
    return np.asarray(score - HUB_PENALTY * (row_hub[:, None] + col_hub[None, :]))


def group(
    articles: tuple[Article, ...],
    pair_scores: tuple[PairScores, ...],
    threshold: float,
) -> tuple[Group, ...]:
    """Groups of sentences linked by scores over `threshold`, strongest links first."""
    eligible = [
        np.array([not s.boilerplate for s in a.sentences], dtype=bool)
        for a in articles
    ]
    links: list[tuple[float, Member, Member]] = []
    for scores in pair_scores:
        for i, j in _links(scores.score, threshold, eligible[scores.x], eligible[scores.y]):
            links.append((float(scores.score[i, j]), Member(scores.x, i), Member(scores.y, j)))
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    by_pair = {(s.x, s.y): s for s in pair_scores}
    clusters = _Clusters(lambda a, b: float(by_pair[(a.article, b.article)].score[a.sentence, b.sentence]))
    for _, a, b in links:
        clusters.join(a, b, threshold)
    found = sorted(clusters.groups(), key=min)
    groups = []
    for n, members in enumerate(found):
        pairs = _member_pairs(members, by_pair)
        score = round(float(np.mean([p.score for p in pairs])), 4)
        groups.append(Group(id=n, members=members, score=score, pairs=pairs))
    return tuple(groups)


def _links(score: np.ndarray, threshold: float, rows: np.ndarray, cols: np.ndarray) -> list[tuple[int, int]]:
    """Pairs over the threshold that are, or nearly are, the best partner of both sides."""
    if score.size == 0:
        return []
    masked = np.where(rows[:, None] & cols[None, :], score, -np.inf)
    row_best = masked.max(axis=1, keepdims=True)
    col_best = masked.max(axis=0, keepdims=True)
    near_best = (masked >= row_best - NEAR_BEST_MARGIN) & (masked >= col_best - NEAR_BEST_MARGIN)
    keep = (masked >= threshold) & near_best
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(keep))]


def _member_pairs(members: tuple[Member, ...], by_pair: dict[tuple[int, int], PairScores]) -> tuple[Pair, ...]:
    pairs = []
    for a, b in combinations(members, 2):
        if a.article == b.article:
            continue
        scores = by_pair[(a.article, b.article)]
        i, j = a.sentence, b.sentence
        pairs.append(Pair(a, b, round(float(scores.score[i, j]), 4),
                          round(float(scores.cosine[i, j]), 4), round(float(scores.lexical[i, j]), 4)))
    return tuple(pairs)


class _Clusters:
    """Average-linkage clustering over links, refusing joins that put too many of one article together.

    Two clusters join only if their sentences, across articles, score `floor` on average:
    a chain of links never turns a group into a topic.
    """

    def __init__(self, score: Callable[[Member, Member], float]) -> None:
        self.score = score
        self.cluster: dict[Member, list[Member]] = {}

    def join(self, a: Member, b: Member, floor: float) -> None:
        left = self.cluster.get(a, [a])
        right = self.cluster.get(b, [b])
        if left is right:
            return
        merged = left + right
        if max(Counter(m.article for m in merged).values()) > MAX_PER_ARTICLE:
            return
        cross = [self.score(x, y) if x.article < y.article else self.score(y, x)
                 for x in left for y in right if x.article != y.article]
        if not cross or sum(cross) / len(cross) < floor:
            return
        for member in merged:
            self.cluster[member] = merged

    def groups(self) -> list[tuple[Member, ...]]:
        unique = {id(c): c for c in self.cluster.values()}
        return [tuple(sorted(c)) for c in unique.values()]


def _detail_tokens(details: tuple[Detail, ...]) -> set[str]:
    """The values a sentence states, as tokens; a full date also states its weekday."""
    tokens = set()
    for detail in details:
        if detail.kind not in VALUE_KINDS:
            continue
        tokens.add(f"{detail.kind}:{detail.value.lstrip('<>')}")
        if detail.kind == "date":
            tokens.update(_date_tokens(detail.value))
    return tokens


def _date_tokens(value: str) -> set[str]:
    parts = value.split("-")
    tokens = set()
    if len(parts) == 3:
        tokens.add(f"date:{parts[1]}-{parts[2]}")
        try:
            weekday = dt.date(int(parts[0]), int(parts[1]), int(parts[2])).strftime("%A").lower()
        except ValueError:  # "February 30": no weekday to derive
            return tokens
        tokens.add(f"weekday:{weekday}")
    return tokens


def _indicator(article_tokens: list[set[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(article_tokens), max(len(vocabulary), 1)), dtype=np.float32)
    for row, sentence_tokens in enumerate(article_tokens):
        for token in sentence_tokens:
            matrix[row, vocabulary[token]] = 1.0
    return matrix
