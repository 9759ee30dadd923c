"""The reader's corrections: statements the reader made or checked and links the reader cut, kept
in a sidecar file and applied after the matcher on every run.

A sentence is named by a `Ref`: its article's content hash and its character offsets (and its
text, to find it again in an edited article), never by its index, so a correction outlives a
change of segmenter wherever its sentences still exist.

Applied after the matcher: each statement becomes a group (origin "corrected" or "confirmed");
from the matcher's groups the sentences of cut links are taken out, and a matcher group left
inside a statement is superseded by it and dropped (so a change of threshold keeps the reader's
groups, and a matcher group the reader never touched stays). A correction whose sentence is gone
(its article edited) is reported as stale, and kept in the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from align.match import PairScores, member_pairs
from align.model import Alignment, Article, DiffnewsError, Group, Member, Origin
from align.read import is_url

SCHEMA = "diffnews-review/1"
SUFFIX = ".review.json"


@lru_cache(maxsize=256)
def digest(text: str) -> str:
    """An article's content hash: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, order=True)
class Ref:
    """A sentence by its article's hash and its offsets in that article's text."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Statement:
    """A group as the reader left it: changed by the reader (`corrected`), checked (`confirmed`)."""

    members: frozenset[Ref]
    corrected: bool = True
    confirmed: bool = False

    @property
    def origin(self) -> Origin:
        return "confirmed" if self.confirmed else "corrected"


@dataclass(frozen=True)
class Review:
    statements: tuple[Statement, ...] = ()
    cut: frozenset[frozenset[Ref]] = frozenset()  # pairs of sentences the reader took apart


@dataclass(frozen=True)
class Resolved:
    """A review against the open articles: what applies, in members, and what no longer does."""

    review: Review  # with every found sentence named as it is now (an edited article's new hash)
    statements: tuple[tuple[Statement, tuple[Member, ...]], ...]
    cut: frozenset[frozenset[Member]]
    stale: tuple[str, ...] = field(default=())  # one description per correction that no longer applies


def ref(articles: Sequence[Article], member: Member) -> Ref:
    sentence = articles[member.article].sentences[member.sentence]
    return Ref(digest(articles[member.article].text), sentence.start, sentence.end, sentence.text)


def _refs(articles: Sequence[Article], members: Iterable[Member]) -> frozenset[Ref]:
    return frozenset(ref(articles, m) for m in members)


_INACTIVE = Member(-1, -1)  # a sentence of an article that is not open: neither applied nor stale


def resolve(review: Review, articles: Sequence[Article], seen: Mapping[str, str],
            sources: Sequence[str]) -> Resolved:
    """Find each correction's sentences among the open articles. `seen` maps the hash of every
    article the sidecar knows to its source, `sources` are the open articles' sources in that
    form: an article open under a known source with a new hash was edited, and its sentences are
    found again by their text (when it occurs once)."""
    hashes = [digest(a.text) for a in articles]
    by_offsets = {(h, s.start, s.end): Member(n, s.index)
                  for n, (h, a) in enumerate(zip(hashes, articles)) for s in a.sentences}
    by_source = {source: n for n, source in enumerate(sources) if source != "-"}
    edited = {h: by_source[source] for h, source in seen.items() if h not in hashes and source in by_source}

    def find(r: Ref) -> Member | None:
        if r.article in hashes:
            return by_offsets.get((r.article, r.start, r.end))
        if r.article in edited:
            n = edited[r.article]
            same = [s.index for s in articles[n].sentences if s.text == r.text]
            return Member(n, same[0]) if len(same) == 1 else None
        return _INACTIVE

    def locate(refs: frozenset[Ref]) -> tuple[dict[Ref, Member], Ref | None]:
        """The sentences found (inactive ones included), and the first one lost, if any."""
        found = {r: find(r) for r in sorted(refs)}
        lost = next((r for r, m in found.items() if m is None), None)
        return {r: m for r, m in found.items() if m is not None}, lost

    def rebased(found: dict[Ref, Member]) -> frozenset[Ref]:
        return frozenset(r if m == _INACTIVE else ref(articles, m) for r, m in found.items())

    stale: list[str] = []
    statements: list[tuple[Statement, tuple[Member, ...]]] = []
    kept: list[Statement] = []
    for statement in review.statements:
        found, lost = locate(statement.members)
        if lost:
            stale.append(f"a {statement.origin} group: {_short(lost.text)!r} is no longer in its article")
            kept.append(statement)
            continue
        statement = replace(statement, members=rebased(found))
        kept.append(statement)
        members = tuple(sorted(m for m in found.values() if m != _INACTIVE))
        if len({m.article for m in members}) >= 2:
            statements.append((statement, members))
    cut: set[frozenset[Member]] = set()
    kept_cut: set[frozenset[Ref]] = set()
    for pair in review.cut:
        found, lost = locate(pair)
        if lost:
            stale.append(f"a cut link: {_short(lost.text)!r} is no longer in its article")
            kept_cut.add(pair)
            continue
        kept_cut.add(rebased(found))
        if _INACTIVE not in found.values():
            cut.add(frozenset(found.values()))
    return Resolved(Review(tuple(kept), frozenset(kept_cut)), tuple(statements), frozenset(cut), tuple(stale))


def apply(resolved: Resolved, articles: Sequence[Article], pair_scores: Sequence[PairScores],
          groups: Sequence[Group]) -> tuple[Group, ...]:
    """The matcher's groups with the reader's corrections applied, numbered afresh (without
    divergences: they are found after)."""
    by_pair = {(s.x, s.y): s for s in pair_scores}
    made: dict[tuple[Member, ...], Origin] = {}
    for statement, members in resolved.statements:
        made.setdefault(members, statement.origin)
    for g in groups:
        members = _without_cut(g.members, resolved.cut)
        if len({m.article for m in members}) < 2 or any(set(members) <= set(s) for _, s in resolved.statements):
            continue  # nothing left to link, or the reader said what this statement is
        made.setdefault(members, "matcher" if members == g.members else "corrected")
    result = []
    for n, members in enumerate(sorted(made)):
        pairs = member_pairs(members, by_pair)
        score = round(float(np.mean([p.score for p in pairs])), 4)
        result.append(Group(n, members, score, pairs, origin=made[members]))
    return tuple(result)


def _links(members: Iterable[Member]) -> list[tuple[Member, Member]]:
    return [(a, b) for a, b in combinations(members, 2) if a.article != b.article]


def _without_cut(members: tuple[Member, ...], cut: frozenset[frozenset[Member]]) -> tuple[Member, ...]:
    """Take out, one at a time, the member in most cut links with the others; on a tie, the one
    in most cut links of all: the sentence the reader took out of a group leaves this one too,
    not the partner it was cut from."""
    left = list(members)
    everywhere = {m: sum(m in pair for pair in cut) for m in members}
    while True:
        count = {m: sum(frozenset((m, o)) in cut for o in left) for m in left}
        worst = max(left, key=lambda m: (count[m], everywhere[m], m), default=None)
        if worst is None or count[worst] == 0:
            return tuple(left)
        left.remove(worst)


# -- the reader's edits: each takes the review and the alignment on screen, returns a new review --


def add(review: Review, alignment: Alignment, group: Group | None, member: Member,
        others: Iterable[Member]) -> Review:
    """Link `others` into `group` (the group of `member` on screen), or make a group of `member`
    and `others` when it has none."""
    members = set(group.members if group else (member,)) | set(others)
    return _change(review, alignment, [group] if group else [], [members])


def remove(review: Review, alignment: Alignment, group: Group, member: Member) -> Review:
    """Take `member` out of `group`; the links it had there are cut."""
    rest = set(group.members) - {member}
    return _change(review, alignment, [group], [rest], cut=[(member, m) for m in rest])


def split(review: Review, alignment: Alignment, group: Group, leaving: Iterable[Member]) -> Review:
    """Split `group` in two: `leaving` becomes a group of its own; links between the two are cut."""
    leaving = set(leaving) & set(group.members)
    rest = set(group.members) - leaving
    return _change(review, alignment, [group], [rest, leaving], cut=[(a, b) for a in leaving for b in rest])


def merge(review: Review, alignment: Alignment, into: Group, other: Group) -> Review:
    return _change(review, alignment, [into, other], [set(into.members) | set(other.members)])


def confirm(review: Review, alignment: Alignment, group: Group) -> Review:
    """Mark `group` as checked by the reader; on a confirmed group, take the mark back."""
    if group.origin == "confirmed":
        statement = _statement_of(review, alignment, group)
        if statement is not None and not statement.corrected:
            return _change(review, alignment, [group], [])  # back to the matcher's
        return _change(review, alignment, [group], [set(group.members)])
    return _change(review, alignment, [group], [set(group.members)], corrected=group.origin == "corrected",
                   confirmed=True)


def _open_hashes(alignment: Alignment) -> set[str]:
    return {digest(a.text) for a in alignment.articles}


def _statement_of(review: Review, alignment: Alignment, group: Group) -> Statement | None:
    """The review's statement shown as `group`, if any."""
    wanted, open_hashes = _refs(alignment.articles, group.members), _open_hashes(alignment)
    return next((s for s in review.statements if {r for r in s.members if r.article in open_hashes} == wanted),
                None)


