"""The matching maths on small hand-made score matrices."""

import numpy as np
import pytest

from align.details import extract
from align.match import MAX_PER_ARTICLE, QUOTE_MIN_WORDS, SHARED_QUOTE_BONUS, PairScores, group, score_pairs
from align.lexical import MIN_SENTENCES
from align.model import Article, Member, Sentence


def article(n: int, boilerplate: tuple[int, ...] = ()) -> Article:
    sentences = tuple(Sentence(i, i * 10, i * 10 + 9, f"sentence {i}", 0, i in boilerplate) for i in range(n))
    return Article("a", "a", " " * (n * 10), sentences)


def scores(x: int, y: int, matrix: list[list[float]]) -> PairScores:
    m = np.array(matrix, dtype=np.float32)
    return PairScores(x, y, m, m, m)


def test_links_are_order_free() -> None:
    # article 1 tells the same three facts in reverse order
    pair_scores = (scores(0, 1, [[0.1, 0.2, 0.9], [0.2, 0.8, 0.1], [0.7, 0.1, 0.2]]),)
    groups = group((article(3), article(3)), pair_scores, 0.5)
    assert sorted(g.members for g in groups) == [(Member(0, 0), Member(1, 2)), (Member(0, 1), Member(1, 1)),
                                                 (Member(0, 2), Member(1, 0))]


def test_a_sentence_split_in_two_by_the_other_article_aligns_with_both_halves() -> None:
    (g,) = group((article(1), article(3)), (scores(0, 1, [[0.80, 0.78, 0.1]]),), 0.5)
    assert g.members == (Member(0, 0), Member(1, 0), Member(1, 1))


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
    # 0.0~1.0 and 1.0~2.0 are strong, but 0.0 and 2.0 have nothing in common: sentence 1.0 makes
    # two statements, one with each
    articles = (article(1), article(1), article(1))
    pair_scores = (scores(0, 1, [[0.9]]), scores(0, 2, [[0.0]]), scores(1, 2, [[0.7]]))
    groups = group(articles, pair_scores, 0.5)
    assert [g.members for g in groups] == [(Member(0, 0), Member(1, 0)), (Member(1, 0), Member(2, 0))]


def test_a_sentence_joins_a_group_only_if_it_aligns_with_every_member_of_another_article() -> None:
    articles = (article(1), article(1), article(1))
    pair_scores = (scores(0, 1, [[0.9]]), scores(0, 2, [[0.6]]), scores(1, 2, [[0.55]]))
    (g,) = group(articles, pair_scores, 0.5)
    assert g.members == (Member(0, 0), Member(1, 0), Member(2, 0))
    assert [g.members for g in group(articles, pair_scores, 0.58)] == [(Member(0, 0), Member(1, 0)),
                                                                         (Member(0, 0), Member(2, 0))]


def test_inside_a_statement_the_strong_links_make_a_weaker_link_is_enough() -> None:
    # 1.0 and 2.0 each restate 0.0 (0.9, 0.8) in words further from each other (0.35)
    articles = (article(1), article(1), article(1))
    pair_scores = (scores(0, 1, [[0.9]]), scores(0, 2, [[0.8]]), scores(1, 2, [[0.35]]))
    (g,) = group(articles, pair_scores, 0.5, floor=0.6)
    assert g.members == (Member(0, 0), Member(1, 0), Member(2, 0))
    assert [g.members for g in group(articles, pair_scores, 0.5, floor=0.8)] == [(Member(0, 0), Member(1, 0)),
                                                                                 (Member(0, 0), Member(2, 0))]
    # a weak link alone aligns nothing
    assert group(articles[:2], (scores(0, 1, [[0.35]]),), 0.5, floor=0.6) == ()


def test_no_group_repeats_part_of_another() -> None:
    # two short articles where every pair scores high: the identical pair 0.1~1.1 first makes a
    # statement of its own, then both its sentences join the group of 0.0~1.0
    pair_scores = (scores(0, 1, [[1.0, 0.99], [0.994, 1.0]]),)
    groups = group((article(2), article(2)), pair_scores, 0.5)
    assert [g.members for g in groups] == [(Member(0, 0), Member(0, 1), Member(1, 0), Member(1, 1))]


def test_no_group_holds_more_than_max_per_article_sentences_of_one_article() -> None:
    articles = (article(1), article(MAX_PER_ARTICLE + 2))
    groups = group(articles, (scores(0, 1, [[0.9] * (MAX_PER_ARTICLE + 2)]),), 0.5)
    assert [len(g.members) for g in groups] == [1 + MAX_PER_ARTICLE, 3]  # the two left over start another
    assert {m for g in groups for m in g.members} == {Member(0, 0)} | {Member(1, j) for j in range(MAX_PER_ARTICLE + 2)}


def test_boilerplate_is_left_out() -> None:
    pair_scores = (scores(0, 1, [[0.9]]),)
    assert group((article(1, boilerplate=(0,)), article(1)), pair_scores, 0.5) == ()
    assert len(group((article(1), article(1)), pair_scores, 0.5)) == 1


def words(*articles: tuple[str, ...]) -> np.ndarray:
    """The word-overlap matrix (lexical score) of two articles given as sentence texts."""
    built = tuple(Article(str(n), str(n), " ".join(texts),
                          tuple(Sentence(i, 0, len(t), t, 0, False) for i, t in enumerate(texts)))
                  for n, texts in enumerate(articles))
    vectors = tuple(np.ones((len(a.sentences), 1), dtype=np.float32) for a in built)
    details = tuple(tuple(() for _ in a.sentences) for a in built)
    (pair,) = score_pairs(built, vectors, details)
    return pair.lexical


