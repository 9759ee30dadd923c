"""Score predicted alignments against a gold file: precision, recall and F1 over sentence links."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

from align import Prepared, prepare
from align.boilerplate import is_boilerplate, opens_boilerplate_paragraph
from align.details import extract_article
from align.divergence import diverge
from align.embed import Embedder
from align.match import group
from align.pair_model import PairModel
from align.model import Alignment, Article, DetailKind, DiffnewsError, DivergenceType, Group, Member, Sentence

Link = tuple[int, int, int, int]  # article a, sentence i, article b, sentence j, with (a, i) < (b, j)
KINDS = get_args(DetailKind)
TYPES = get_args(DivergenceType)


@dataclass(frozen=True)
class GoldCase:
    id: str
    articles: tuple[tuple[str, ...], ...]
    links: frozenset[Link]


@dataclass(frozen=True)
class DivergenceCase:
    """Two aligned sentences and the divergences a careful reader flags between them."""

    id: str
    a: str
    b: str
    divergences: frozenset[tuple[str, str, str | None, str | None]]  # kind, type, a text, b text
    a_before: tuple[str, ...] = ()  # the sentences of a's paragraph before it: a quote may open there
    b_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.gold + other.gold, self.predicted + other.predicted, self.correct + other.correct)


def read_gold(path: Path) -> list[GoldCase | DivergenceCase]:
    """Cases from a JSON-lines gold file; a bad line is a DiffnewsError naming its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DiffnewsError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise DiffnewsError(f"{path}: not UTF-8 text") from None
    cases = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            cases.append(_case(line, f"{path}, line {number}"))
    if not cases:
        raise DiffnewsError(f"{path}: no cases")
    return cases


def _case(line: str, where: str) -> GoldCase | DivergenceCase:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise DiffnewsError(f"{where}: not JSON ({error.msg})") from None
    if isinstance(data, dict) and "divergences" in data:
        return _divergence_case(data, where)
    if not isinstance(data, dict) or not {"id", "articles", "links"} <= data.keys():
        raise DiffnewsError(f"{where}: a case needs 'id', 'articles' and 'links'")
    articles = data["articles"]
    if (not isinstance(articles, list) or len(articles) < 2
            or not all(isinstance(a, list) and a and all(isinstance(s, str) and s.strip() for s in a)
                       for a in articles)):
        raise DiffnewsError(f"{where}: 'articles' must be two or more non-empty lists of sentences")
    links = set()
    for link in data["links"]:
        if (not isinstance(link, list) or len(link) != 4 or not all(isinstance(n, int) for n in link)
                or not (0 <= link[0] < len(articles) and 0 <= link[2] < len(articles))
                or not (0 <= link[1] < len(articles[link[0]]) and 0 <= link[3] < len(articles[link[2]]))
                or link[0] == link[2]):
            raise DiffnewsError(f"{where}: link {link!r} does not name sentences of two different articles")
        links.add(_ordered(*link))
    return GoldCase(str(data["id"]), tuple(tuple(a) for a in articles), frozenset(links))


def _divergence_case(data: dict[str, object], where: str) -> DivergenceCase:
    a, b, flagged = data.get("a"), data.get("b"), data.get("divergences")
    if not (isinstance(a, str) and isinstance(b, str) and isinstance(flagged, list)):
        raise DiffnewsError(f"{where}: a divergence case needs sentences 'a' and 'b' and a list 'divergences'")
    a_before, b_before = (data.get(key, []) for key in ("a_before", "b_before"))
    if not (isinstance(a_before, list) and isinstance(b_before, list)
            and all(isinstance(s, str) for s in a_before + b_before)):
        raise DiffnewsError(f"{where}: 'a_before' and 'b_before' must be lists of sentences")
    found = set()
    for d in flagged:
        if (not isinstance(d, dict) or d.get("kind") not in KINDS or d.get("type") not in TYPES
                or not (isinstance(d.get("a"), str) or isinstance(d.get("b"), str))):
            raise DiffnewsError(f"{where}: divergence {d!r} needs a known 'kind' and 'type' and an 'a' or 'b' text")
        found.add((d["kind"], d["type"], d.get("a"), d.get("b")))
    return DivergenceCase(str(data.get("id", where)), a, b, frozenset(found),
                          tuple(a_before), tuple(b_before))


def _ordered(a: int, i: int, b: int, j: int) -> Link:
    return (a, i, b, j) if (a, i) < (b, j) else (b, j, a, i)


def articles_of(case: GoldCase) -> tuple[Article, ...]:
    """Pre-segmented articles: one sentence a line, so segmentation does not blur the score."""
    articles = []
    for n, sentences in enumerate(case.articles):
        text, built, start = "", [], 0
        for index, sentence in enumerate(sentences):
            sentence = " ".join(sentence.split())
            furniture = is_boilerplate(sentence) or opens_boilerplate_paragraph(sentence)
            built.append(Sentence(index, start, start + len(sentence), sentence, index, furniture))
            text += sentence + "\n"
            start = len(text)
        articles.append(Article(f"{case.id}/{n}", f"{case.id}/{n}", text, tuple(built)))
    return tuple(articles)


