"""End to end on the five seed articles: what a careful reader knows about them."""

from __future__ import annotations

from itertools import combinations

from align import prepare
from align.model import Alignment, Member


def find(alignment: Alignment, article: int, words: str) -> Member:
    (match,) = [s for s in alignment.articles[article].sentences if words in s.text]
    return Member(article, match.index)


def together(alignment: Alignment, a: Member, b: Member) -> bool:
    return any(b in group.members for group in alignment.groups_of(a))


def test_pleased_is_the_best_candidate_for_satisfied(seed_alignment: Alignment, embedder) -> None:
    # The pair model gives them 0.11, under the threshold: mid-article sentences that share no rare
    # word rarely make one statement in independent reporting. The right partner is still the best.
    satisfied = find(seed_alignment, 1, "Putin was “satisfied” with the phone call")
    pleased = find(seed_alignment, 2, "President Putin was pleased")
    (scores,) = [s for s in prepare(seed_alignment.articles, embedder).pair_scores if (s.x, s.y) == (1, 2)]
    assert int(scores.score[satisfied.sentence].argmax()) == pleased.sentence


def test_ushakov_spellings_are_one_name_spelt_differently(seed_alignment: Alignment) -> None:
    satisfied = find(seed_alignment, 1, "according to Ushako,")
    variants = {(d.a_span.text, d.b_span.text) for group in seed_alignment.groups_of(satisfied)
                for d in group.divergences if d.kind == "name" and d.type == "variant" and d.a_span and d.b_span}
    assert ("Ushako", "Ushakov") in variants or ("Ushakov", "Ushako") in variants


def test_december_7_call_is_not_thursdays_call(seed_alignment: Alignment) -> None:
    thursday = find(seed_alignment, 0, "video conference on Thursday evening")
    december_7 = [find(seed_alignment, 1, "On December 7, Biden threatened"),
                  find(seed_alignment, 3, "videoconferencing on December 7, 2021"),
                  find(seed_alignment, 3, "reached during the December 7, 2021, videoconference")]
    for earlier in december_7:
        assert not together(seed_alignment, thursday, earlier)


def test_timing_sentences_of_the_thursday_call_align(seed_alignment: Alignment) -> None:
    fifty_001 = find(seed_alignment, 1, "talked on the phone for 50 minutes on Thursday")
    fifty_003 = find(seed_alignment, 3, "the 50 minutes phone call on Thursday, December 30, 2021")
    assert together(seed_alignment, fifty_001, fifty_003)


def test_the_article_about_another_call_aligns_less(seed_alignment: Alignment) -> None:
    """Pairs with 004 share fewer aligned sentences, per sentence, than the others: 0.94 as many
    with the pair model and its floor (0.87 with a floor of 1, 0.5 with the hand-set score it
    replaced). The shared gold has no two events in one cluster to learn the difference from; the
    floor, which lets a weaker link into a statement the strong ones make, adds 3 links with 004
    (47, 3 of them in the seeds gold) to the 44 it had."""
    content = [sum(not s.boilerplate for s in a.sentences) for a in seed_alignment.articles]
    linked: dict[tuple[int, int], set[Member]] = {}
    for group in seed_alignment.groups:
        for a, b in combinations(group.members, 2):
            if a.article != b.article:
                linked.setdefault(tuple(sorted((a.article, b.article))), set()).update((a, b))

    def density(x: int, y: int) -> float:
        return len(linked.get((x, y), ())) / (content[x] + content[y])

    with_004 = [density(x, 4) for x in range(4)]
    others = [density(x, y) for x, y in combinations(range(4), 2)]
    assert sum(with_004) / 4 < 0.97 * sum(others) / 6


def test_boilerplate_is_never_aligned(seed_alignment: Alignment) -> None:
    for group in seed_alignment.groups:
        assert not any(seed_alignment.sentence(m).boilerplate for m in group.members)
