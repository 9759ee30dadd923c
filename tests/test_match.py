"""The matching maths on small hand-made score matrices."""

import numpy as np

from align.match import MAX_PER_ARTICLE, PairScores, _links, group
from align.model import Article, Member, Sentence


def article(n: int, boilerplate: tuple[int, ...] = ()) -> Article:
    sentences = tuple(Sentence(i, i * 10, i * 10 + 9, f"sentence {i}", 0, i in boilerplate) for i in range(n))
    return Article("a", "a", " " * (n * 10), sentences)


def scores(x: int, y: int, matrix: list[list[float]]) -> PairScores:
    m = np.array(matrix, dtype=np.float32)
    return PairScores(x, y, m, m, m)


def test_links_are_order_free() -> None:
    # article 1 tells the same three facts in reverse order
    m = np.array([[0.1, 0.2, 0.9], [0.2, 0.8, 0.1], [0.7, 0.1, 0.2]])
    everyone = np.ones(3, dtype=bool)
    assert sorted(_links(m, 0.5, everyone, everyone)) == [(0, 2), (1, 1), (2, 0)]


def test_near_best_link_lets_a_sentence_join_two() -> None:
    # sentence 0 of article 0 was split in two by article 1
    m = np.array([[0.80, 0.78, 0.1]])
    assert sorted(_links(m, 0.5, np.ones(1, bool), np.ones(3, bool))) == [(0, 0), (0, 1)]


def test_weaker_partner_far_below_the_best_is_not_linked() -> None:
    m = np.array([[0.9, 0.6]])
    assert _links(m, 0.5, np.ones(1, bool), np.ones(2, bool)) == [(0, 0)]


def test_mutual_best_needs_a_little_less_than_the_threshold() -> None:
    m = np.array([[0.47, 0.1], [0.1, 0.2]])
    everyone = np.ones(2, bool)
    assert _links(m, 0.5, everyone, everyone) == [(0, 0)]
    assert _links(m, 0.6, everyone, everyone) == []


def test_groups_span_articles_and_keep_their_pair_scores() -> None:
    articles = (article(2), article(2), article(2))
    pair_scores = (
        scores(0, 1, [[0.9, 0.0], [0.0, 0.1]]),
        scores(0, 2, [[0.8, 0.0], [0.0, 0.1]]),
        scores(1, 2, [[0.85, 0.0], [0.0, 0.1]]),
    )
    (g,) = group(articles, pair_scores, 0.5)
    assert g.members == (Member(0, 0), Member(1, 0), Member(2, 0))
    assert sorted(p.score for p in g.pairs) == [0.8, 0.85, 0.9]
    assert g.score == round((0.8 + 0.85 + 0.9) / 3, 4)


def test_a_chain_of_links_does_not_become_one_group() -> None:
    # 0.0~1.0 and 1.0~2.0 are strong, but 0.0 and 2.0 have nothing in common
    articles = (article(1), article(1), article(1))
    pair_scores = (scores(0, 1, [[0.9]]), scores(0, 2, [[0.0]]), scores(1, 2, [[0.7]]))
    groups = group(articles, pair_scores, 0.5)
    assert [g.members for g in groups] == [(Member(0, 0), Member(1, 0))]


def test_no_group_holds_more_than_two_sentences_of_one_article() -> None:
    articles = (article(1), article(3))
    groups = group(articles, (scores(0, 1, [[0.9, 0.9, 0.9]]),), 0.5)
    assert len(groups) == 1 and len(groups[0].members) == 1 + MAX_PER_ARTICLE


def test_boilerplate_is_left_out() -> None:
    pair_scores = (scores(0, 1, [[0.9]]),)
    assert group((article(1, boilerplate=(0,)), article(1)), pair_scores, 0.5) == ()
    assert len(group((article(1), article(1)), pair_scores, 0.5)) == 1
