"""The reader's corrections in the engine: edits, the sidecar, and applying them on later runs."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD, load_articles, prepare, regroup
from align import review as rv
from align.candidates import SUGGESTION_MARGIN, candidates, suggestions
from align.embed import Embedder
from align.evaluate import GoldCase, read_gold
from align.model import DiffnewsError, Member
from tests.conftest import CLUSTER_010, ROOT

pytestmark = pytest.mark.skipif(not CLUSTER_010.is_dir(), reason="../shared is not beside the checkout")


class Session:
    """The engine as the viewer drives it: a review, resolved against the articles and applied."""

    def __init__(self, sources: list[str], embedder: Embedder, sidecar: Path | None = None) -> None:
        self.articles = load_articles(sources)
        self.prepared = prepare(self.articles, embedder)
        self.sidecar = rv.Sidecar(sidecar or Path(sources[0] + rv.SUFFIX))
        self.review = self.sidecar.read()

    def alignment(self, threshold: float = DEFAULT_THRESHOLD):
        resolved = self.sidecar.resolve(self.review, self.articles)
        return regroup(self.prepared, threshold, resolved)

    def save(self) -> None:
        self.sidecar.write(self.review, self.articles, DEFAULT_THRESHOLD)


def three_article_group(alignment):
    return next(g for g in alignment.groups if len(g.articles()) == 3 and len(g.members) == 3)


def test_a_removed_sentence_stays_out_on_the_next_run_and_at_any_threshold(story, embedder) -> None:
    session = Session(story, embedder)
    group = three_article_group(session.alignment())
    out, rest = group.members[0], set(group.members[1:])
    session.review = rv.remove(session.review, session.alignment(), group, out)
    session.save()
    later = Session(story, embedder)
    for threshold in (DEFAULT_THRESHOLD, 0.10):
        alignment = later.alignment(threshold)
        kept = [g for g in alignment.groups if set(g.members) == rest]
        assert kept and kept[0].origin == "corrected"
        assert not any(out in g.members and rest & set(g.members) for g in alignment.groups)


def test_taking_a_sentence_out_of_its_group_takes_no_partner_out_of_another() -> None:
    import numpy as np

    from align.match import PairScores
    from align.model import Group

    taken, fox, huffpost, other = Member(0, 4), Member(1, 0), Member(2, 0), Member(1, 7)
    scores = tuple(PairScores(x, y, *(np.full((8, 8), 0.5, dtype=np.float32),) * 3) for x, y in ((0, 1), (0, 2), (1, 2)))
    first = Group(0, (taken, fox, huffpost), 0.5, ())
    second = Group(1, (taken, other, huffpost), 0.5, ())
    cut = frozenset({frozenset((taken, fox)), frozenset((taken, huffpost))})  # what x on `taken` in `first` cuts
    statement = rv.Statement(frozenset())
    resolved = rv.Resolved(rv.Review(), ((statement, (fox, huffpost)),), cut)
    groups = rv.apply(resolved, [], scores, [first, second])
    assert sorted(g.members for g in groups) == [(fox, huffpost), (other, huffpost)]  # `second` lost `taken` alone


def test_a_linked_candidate_joins_the_group_and_keeps_its_other_groups(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    group = three_article_group(alignment)
    found = candidates(session.prepared.pair_scores, alignment, group.members[0], frozenset(group.members))
    # a candidate in a group of its own that the new statement will not hold whole (one it holds is
    # superseded by it, as review.apply says)
    grouped = next(c.member for c in found if alignment.groups_of(c.member) and not any(
        set(g.members) <= set(group.members) | {c.member} for g in alignment.groups_of(c.member)))
    before = {g.members for g in alignment.groups_of(grouped)}
    session.review = rv.add(session.review, alignment, group, group.members[0], [grouped])
    after = session.alignment()
    assert any(set(g.members) == set(group.members) | {grouped} and g.origin == "corrected" for g in after.groups)
    assert before <= {g.members for g in after.groups_of(grouped)}  # a sentence may make two statements


def test_split_merge_confirm_and_take_back(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    big = max(alignment.groups, key=lambda g: len(g.members))
    leaving = {m for m in big.members if m.article != big.members[0].article}
    leaving = set(list(leaving)[:1]) | {big.members[0]}
    session.review = rv.split(session.review, alignment, big, leaving)
    split = session.alignment()
    assert any(set(g.members) == leaving for g in split.groups)
    rest = set(big.members) - leaving
    if len({m.article for m in rest}) >= 2:
        assert any(set(g.members) == rest for g in split.groups)
    one = next(g for g in split.groups if set(g.members) == leaving)
    other = next(g for g in split.groups if g.origin == "matcher")
    session.review = rv.merge(session.review, split, one, other)
    merged = session.alignment()
    assert any(set(g.members) == leaving | set(other.members) for g in merged.groups)

    untouched = next(g for g in merged.groups if g.origin == "matcher")
    session.review = rv.confirm(session.review, merged, untouched)
    confirmed = next(g for g in session.alignment().groups if g.members == untouched.members)
    assert confirmed.origin == "confirmed"
    session.review = rv.confirm(session.review, session.alignment(), confirmed)
    assert next(g for g in session.alignment().groups if g.members == untouched.members).origin == "matcher"


def test_a_sidecar_round_trips_and_is_keyed_by_content_and_offsets(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    group = three_article_group(alignment)
    session.review = rv.confirm(session.review, alignment, group)
    session.save()
    data = json.loads(Path(story[0] + rv.SUFFIX).read_text(encoding="utf-8"))
    member = data["statements"][0]["members"][0]
    assert set(member) == {"article", "start", "end", "text"} and "index" not in member
    assert data["articles"][0]["source"] == "a.txt"  # relative to the file's folder
    assert rv.Sidecar(Path(story[0] + rv.SUFFIX)).read() == session.review
    # the articles in another order: the same sentences, so the same group
    swapped = Session(story[::-1], embedder, Path(story[0] + rv.SUFFIX))
    texts = {swapped.articles[m.article].sentences[m.sentence].text
             for g in swapped.alignment().groups if g.origin == "confirmed" for m in g.members}
    assert texts == {alignment.sentence(m).text for m in group.members}


def test_a_change_of_segmenter_keeps_the_corrections_whose_sentences_still_exist(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    first, second = alignment.groups[0], alignment.groups[-1]
    session.review = rv.confirm(rv.confirm(session.review, alignment, first), alignment, second)
    # A segmenter that joins the first sentence of article 0 with the next one
    article = session.articles[0]
    gone = article.sentences[first.members[0].sentence] if first.members[0].article == 0 else None
    assert gone is not None
    joined = replace(gone, end=article.sentences[gone.index + 1].end,
                     text=article.text[gone.start:article.sentences[gone.index + 1].end])
    resegmented = replace(article, sentences=tuple(
        [s for s in article.sentences if s.index < gone.index] + [joined]
        + [replace(s, index=s.index - 1) for s in article.sentences if s.index > gone.index + 1]))
    resolved = rv.resolve(session.review, (resegmented, *session.articles[1:]), {}, [])
    assert len(resolved.statements) == 1 and len(resolved.stale) == 1
    assert "no longer in its article" in resolved.stale[0]
    assert len(resolved.review.statements) == 2  # the stale one is kept, not dropped


def test_an_edited_article_keeps_what_still_exists_and_reports_the_rest_once(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    edited_group = next(g for g in alignment.groups if any(m.article == 1 for m in g.members))
    kept_group = next(g for g in alignment.groups if all(m.article != 1 for m in g.members))
    session.review = rv.confirm(rv.confirm(session.review, alignment, edited_group), alignment, kept_group)
    session.save()
    path = Path(story[1])
    sentence = alignment.sentence(next(m for m in edited_group.members if m.article == 1)).text
    path.write_text("A new first paragraph.\n\n" + path.read_text(encoding="utf-8").replace(sentence, "Rewritten."),
                    encoding="utf-8")
    later = Session(story, embedder)
    after = later.alignment()
    assert len(after.stale) == 1 and _short(sentence) in after.stale[0]
    confirmed = [g for g in after.groups if g.origin == "confirmed"]
    assert [len(g.members) for g in confirmed] == [len(kept_group.members)]
    later.save()  # the stale correction is still in the file
    assert len(rv.Sidecar(Path(story[0] + rv.SUFFIX)).read().statements) == 2


def _short(text: str) -> str:
    return " ".join(text.split())[:40]


@pytest.mark.parametrize("content", ["{not json", '{"schema": "other"}', '[1, 2]',
                                     '{"schema": "diffnews-review/1", "statements": [{"members": [{"article": "x"}]}]}',
                                     '{"schema": "diffnews-review/1", "cut": [[{"article": "x", "start": 5, '
                                     '"end": 2, "text": "t"}]]}'])
def test_a_damaged_sidecar_is_a_clear_error_and_left_as_it_is(tmp_path, content) -> None:
    path = tmp_path / "a.txt.review.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DiffnewsError, match="damaged review file"):
        rv.Sidecar(path).read()
    assert path.read_text(encoding="utf-8") == content


def test_two_writers_never_corrupt_the_file_and_the_second_is_told(story, embedder) -> None:
    one, two = Session(story, embedder), Session(story, embedder)
    alignment = one.alignment()
    one.review = rv.confirm(one.review, alignment, alignment.groups[0])
    two.review = rv.confirm(two.review, alignment, alignment.groups[1])
    assert one.sidecar.write(one.review, one.articles, DEFAULT_THRESHOLD) is None
    warning = two.sidecar.write(two.review, two.articles, DEFAULT_THRESHOLD)
    assert warning and "changed by another diffnews" in warning
    assert rv.Sidecar(two.sidecar.path).read() == two.review  # last write wins, whole


def test_suggestions_lie_just_under_the_threshold_outside_any_shared_group(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    found = suggestions(session.prepared.pair_scores, alignment)
    assert found
    for a, b, score in found:
        assert DEFAULT_THRESHOLD - SUGGESTION_MARGIN <= score < DEFAULT_THRESHOLD
        assert not set(alignment.groups_of(a)) & set(alignment.groups_of(b))
    a, b, _ = found[0]
    cut = frozenset({frozenset((a, b))})
    assert (a, b) not in [(x, y) for x, y, _ in suggestions(session.prepared.pair_scores, alignment, cut)]


def test_candidates_are_the_best_per_other_article_outside_the_group(story, embedder) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    group = three_article_group(alignment)
    member = group.members[0]
    found = candidates(session.prepared.pair_scores, alignment, member, frozenset(group.members))
    assert len(found) == 6 and not set(c.member for c in found) & set(group.members)
    for article in {c.member.article for c in found}:
        scores = [c.score for c in found if c.member.article == article]
        assert scores == sorted(scores, reverse=True) and len(scores) == 3


def test_a_candidate_over_the_threshold_says_why_it_is_not_in_the_group() -> None:
    import numpy as np

    from align.match import PairScores, group
    from align.model import Alignment, Article, Sentence

    def article(n: int) -> Article:
        return Article("a", "a", " " * 10 * n, tuple(Sentence(i, 10 * i, 10 * i + 9, f"s {i}", 0) for i in range(n)))

    # 0.0 links 1.0 and 2.0; 1.1 scores 0.9 with 0.0 but only 0.1 with 2.0: the floor keeps it out
    matrices = {(0, 1): [[0.95, 0.9]], (0, 2): [[0.9]], (1, 2): [[0.9], [0.1]]}
    pair_scores = tuple(PairScores(x, y, *(np.array(m, dtype=np.float32),) * 3) for (x, y), m in matrices.items())
    articles = (article(1), article(2), article(1))
    groups = group(articles, pair_scores, 0.5, floor=0.6)
    alignment = Alignment(articles, groups, "m", 0.5)
    together = frozenset(alignment.group_of(Member(0, 0)).members)
    assert Member(1, 1) not in together
    (found,) = [c for c in candidates(pair_scores, alignment, Member(0, 0), together) if c.member == Member(1, 1)]
    other = alignment.group_of(Member(1, 1))
    assert found.apart == f"with it in group {other.id + 1}" and Member(0, 0) in other.members
    cut = frozenset({frozenset((Member(0, 0), Member(1, 1)))})
    (found,) = [c for c in candidates(pair_scores, alignment, Member(0, 0), together, cut=cut)
                if c.member == Member(1, 1)]
    assert found.apart == "you took them apart"


def test_the_cli_applies_the_sidecar_and_writes_it_as_gold(story, embedder, tmp_path) -> None:
    session = Session(story, embedder)
    alignment = session.alignment()
    group = three_article_group(alignment)
    session.review = rv.remove(session.review, alignment, group, group.members[0])
    session.save()
    exported = subprocess.run([sys.executable, "-m", "tui", *story, "-f", "json"], capture_output=True, text=True,
                              timeout=300, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    groups = json.loads(exported.stdout)["groups"]
    corrected = [g for g in groups if g["origin"] == "corrected"]
    assert [[(m["article"], m["sentence"]) for m in g["members"]] for g in corrected] == [
        [(m.article, m.sentence) for m in group.members[1:]]]
    plain = subprocess.run([sys.executable, "-m", "tui", *story, "-f", "json", "--no-review"], capture_output=True,
                           text=True, timeout=300, cwd=ROOT)
    assert {g["origin"] for g in json.loads(plain.stdout)["groups"]} == {"matcher"}

    out = tmp_path / "gold.jsonl"
    made = subprocess.run([sys.executable, "-m", "tui", "gold", story[0] + rv.SUFFIX, "-o", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert made.returncode == 0, made.stderr
    assert "1 corrected" in made.stderr
    case = read_gold(out)[0]
    assert isinstance(case, GoldCase) and case.id == "a.txt"
    m, n = group.members[0], group.members[1]
    assert (m.article, m.sentence, n.article, n.sentence) not in case.links
    assert (group.members[1].article, group.members[1].sentence,
            group.members[2].article, group.members[2].sentence) in case.links
    scored = subprocess.run([sys.executable, "-m", "tui", "eval", story[0] + rv.SUFFIX, "--json"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout.splitlines()[-1])["gold_links"] == len(case.links)


def test_gold_from_a_review_file_that_is_not_there_is_one_line(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "gold", str(tmp_path / "a.txt.review.json")],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"diffnews: error: {tmp_path / 'a.txt.review.json'}: no such review file\n"


def test_a_damaged_sidecar_stops_the_cli_with_one_line(story) -> None:
    sidecar = Path(story[0] + rv.SUFFIX)
    sidecar.write_text("{oops", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tui", *story, "-f", "json"], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "damaged review file" in result.stderr
    assert sidecar.read_text(encoding="utf-8") == "{oops"
