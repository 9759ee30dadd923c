"""The alignment's data: frozen dataclasses that every later stage and the UI only read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

DivergenceType = Literal["conflict", "variant", "missing"]
# Who made a group: the matcher alone, the reader (a correction), or the matcher or the reader
# with the reader's check (confirmed).
Origin = Literal["matcher", "corrected", "confirmed"]
DetailKind = Literal[
    "number", "date", "weekday", "time", "duration", "money", "percent", "name", "quote", "negation"
]


class DiffnewsError(Exception):
    """A problem with the user's input or environment, reported as one plain line."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; `article.text[start:end] == text` always holds."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    boilerplate: bool = False


@dataclass(frozen=True)
class Article:
    name: str
    source: str
    text: str
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True, order=True)
class Member:
    """A sentence named by its article's and its own index."""

    article: int
    sentence: int


@dataclass(frozen=True)
class Span:
    """A stretch of an article's text, by character offsets into `Article.text`."""

    member: Member
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Divergence:
    """A detail on which two members of a group differ.

    `conflict`: both state the detail with different values; `variant`: the same value written
    differently (a name spelt two ways); `missing`: only one side states it (the other span is None).
    """

    kind: DetailKind
    type: DivergenceType
    a: Member
    b: Member
    a_span: Span | None
    b_span: Span | None

    def label(self) -> str:
        """Human summary: 'Thursday ≠ Saturday (weekday)', 'Ushako ≈ Ushakov (name)',
        '50 minutes vs (not stated) (duration)'."""
        left = self.a_span.text if self.a_span else "(not stated)"
        right = self.b_span.text if self.b_span else "(not stated)"
        sign = {"conflict": "≠", "variant": "≈", "missing": "vs"}[self.type]
        return f"{left} {sign} {right} ({self.kind})"


@dataclass(frozen=True)
class Pair:
    """The combined similarity of two members from different articles, and its parts."""

    a: Member
    b: Member
    score: float
    cosine: float
    lexical: float


@dataclass(frozen=True)
class Group:
    """The same statement as several articles make it."""

    id: int
    members: tuple[Member, ...]
    score: float
    pairs: tuple[Pair, ...]
    divergences: tuple[Divergence, ...] = ()
    origin: Origin = "matcher"

    def articles(self) -> tuple[int, ...]:
        return tuple(sorted({m.article for m in self.members}))


@dataclass(frozen=True)
class Alignment:
    articles: tuple[Article, ...]
    groups: tuple[Group, ...]
    model: str
    threshold: float
    # the reader's corrections that no longer apply (their sentences changed), described
    stale: tuple[str, ...] = ()

    @cached_property
    def _group_index(self) -> dict[Member, tuple[Group, ...]]:
        index: dict[Member, list[Group]] = {}
        for g in sorted(self.groups, key=lambda g: -g.score):
            for m in g.members:
                index.setdefault(m, []).append(g)
        return {m: tuple(found) for m, found in index.items()}

    def groups_of(self, member: Member) -> tuple[Group, ...]:
        """The groups holding this sentence, strongest first: a sentence that makes two statements
        is in two groups."""
        return self._group_index.get(member, ())

    def group_of(self, member: Member) -> Group | None:
        """The strongest group holding this sentence, if any."""
        found = self.groups_of(member)
        return found[0] if found else None

    def unaligned(self) -> tuple[Member, ...]:
        """Sentences in no group, boilerplate excluded: each article's unique statements."""
        return tuple(
            Member(a, s.index)
            for a, article in enumerate(self.articles)
            for s in article.sentences
            if not s.boilerplate and Member(a, s.index) not in self._group_index
        )

    def sentence(self, member: Member) -> Sentence:
        return self.articles[member.article].sentences[member.sentence]