def test_words_every_sentence_has_weigh_nothing() -> None:
    others = ["troops", "rain", "talks", "sanctions", "winter", "borders", "prices", "tanks", "ships", "votes"]
    m = words(("Officials warned of a mistake.", *(f"Officials warned of {w}." for w in others)),
              ("Officials warned of a mistake.", *(f"Officials warned of new {w}." for w in others)))
    assert m[0, 0] == pytest.approx(1.0)
    assert m[0, 1] == m[1, 0] == 0
    assert m[1, 1] > 0  # "troops" in both


def test_in_a_handful_of_sentences_shared_words_still_count() -> None:
    # with fewer than MIN_SENTENCES sentences, which words the story uses everywhere is unknown
    assert MIN_SENTENCES == 20
    m = words(("Officials warned of a mistake.",), ("Officials warned of a colossal mistake.",))
    assert m[0, 0] > 0.8


def test_names_are_not_what_a_sentence_says_but_title_case_headlines_keep_their_words() -> None:
    m = words(("Talks were useful, Ushakov told reporters.", "Putin Warns Biden Of Colossal Mistake"),
              ("Weather was cold, Ushakov noted.", "Putin warned Biden it would be a colossal mistake."))
    assert m[0, 0] == 0  # only the name in common
    assert m[1, 1] > 0.5


def combined(a: str, b: str) -> float:
    """The combined score of two one-sentence articles with equal embeddings."""
    built = tuple(Article(str(n), str(n), t, (Sentence(0, 0, len(t), t, 0, False),)) for n, t in enumerate((a, b)))
    vectors = tuple(np.ones((1, 1), dtype=np.float32) for _ in built)
    (pair,) = score_pairs(built, vectors, ((extract(a),), (extract(b),)))
    return float(pair.score[0, 0])


def test_a_remark_one_side_quotes_and_the_other_prints_adds_the_quote_bonus() -> None:
    printed = "Lauten wrote that they should dress like you deserve respect."
    quoted = "She told them: “Dress like you deserve respect,” on Friday."
    assert combined(quoted, printed) - combined(quoted.replace("“", "").replace("”", ""), printed) == (
        pytest.approx(SHARED_QUOTE_BONUS))
    short = "She told them: “deserve respect,” on Friday."
    assert QUOTE_MIN_WORDS > 2
    assert combined(short, printed) == pytest.approx(combined(short.replace("“", "").replace("”", ""), printed))


def test_the_quote_bonus_finds_the_quoted_words_in_whichever_article_prints_them() -> None:
    printed = "Lauten wrote that they should dress like you deserve respect."
    quoted = "She told them: “Dress like you deserve respect,” on Friday."
    other = "The congressman did not comment on the post."

    def scored(quote: str) -> tuple[PairScores, ...]:
        texts = [(other, quote, other), (other, other, printed), (printed, other, other)]
        built = tuple(Article(str(n), str(n), " ".join(t), tuple(Sentence(i, 0, len(s), s, 0, False)
                                                                   for i, s in enumerate(t))) for n, t in enumerate(texts))
        vectors = tuple(np.ones((3, 1), dtype=np.float32) for _ in built)
        return score_pairs(built, vectors, tuple(tuple(extract(s) for s in t) for t in texts))

    unquoted = scored(quoted.replace("“", "").replace("”", ""))
    found = {(p.x, p.y): np.argwhere(p.score - q.score > SHARED_QUOTE_BONUS / 2).tolist()
             for p, q in zip(scored(quoted), unquoted)}
    assert found == {(0, 1): [[1, 2]], (0, 2): [[1, 0]], (1, 2): []}


def test_mutual_best_means_each_is_the_others_best_in_its_article() -> None:
    from align.match import mutual_best

    by_pair = {(0, 1): scores(0, 1, [[0.9, 0.95], [0.2, 0.3]])}
    assert mutual_best(by_pair, Member(0, 0), Member(1, 1))
    assert mutual_best(by_pair, Member(1, 1), Member(0, 0))  # either order
    assert not mutual_best(by_pair, Member(0, 0), Member(1, 0))  # 0.0's best in article 1 is 1.1
    assert not mutual_best(by_pair, Member(0, 1), Member(1, 1))  # 1.1's best in article 0 is 0.0


def test_conflicts_and_variants_are_shown_only_between_mutual_best_matches(embedder) -> None:
    from align import load_articles, prepare, regroup
    from align.divergence import diverge
    from align.match import mutual_best
    from tests.conftest import SEEDS

    prepared = prepare(load_articles(SEEDS), embedder)
    by_pair = {(s.x, s.y): s for s in prepared.pair_scores}
    shown = regroup(prepared, 0.2)  # a low threshold: loose groups, where the rule has work to do
    kept = dropped = 0
    for g in shown.groups:
        for d in g.divergences:
            assert d.type == "missing" or d.kind == "name" or mutual_best(by_pair, d.a, d.b)
            kept += d.type != "missing"
        sentences = {m: prepared.articles[m.article].sentences[m.sentence] for m in g.members}
        details = {m: prepared.details[m.article][m.sentence] for m in g.members}
        dropped += sum(d.type != "missing" for d in diverge(g, sentences, details)) - sum(
            d.type != "missing" for d in g.divergences)
    assert kept and dropped