def _change(review: Review, alignment: Alignment, old: Sequence[Group], new: Sequence[set[Member]],
            cut: Iterable[tuple[Member, Member]] = (), corrected: bool = True, confirmed: bool = False) -> Review:
    """Replace the statements shown as `old` by `new` (those spanning two articles or more),
    cut the links `cut` and uncut the links inside `new`. Sentences of articles that are not
    open stay with the first new statement."""
    articles, open_hashes = alignment.articles, _open_hashes(alignment)
    statements, carried = list(review.statements), set()
    for g in old:
        statement = _statement_of(review, alignment, g)
        if statement in statements:
            statements.remove(statement)
            carried |= {r for r in statement.members if r.article not in open_hashes}
    for members in new:
        if len({m.article for m in members}) >= 2:
            statements.append(Statement(_refs(articles, members) | carried, corrected, confirmed))
            carried = set()
    together = {frozenset(_refs(articles, link)) for members in new for link in _links(members)}
    cuts = {frozenset(_refs(articles, pair)) for pair in cut if pair[0].article != pair[1].article}
    return Review(tuple(statements), frozenset((review.cut | cuts) - together))


# -- the sidecar file --------------------------------------------------------------------------


def default_path(source: str) -> Path | None:
    """Beside the first article: `a.txt` -> `a.txt.review.json`; none for a URL or stdin."""
    if source == "-" or is_url(source):
        return None
    return Path(source + SUFFIX)