def _one_paragraph(article: Article) -> Article:
    return replace(article, sentences=tuple(replace(s, paragraph=0) for s in article.sentences))


def links_of(members: Iterable[Member]) -> set[Link]:
    """Every pair of the sentences, from different articles, as a gold file writes a link."""
    members = list(members)
    return {_ordered(x.article, x.sentence, y.article, y.sentence) for x in members for y in members
            if x.article != y.article}


def predicted_links(alignment: Alignment) -> frozenset[Link]:
    """Every pair of sentences from different articles that share a group."""
    return frozenset(link for group in alignment.groups for link in links_of(group.members))


def grouped_links(prepared: Prepared, threshold: float) -> frozenset[Link]:
    """The links of the matcher's groups at `threshold`: `predicted_links(regroup(...))` without
    finding the groups' divergences, which scoring links does not need."""
    groups = group(prepared.articles, prepared.pair_scores, threshold, prepared.floor)
    return frozenset(link for g in groups for link in links_of(g.members))


def case_json(case: GoldCase) -> dict[str, object]:
    """A link case as one line of a gold file holds it."""
    return {"id": case.id, "articles": [list(a) for a in case.articles], "links": [list(k) for k in sorted(case.links)]}


def score(gold: frozenset[Link], predicted: frozenset[Link]) -> Score:
    return Score(len(gold), len(predicted), len(gold & predicted))


Flag = tuple[str, str, str | None, str | None]


def _same_flag(gold: Flag, predicted: Flag) -> bool:
    """Kind and type equal; each side's text equal, or one containing the other ("9:35 pm" in "9:35 pm CET")."""
    def same_text(x: str | None, y: str | None) -> bool:
        if x is None or y is None:
            return x is y
        x, y = x.lower().strip(" .,"), y.lower().strip(" .,")
        return x in y or y in x

    return gold[:2] == predicted[:2] and same_text(gold[2], predicted[2]) and same_text(gold[3], predicted[3])


def prepare_cases(cases: list[GoldCase], embedder: Embedder, method: str = "learned",
                  model: PairModel | None = None) -> list[Prepared]:
    return [prepare(articles_of(case), embedder, method=method, model=model) for case in cases]


def flagged(case: DivergenceCase) -> frozenset[tuple[str, str, str | None, str | None]]:
    """What diffnews flags between the two sentences of a divergence case, taken as one group, each
    read after the sentences of its paragraph before it (a quote opened there runs on)."""
    paragraphs = ((*case.a_before, case.a), (*case.b_before, case.b))
    members = (Member(0, len(case.a_before)), Member(1, len(case.b_before)))
    articles = [_one_paragraph(article) for article in articles_of(GoldCase(case.id, paragraphs, frozenset()))]
    sentences = {m: articles[m.article].sentences[m.sentence] for m in members}
    details = {m: extract_article(articles[m.article].sentences)[m.sentence] for m in members}
    found = diverge(Group(0, members, 0.0, ()), sentences, details)
    return frozenset((d.kind, d.type, d.a_span.text if d.a_span else None, d.b_span.text if d.b_span else None)
                     for d in found)


def divergence_errors(case: DivergenceCase) -> tuple[list[Flag], list[Flag], int]:
    """What diffnews flagged that the gold has not (false), what it missed, and how many it got right."""
    false = list(flagged(case))
    missed = []
    for gold in sorted(case.divergences, key=str):
        match = next((p for p in false if _same_flag(gold, p)), None)
        if match:
            false.remove(match)
        else:
            missed.append(gold)
    return sorted(false, key=str), missed, len(case.divergences) - len(missed)


def score_divergences(cases: list[DivergenceCase]) -> Score:
    """Micro precision and recall of flagged divergences: kind, type and both texts must match."""
    total = Score(0, 0, 0)
    for case in cases:
        false, _, correct = divergence_errors(case)
        total += Score(len(case.divergences), correct + len(false), correct)
    return total


@dataclass(frozen=True)
class LinkError:
    """A link diffnews got wrong: predicted but not in the gold ("false"), or in the gold but not predicted ("missed")."""

    case: str
    kind: str
    link: Link
    score: float  # the pair's combined score, to see how far it was from the threshold


def link_errors(case: GoldCase, prepared: Prepared, threshold: float) -> list[LinkError]:
    """The false and missed links of one case at `threshold`, strongest first."""
    predicted = grouped_links(prepared, threshold)
    by_pair = {(s.x, s.y): s.score for s in prepared.pair_scores}
    found = [LinkError(case.id, kind, link, round(float(by_pair[(link[0], link[2])][link[1], link[3]]), 4))
             for kind, links in (("false", predicted - case.links), ("missed", case.links - predicted))
             for link in links]
    return sorted(found, key=lambda e: (e.kind, -e.score, e.link))


def evaluate(cases: list[GoldCase], prepared: list[Prepared], threshold: float) -> list[Score]:
    """One Score per case at `threshold`; sum them for the micro average."""
    return [score(case.links, grouped_links(p, threshold)) for case, p in zip(cases, prepared)]
