"""What the matcher was unsure about: a sentence's best candidates in the other articles, and the
suggestions, pairs that score just under the threshold.

Measured on the shared gold (`../shared/eval/gold/clusters.jsonl`, shipped pair model, threshold
0.28, floor 0.6): a missed gold link has its partner among the top 3 candidates of one of its
sentences 68% of the time (top 5: 83%); the pairs within SUGGESTION_MARGIN (0.08) under the
threshold are 84 over the ten clusters, 26% of them gold links, holding 22 of the 221 missed links
and marking 121 of the 720 sentences (a margin of 0.12 marks 187, 20% right).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from align.match import PairScores
from align.model import Alignment, Member

SUGGESTION_MARGIN = 0.08
PER_ARTICLE = 3


@dataclass(frozen=True)
class Candidate:
    member: Member
    score: float
    apart: str = ""  # why a candidate at or above the threshold is not in the group, in words


def _apart(alignment: Alignment, member: Member, candidate: Member, cut: frozenset[frozenset[Member]]) -> str:
    """Why `candidate`, scoring at least the threshold with `member`, is not in the selected group:
    the reader took the two apart, or the pair makes another statement (a sentence of the group
    scores too low with it, or its article's sentences are full there), shown as another group."""
    if frozenset((member, candidate)) in cut:
        return "you took them apart"
    shared = [g for g in alignment.groups_of(candidate) if member in g.members]
    return f"with it in group {shared[0].id + 1}" if shared else ""


def _row(pair_scores: tuple[PairScores, ...], member: Member, other: int) -> np.ndarray:
    """The scores of `member` against every sentence of article `other`."""
    for s in pair_scores:
        if (s.x, s.y) == (member.article, other):
            return np.asarray(s.score[member.sentence])
        if (s.x, s.y) == (other, member.article):
            return np.asarray(s.score[:, member.sentence])
    raise ValueError(f"no scores between articles {member.article} and {other}")


def candidates(pair_scores: tuple[PairScores, ...], alignment: Alignment, member: Member,
               together: frozenset[Member] = frozenset(), per_article: int = PER_ARTICLE,
               cut: frozenset[frozenset[Member]] = frozenset()) -> tuple[Candidate, ...]:
    """The `per_article` best-scoring sentences of every other article for `member`, best first
    within each article, leaving out page furniture and the sentences in `together` (its group).
    One that reaches the threshold says why it is not in the group (see `_apart`; `cut`: the links
    the reader took apart)."""
    found = []
    for other, article in enumerate(alignment.articles):
        if other == member.article:
            continue
        row = _row(pair_scores, member, other)
        order = [int(j) for j in np.argsort(-row, kind="stable")
                 if not article.sentences[j].boilerplate and Member(other, int(j)) not in together]
        found += [Candidate(Member(other, j), round(float(row[j]), 4),
                            _apart(alignment, member, Member(other, j), cut)
                            if together and row[j] >= alignment.threshold else "")
                  for j in order[:per_article]]
    return tuple(found)


def suggestions(pair_scores: tuple[PairScores, ...], alignment: Alignment,
                cut: frozenset[frozenset[Member]] = frozenset(),
                margin: float = SUGGESTION_MARGIN) -> tuple[tuple[Member, Member, float], ...]:
    """Pairs scoring within `margin` under the alignment's threshold whose sentences share no
    group and were not taken apart by the reader (`cut`), in reading order."""
    eligible = [np.array([not s.boilerplate for s in a.sentences], dtype=bool) for a in alignment.articles]
    low = alignment.threshold - margin
    found = []
    for s in pair_scores:
        band = (s.score >= low) & (s.score < alignment.threshold) & eligible[s.x][:, None] & eligible[s.y][None, :]
        for i, j in zip(*np.nonzero(band)):
            a, b = Member(s.x, int(i)), Member(s.y, int(j))
            if frozenset((a, b)) in cut or set(alignment.groups_of(a)) & set(alignment.groups_of(b)):
                continue
            found.append((a, b, round(float(s.score[i, j]), 4)))
    return tuple(sorted(found))
