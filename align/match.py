"""Score every sentence pair of every article pair, then group the pairs that say the same thing.

`score_pairs` gives the hand-set combined score, one of the pair model's features (the pair
model, `align.pair_model`, turns the features into the probability diffnews aligns by).
`group` makes statements of the pairs that reach the threshold: each member is brought in by
such a pair, and every two sentences of a group from different articles score at least the
pair model's floor (a share of the threshold). Matching is order-free (articles on one event reorder
facts freely), a sentence may align with several sentences of another article (a statement split
in two, or made again in the headline, the lede and the body), and a sentence that makes two
statements may be in two groups.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, combinations

import numpy as np

from align.details import VALUE_KINDS, Detail, spaced_words
from align.lexical import content_stems, word_vectors
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
# A group holds at most this many sentences of one article (a statement split in two, or made
# again in the headline, the lede and the body).
MAX_PER_ARTICLE = 3

_TEMPORAL_KINDS = frozenset({"date", "weekday"})
_VAGUE_VALUES = ("rel:", "part:", "~")


@dataclass(frozen=True)
class PairScores:
    """The score matrices of one article pair (rows: article `x`, columns: article `y`)."""

    x: int
    y: int
    score: np.ndarray
    cosine: np.ndarray
    lexical: np.ndarray


METHODS = ("learned", "combined", "cosine", "lexical")


def score_pairs(
    articles: tuple[Article, ...],
    vectors: tuple[np.ndarray, ...],
    details: tuple[tuple[tuple[Detail, ...], ...], ...],
) -> tuple[PairScores, ...]:
    """The combined score of every sentence pair of every article pair, computed one article
    against all later ones at a time: two matrix products (meaning, words) and two indicator
    products per article."""
    tokens = [[_detail_tokens(d) for d in article_details] for article_details in details]
    vocabulary = {t: i for i, t in enumerate(sorted({t for a in tokens for s in a for t in s}))}
    temporal = np.zeros(max(len(vocabulary), 1), dtype=bool)
    for token, column in vocabulary.items():
        temporal[column] = token.split(":", 1)[0] in _TEMPORAL_KINDS
    indicators = [_indicator(article_tokens, vocabulary) for article_tokens in tokens]
    dated = [ind[:, temporal] for ind in indicators]
    has_date = [np.asarray(d.any(axis=1), dtype=bool) for d in dated]
    words = word_vectors(articles, content_stems)
    starts = np.cumsum([0] + [len(a.sentences) for a in articles])
    quoting = _quote_hits([[_quoted(d) for d in article_details] for article_details in details],
                          [spaced_words(s.text) for a in articles for s in a.sentences])
    all_vectors, all_words, all_indicators, all_dated = (
        np.vstack(vectors), np.vstack(words), np.vstack(indicators), np.vstack(dated))
    result = []
    for x in range(len(articles) - 1):
        later = slice(starts[x + 1], None)
        cosine_row = np.clip(vectors[x] @ all_vectors[later].T, -1.0, 1.0)
        lexical_row = words[x] @ all_words[later].T
        shared_row = indicators[x] @ all_indicators[later].T
        dated_row = dated[x] @ all_dated[later].T
        for y in range(x + 1, len(articles)):
            block = slice(starts[y] - starts[x + 1], starts[y + 1] - starts[x + 1])
            cosine, lexical = cosine_row[:, block], lexical_row[:, block]
            shared, shared_dated = shared_row[:, block], dated_row[:, block]
            temporal_conflict = has_date[x][:, None] & has_date[y][None, :] & (shared_dated == 0)
            score = (
                COSINE_WEIGHT * cosine
                + LEXICAL_WEIGHT * lexical
                + SHARED_DETAIL_BONUS * np.minimum(shared - shared_dated, 2)
                + SHARED_DETAIL_BONUS * np.minimum(shared_dated, 1)
                - TEMPORAL_CONFLICT_PENALTY * temporal_conflict
                + SHARED_QUOTE_BONUS * _shared_quotes(quoting, starts, x, y)
            )
            result.append(PairScores(x, y, _discount_hubs(score).astype(np.float32), cosine, lexical))
    return tuple(result)


def _quoted(details: tuple[Detail, ...]) -> list[str]:
    """A sentence's quotes of QUOTE_MIN_WORDS words or more, as `spaced_words` writes them."""
    found = [spaced_words(d.text) for d in details if d.kind == "quote"]
    return [q for q in found if len(q.split()) >= QUOTE_MIN_WORDS]