class Sidecar:
    """A review file: read once, rewritten atomically on every change. Two viewers on one file
    cannot corrupt it; the last to write wins, and the other is told when it writes next."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, str] = {}  # article hash -> source, of every article it has known
        self.articles: list[dict[str, str]] = []  # hash, name, source of the set last reviewed
        self.threshold: float | None = None
        self._written: bytes | None = None

    def source_key(self, source: str) -> str:
        """A source as the file records it: a path relative to the file's folder, else as given."""
        if source == "-" or is_url(source):
            return source
        return os.path.relpath(os.path.abspath(source), os.path.abspath(self.path.parent))

    def read(self) -> Review:
        """The review in the file; an empty one if there is no file. A damaged file is a
        DiffnewsError and is left as it is."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Review()
        except OSError as error:
            raise DiffnewsError(f"{self.path}: cannot read the review ({error.strerror or error})") from None
        self._written = raw
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or data.get("schema") != SCHEMA:
                raise ValueError(f"not a {SCHEMA} file")
            self.seen = {str(h): str(s) for h, s in data.get("seen", {}).items()}
            self.articles = [{"hash": str(a["hash"]), "name": str(a["name"]), "source": str(a["source"])}
                             for a in data.get("articles", [])]
            threshold = data.get("threshold")
            self.threshold = float(threshold) if threshold is not None else None
            statements = tuple(Statement(frozenset(_ref_of(r) for r in s["members"]), bool(s.get("corrected", True)),
                                         bool(s.get("confirmed", False))) for s in data.get("statements", []))
            cut = frozenset(frozenset(_ref_of(r) for r in pair) for pair in data.get("cut", []))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise DiffnewsError(f"{self.path}: damaged review file ({error}); it was left untouched") from None
        return Review(statements, cut)

    def write(self, review: Review, articles: Sequence[Article], threshold: float) -> str | None:
        """Write the review atomically; a warning if another process changed the file since."""
        from align.export import write_atomic

        warning = None
        try:
            now = self.path.read_bytes()
        except OSError:
            now = None
        if now is not None and now != self._written:
            warning = f"{self.path} was changed by another diffnews since; its changes are overwritten"
        self.articles = [{"hash": digest(a.text), "name": a.name, "source": self.source_key(a.source)}
                         for a in articles]
        self.seen.update({a["hash"]: a["source"] for a in self.articles})
        data = {
            "schema": SCHEMA, "articles": self.articles, "threshold": threshold, "seen": self.seen,
            "statements": [{"corrected": s.corrected, "confirmed": s.confirmed,
                            "members": [_ref_json(r) for r in sorted(s.members)]} for s in review.statements],
            "cut": [[_ref_json(r) for r in sorted(pair)] for pair in sorted(review.cut, key=sorted)],
        }
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        write_atomic(self.path, text)
        self._written = text.encode("utf-8")
        return warning

    def resolve(self, review: Review, articles: Sequence[Article]) -> Resolved:
        return resolve(review, articles, self.seen, [self.source_key(a.source) for a in articles])


def _ref_json(r: Ref) -> dict[str, Any]:
    return {"article": r.article, "start": r.start, "end": r.end, "text": r.text}


def _ref_of(data: Any) -> Ref:
    ref_ = Ref(str(data["article"]), int(data["start"]), int(data["end"]), str(data["text"]))
    if not 0 <= ref_.start < ref_.end:
        raise ValueError(f"bad offsets {ref_.start}..{ref_.end}")
    return ref_


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
