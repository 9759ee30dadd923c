"""Properties that must hold for any input (hypothesis)."""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align import align, load_articles
from align.export import to_json
from align.model import Member
from align.segment import segment
from tests.conftest import SEEDS, write


@given(st.text(min_size=1, max_size=400))
@settings(max_examples=300, deadline=None)
def test_segment_offsets_round_trip_on_any_unicode(text: str) -> None:
    article = segment("x", "x", text)
    previous_end = 0
    for n, s in enumerate(article.sentences):
        assert s.index == n and s.text and text[s.start : s.end] == s.text
        assert s.start >= previous_end
        previous_end = s.end
    covered = set()
    for s in article.sentences:
        covered.update(range(s.start, s.end))
    assert all(i in covered or text[i].isspace() for i in range(len(text)))


def _groups_by_name(alignment) -> set[frozenset[tuple[str, int]]]:
    return {frozenset((alignment.articles[m.article].name, m.sentence) for m in g.members)
            for g in alignment.groups}


@given(st.sampled_from(list(itertools.permutations(range(4)))))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_article_order_does_not_change_the_groups(embedder, order: tuple[int, ...]) -> None:
    reference = _groups_by_name(align(load_articles(SEEDS[:4]), embedder=embedder))
    shuffled = align(load_articles([SEEDS[i] for i in order]), embedder=embedder)
    assert _groups_by_name(shuffled) == reference


WORDS = ["Putin", "Biden", "talks", "Geneva", "sanctions", "50", "minutes", "Thursday", "troops",
         "“serious”", "not", "said", "the", "border", "on", "December", "7", "$3", "million", "[bold]", "\x1b[31m"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(lambda w: " ".join(w) + ".")
article = st.lists(sentence, min_size=1, max_size=6).map(" ".join)


@given(article, article)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_json_export_always_loads_and_follows_the_schema(embedder, tmp_path_factory, left: str, right: str) -> None:
    folder = tmp_path_factory.mktemp("prop")
    data = json.loads(to_json(align(load_articles([write(folder, "a.txt", left), write(folder, "b.txt", right)]),
                                    embedder=embedder)))
    assert data["schema"] == "diffnews/1" and set(data) == {"schema", "counted_from", "model", "threshold", "articles", "groups", "unaligned"}
    for a in data["articles"]:
        assert set(a) == {"id", "name", "source", "text", "sentences"}
        for s in a["sentences"]:
            assert a["text"][s["start"] : s["end"]] == s["text"]
    for g in data["groups"]:
        assert set(g) == {"id", "score", "origin", "members", "pairs", "divergences"} and g["origin"] == "matcher"
        assert len({m["article"] for m in g["members"]}) >= 2
        for d in g["divergences"]:
            assert d["type"] in {"conflict", "variant", "missing"} and (d["a_span"] or d["b_span"])
            for side in ("a", "b"):
                if d[f"{side}_span"]:
                    text = data["articles"][d[side]["article"]]["text"]
                    span = d[f"{side}_span"]
                    assert text[span["start"] : span["end"]] == span["text"]


@st.composite
def score_matrices(draw):
    """Three articles of one to four sentences and random pair scores between them."""
    import numpy as np

    from align.match import PairScores

    sizes = [draw(st.integers(1, 4)) for _ in range(3)]
    found = []
    for x, y in itertools.combinations(range(3), 2):
        values = draw(st.lists(st.sampled_from([0.1, 0.4, 0.55, 0.6, 0.7, 0.9]), min_size=sizes[x] * sizes[y],
                               max_size=sizes[x] * sizes[y]))
        m = np.array(values, dtype=np.float32).reshape(sizes[x], sizes[y])
        found.append(PairScores(x, y, m, m, m))
    return sizes, tuple(found)


@given(score_matrices(), st.sampled_from([1.0, 0.8, 0.6]))
@settings(max_examples=200, deadline=None)
def test_groups_hold_every_pair_that_reaches_the_threshold_and_none_under_the_floor(drawn, floor) -> None:
    import numpy as np

    from align.match import MAX_PER_ARTICLE, group
    from align.model import Article, Sentence

    sizes, pair_scores = drawn
    articles = tuple(Article(str(n), str(n), "x" * 10 * size,
                             tuple(Sentence(i, 10 * i, 10 * i + 9, "sentence", 0) for i in range(size)))
                     for n, size in enumerate(sizes))
    groups = group(articles, pair_scores, 0.5, floor)
    in_a_group = {(a, b) for g in groups for a in g.members for b in g.members if a.article < b.article}
    by_pair = {(s.x, s.y): s.score for s in pair_scores}
    reaching = {(Member(s.x, int(i)), Member(s.y, int(j))) for s in pair_scores for i, j in zip(*(s.score >= 0.5).nonzero())}
    assert reaching <= in_a_group
    assert all(by_pair[(a.article, b.article)][a.sentence, b.sentence] >= np.float32(0.5 * floor) for a, b in in_a_group)
    if floor == 1.0:
        assert in_a_group == reaching
    for g in groups:
        assert max(sum(m.article == a for m in g.members) for a in range(3)) <= MAX_PER_ARTICLE
        # every member came in by a pair that reaches the threshold
        assert all(any((a, b) in reaching or (b, a) in reaching for b in g.members) for a in g.members)