def _quote_hits(quotes: list[list[list[str]]], texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each article, the pairs (its sentence, a sentence anywhere, numbered across articles)
    where the first quotes words the second prints: each quote looked for once in all texts."""
    joined = "\n".join(texts)  # a quote is spaced words, so it never runs across a newline
    text_starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    hits = []
    for article_quotes in quotes:
        pairs = set()
        for i, found in enumerate(article_quotes):
            for quote in found:
                at = joined.find(quote)
                while at >= 0:
                    pairs.add((i, bisect_right(text_starts, at) - 1))
                    at = joined.find(quote, at + 1)
        rows, columns = zip(*sorted(pairs)) if pairs else ((), ())
        hits.append((np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)))
    return hits


def _shared_quotes(hits: list[tuple[np.ndarray, np.ndarray]], starts: np.ndarray, x: int, y: int) -> np.ndarray:
    """Which sentence pairs of articles x and y have one side quoting words the other side prints."""
    shared = np.zeros((starts[x + 1] - starts[x], starts[y + 1] - starts[y]), dtype=bool)
    rows, columns = hits[x]
    inside = (columns >= starts[y]) & (columns < starts[y + 1])
    shared[rows[inside], columns[inside] - starts[y]] = True
    rows, columns = hits[y]
    inside = (columns >= starts[x]) & (columns < starts[x + 1])
    shared[columns[inside] - starts[x], rows[inside]] = True
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
    floor: float = 1.0,
) -> tuple[Group, ...]:
    """Statements made of the pairs that score `threshold` or more, strongest pair first: a pair
    joins a group holding one of its sentences when the other sentence scores at least `floor` x
    `threshold` with every member of the group from another article (and its article has fewer
    than MAX_PER_ARTICLE sentences there), the group it scores best with if there are several,
    and starts a group of its own otherwise. So every pair that reaches the threshold is in a
    group, every member came in by such a pair, and every two members of a group score at least
    `floor` x `threshold`: a weaker link is enough inside a statement the strong ones make (two
    outlets each restate the wire's sentence, in words further from each other), but no chains.
    At `floor` 1 a group holds only pairs that reach the threshold. A group whose sentences all
    joined another group is dropped: it would repeat part of that statement."""
    eligible = [np.array([not s.boilerplate for s in a.sentences], dtype=bool) for a in articles]
    by_pair = {(s.x, s.y): s for s in pair_scores}

    def scored(a: Member, b: Member) -> float:
        a, b = (a, b) if a.article < b.article else (b, a)
        return float(by_pair[(a.article, b.article)].score[a.sentence, b.sentence])

    def named(m: Member) -> tuple[str, str, int]:
        """A member by its article's name: ties break the same whatever order the articles come in."""
        return articles[m.article].name, articles[m.article].source, m.sentence

    links: list[tuple[float, Member, Member]] = []
    for scores in pair_scores:
        keep = (scores.score >= threshold) & eligible[scores.x][:, None] & eligible[scores.y][None, :]
        links += [(float(scores.score[i, j]), Member(scores.x, int(i)), Member(scores.y, int(j)))
                  for i, j in zip(*np.nonzero(keep))]
    links.sort(key=lambda link: (-link[0], sorted((named(link[1]), named(link[2])))))
    # the floor as a float32, as the scores are: a score is an exact float32, so comparing the two
    # as Python floats gives what comparing them in float32 gives
    weakest = float(np.float32(floor * threshold))

    found: list[list[Member]] = []
    holding: dict[Member, list[int]] = {}  # the groups (indices into found) that hold a sentence
    for _, a, b in links:
        if set(holding.get(a, [])) & set(holding.get(b, [])):
            continue  # already in one group together
        joinable = []
        for k in sorted(set(holding.get(a, [])) | set(holding.get(b, []))):
            new = b if a in found[k] else a
            others = [m for m in found[k] if m.article != new.article]
            with_others = [scored(new, m) for m in others]
            if len(found[k]) - len(others) < MAX_PER_ARTICLE and min(with_others) >= weakest:
                joinable.append((-sum(with_others) / len(others), k, new))
        if joinable:
            _, k, new = min(joinable)  # the group it agrees with best; the oldest on a tie
            found[k].append(new)
            holding.setdefault(new, []).append(k)
        else:
            found.append([a, b])
            for m in (a, b):
                holding.setdefault(m, []).append(len(found) - 1)
    # a statement whose sentences all joined a larger one later says nothing of its own
    kept = {frozenset(members) for members in found}
    kept = {members for members in kept if not any(members < other for other in kept)}
    groups = []
    for n, statement in enumerate(sorted(tuple(sorted(m)) for m in kept)):
        pairs = member_pairs(statement, by_pair)
        groups.append(Group(id=n, members=statement, score=round(float(np.mean([p.score for p in pairs])), 4),
                            pairs=pairs))
    return tuple(groups)


def mutual_best(by_pair: dict[tuple[int, int], PairScores], a: Member, b: Member) -> bool:
    """Whether two sentences of different articles are each the other's best match in its article:
    a pair sure enough to show a conflict between (on the shared blind gold, 0.86 of the conflicts
    and variants between such pairs sit on two sentences a reader links, against 0.67 of all; see
    docs/measuring.md)."""
    a, b = (a, b) if a.article < b.article else (b, a)
    scores = by_pair[(a.article, b.article)].score
    best = scores[a.sentence, b.sentence]
    return bool(scores[a.sentence].max() <= best and scores[:, b.sentence].max() <= best)


def member_pairs(members: tuple[Member, ...], by_pair: dict[tuple[int, int], PairScores]) -> tuple[Pair, ...]:
    """The scored pairs of a group's members from different articles; `by_pair` maps (x, y) to
    the PairScores of articles x < y."""
    pairs = []
    for a, b in combinations(members, 2):
        if a.article == b.article:
            continue
        scores = by_pair[(a.article, b.article)]
        i, j = a.sentence, b.sentence
        pairs.append(Pair(a, b, round(float(scores.score[i, j]), 4),
                          round(float(scores.cosine[i, j]), 4), round(float(scores.lexical[i, j]), 4)))
    return tuple(pairs)


def _detail_tokens(details: tuple[Detail, ...]) -> set[str]:
    """The exact values a sentence states, as tokens; a full date also states its weekday. Vague
    ones ("recently", "in the morning", "for months", "a couple") tell no two statements apart."""
    tokens = set()
    for detail in details:
        if detail.kind not in VALUE_KINDS or detail.value.startswith(_VAGUE_VALUES) or detail.value == "couple":
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
