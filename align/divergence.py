"""Compare the details of a group's members, article against article, and type each difference."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from align.details import VALUE_KINDS, Detail, month_of, months_named, spaced_words, stems, words_after, words_before
from align.model import Divergence, DivergenceType, Group, Member, Sentence, Span

ROUNDING = 0.02  # "$13.6 million" rounds "$13,625,777" (0.2% apart); "12" and "15" are two figures
_VAGUE_FLOOR = {"dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2e6, "billions": 2e9, "couple": 2}
_VAGUE_CEILING = {"couple": 3}
# The hours a part of the day covers: a clock time inside them agrees with it.
_PARTS = {"part:morning": (5, 12), "part:afternoon": (12, 18), "part:evening": (17, 24), "part:night": (20, 29)}
_NAME_SIMILARITY = 70  # "Ushakov"/"Oshakov" score 86, "Psaki"/"Saki" 89, "Cowan"/"Cowmen" 73, "Zaki"/"Psaki" 67
# A spelling differs in a letter or two ("Mohammed"/"Muhammad" in two); "Washington" and
# "Whittington" (76) differ in four: two names.
_NAME_EDITS = 2
# Two quotes this alike (rapidfuzz partial ratio) quote one remark in different words: "no daylight"
# and "There won't be any daylight there at all" score 91, an elided quote and its full form 82.
# Different remarks score 40 to 62. Quotes that share a run of _QUOTE_RUN words are one remark too
# ("... engage in a land war in Afghanistan", cut differently by two outlets).
_QUOTE_ALIKE = 70
_QUOTE_RUN = 5
# Endings that make another form of one word (a place and its people, a plural, a noun and its
# adjective): two names that differ only in these, past a shared stem, are not spelling variants.
_WORD_ENDINGS = frozenset(
    {"", "a", "e", "s", "es", "n", "ns", "an", "ans", "ian", "ians", "ese", "i", "is", "ic", "ics"}
)

Located = tuple[Member, Detail]
_COUNT_FILLERS = frozenset({"of", "the", "a", "an", "and", "or", "more", "than", "some", "about"})
_DAYS_AROUND = re.compile(r"\bweek(?:end)?\b", re.I)
_DATE_FILLERS = frozenset(
    "on the a an of last this next late early by at in into and or to from since until was were is are has had "
    "have said says told after before during around through about for with".split())


def diverge(
    group: Group, sentences: dict[Member, Sentence], details: dict[Member, tuple[Detail, ...]]
) -> tuple[Divergence, ...]:
    """Every divergence between two articles of the group; a split sentence counts as one side."""
    sides: dict[int, list[Member]] = {}
    for member in group.members:
        sides.setdefault(member.article, []).append(member)
    found: list[Divergence] = []
    for x, y in combinations(sorted(sides), 2):
        left = [(m, d) for m in sides[x] for d in details[m]]
        right = [(m, d) for m in sides[y] for d in details[m]]
        context = _Context(sides[x], sides[y], sentences)
        mine, theirs = _by_kind(left), _by_kind(right)
        values = [d for kind in VALUE_KINDS if kind in mine or kind in theirs
                  for d in _compare_values(mine.get(kind, []), theirs.get(kind, []), context)]
        found += _day_against_relative_date(values, context)
        found += _compare_names(mine.get("name", []), theirs.get("name", []), context)
        found += _compare_quotes(mine.get("quote", []), theirs.get("quote", []), context)
        found += _compare_negation(left, right, context)
    return tuple(found)


def _day_against_relative_date(found: list[Divergence], context: _Context) -> list[Divergence]:
    """A day on one side and a relative date of days on the other that date one thing ("calls for
    his resignation on Friday" / "calls for his resignation over the weekend") date it
    differently: one date conflict, not two missing details. ("Saturday" and "last year" are two
    facts.)"""
    kept = list(found)
    for day in [d for d in found if d.kind == "weekday" and d.type == "missing"]:
        day_left = day.a_span is not None
        day_span = day.a_span if day_left else day.b_span
        partner = next((d for d in kept if d.kind == "date" and d.type == "missing" and (d.a, d.b) == (day.a, day.b)
                        and (span := d.b_span if day_left else d.a_span) is not None
                        and _DAYS_AROUND.search(span.text) and day_span is not None
                        and context.dated_span(day_span) & context.dated_span(span)), None)
        if partner:
            kept.remove(day)
            kept.remove(partner)
            left, right = (day.a_span, partner.b_span) if day_left else (partner.a_span, day.b_span)
            kept.append(Divergence("date", "conflict", day.a, day.b, left, right))
    return kept


class _Context:
    """Turns located details into Divergences between two sides of a group."""

    def __init__(self, left: list[Member], right: list[Member], sentences: dict[Member, Sentence]) -> None:
        self.first_left, self.first_right, self.sentences = left[0], right[0], sentences
        self.left_text = " ".join(sentences[m].text for m in left)
        self.right_text = " ".join(sentences[m].text for m in right)

    def same_thing(self, mine: Located, theirs: Located) -> bool:
        """Whether two values can be of one thing: counts must count the same thing, and two days
        or dates must date it (the words before them share a stem: "the call on Thursday" and "the
        call on Saturday" conflict; pressure kept up on Sunday and reactions on Friday, or "a
        charade into 2016" and "the 2012 Benghazi attack", are two events, each missing on the
        other side)."""
        if mine[1].kind == "number":
            return bool(self._counted(mine) & self._counted(theirs))
        if mine[1].kind in ("weekday", "date"):
            return bool(self.dated(mine[0], mine[1].start) & self.dated(theirs[0], theirs[1].start))
        return True

    def dated(self, member: Member, start: int) -> set[str]:
        """The stems of up to four words before a day or date starting at `start` in the member's
        sentence, fillers and names passed over: what it dates ("resigned Monday", "apologized on
        Friday", "the call on Thursday")."""
        return stems(" ".join(words_before(self.sentences[member].text, start, _DATE_FILLERS, 4)))

    def dated_span(self, span: Span) -> set[str]:
        return self.dated(span.member, span.start - self.sentences[span.member].start)

    def _counted(self, item: Located) -> set[str]:
        """The stems of up to three words after a count ("of" and articles passed over)."""
        member, detail = item
        return stems(" ".join(words_after(self.sentences[member].text, detail.end, _COUNT_FILLERS, 3)))

    def abbreviates(self, mine: Located, theirs: Located) -> bool:
        """Whether one name is the other cut short with a full stop ("Tex." for "Texas")."""
        for short, full in ((mine, theirs), (theirs, mine)):
            member, detail = short
            if self.sentences[member].text[detail.end:detail.end + 1] == "." and full[1].value.startswith(detail.value):
                return True
        return False

    @cached_property
    def left_words(self) -> str:
        return spaced_words(self.left_text)

    @cached_property
    def right_words(self) -> str:
        return spaced_words(self.right_text)

    @cached_property
    def left_stems(self) -> set[str]:
        return stems(self.left_text)

    @cached_property
    def right_stems(self) -> set[str]:
        return stems(self.right_text)

    def span(self, item: Located | None) -> Span | None:
        if item is None:
            return None
        member, detail = item
        offset = self.sentences[member].start
        return Span(member, offset + detail.start, offset + detail.end, detail.text)

    def make(self, kind_type: DivergenceType, left: Located | None, right: Located | None) -> Divergence:
        return Divergence(
            kind=left[1].kind if left else right[1].kind,  # type: ignore[index]
            type=kind_type,
            a=left[0] if left else self.first_left,
            b=right[0] if right else self.first_right,
            a_span=self.span(left),
            b_span=self.span(right),
        )


def _relative(item: Located) -> bool:
    return item[1].value.startswith("rel:")


def _by_kind(items: list[Located]) -> dict[str, list[Located]]:
    """The details of one side, kind by kind, each kind in the order of `items`."""
    found: dict[str, list[Located]] = {}
    for item in items:
        found.setdefault(item[1].kind, []).append(item)
    return found


def _of(items: list[Located], kind: str) -> list[Located]:
    return [item for item in items if item[1].kind == kind]


def _agree(a: str, b: str) -> bool:
    """Whether two normalised values can describe the same fact."""
    if a == b or (a.startswith("rel:") and b.startswith("rel:")):
        return True  # relative dates are too vague to contradict each other ("recently", "in recent weeks")
    if a in _PARTS or b in _PARTS:  # "evening" and "9:35 pm"
        part, clock = (a, b) if a in _PARTS else (b, a)
        if not re.fullmatch(r"\d\d:\d\d", clock):
            return False
        start, end = _PARTS[part]
        return start <= int(clock[:2]) < end or start <= int(clock[:2]) + 24 < end
    if "-" in a or "-" in b or ":" in a:  # dates by their parts; "12-30" agrees with "2021-12-30"
        return a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a)
    # "more than 100,000" agrees with "100,000": the figure is the same, only hedged.
    return a.lstrip("<>") == b.lstrip("<>")


def _vaguely(a: str, b: str) -> bool:
    """A vague amount ("thousands", "a couple") and an exact one it covers ("more than 100,000",
    "two"), a duration without a figure ("several minutes") and one with it, a bound and a figure
    inside it ("over 10 percent" / "10.8 percent"), or a round figure and the exact one it rounds
    ("$13.6 million" / "$13,625,777")."""
    if a.startswith("~") != b.startswith("~"):
        return a.endswith("min") or b.endswith("min")
    if (figures := _figures(a, b)) is not None:
        (x, x_bound), (y, y_bound) = figures
        if x_bound or y_bound:
            return (x_bound, y_bound).count("") == 1 and (_within(y, x_bound, x) if x_bound else _within(x, y_bound, y))
        return _rounds(x, y) or _rounds(y, x)
    if (a in _VAGUE_FLOOR) == (b in _VAGUE_FLOOR):
        return False
    vague, exact = (a, b) if a in _VAGUE_FLOOR else (b, a)
    figure = _figure(exact)
    return figure is not None and _VAGUE_FLOOR[vague] <= figure[0] <= _VAGUE_CEILING.get(vague, float("inf"))


def _figure(value: str) -> tuple[float, str] | None:
    """A plain figure and its bound ("<", ">" or ""), or None if the value is something else."""
    try:
        return float(value.lstrip("<>").removesuffix("min")), value[:1] if value[:1] in "<>" else ""
    except ValueError:
        return None


def _figures(a: str, b: str) -> tuple[tuple[float, str], tuple[float, str]] | None:
    """Two plain figures, or None if either is something else."""
    x, y = _figure(a), _figure(b)
    return (x, y) if x is not None and y is not None else None


def _within(value: float, bound: str, limit: float) -> bool:
    return value > limit if bound == ">" else value < limit


def _rounds(rough: float, exact: float) -> bool:
    """Whether `rough` is `exact` rounded to its two or three leading digits (within 2%)."""
    if rough == exact or not rough or not exact:
        return False
    digits = len(Decimal(str(rough)).normalize().as_tuple().digits)
    return digits <= 3 and abs(rough - exact) <= ROUNDING * max(abs(rough), abs(exact))


def _compare_values(left: list[Located], right: list[Located], context: _Context) -> list[Divergence]:
    """Same values pass; a vague amount against an exact one is a variant; two values of the same
    thing conflict; the rest are missing on the other side. Counts are of the same thing when
    the words after them share a stem ("100,000 Russian troops", "thousands of Russian troops");
    dates, times, durations, money and percentages carry their unit."""
    unmatched_left = [mine for mine in left if not any(_agree(mine[1].value, theirs[1].value) for theirs in right)]
    unmatched_right = [theirs for theirs in right if not any(_agree(mine[1].value, theirs[1].value) for mine in left)]
    found = []
    kinds: tuple[tuple[DivergenceType, Callable[[str, str], bool]], ...] = (
        ("variant", _vaguely), ("conflict", lambda a, b: True))
    for kind_type, fits in kinds:
        for mine in list(unmatched_left):
            partner = next((theirs for theirs in unmatched_right
                            if fits(mine[1].value, theirs[1].value) and context.same_thing(mine, theirs)), None)
            if partner:
                found.append(context.make(kind_type, mine, partner))
                unmatched_left.remove(mine)
                unmatched_right.remove(partner)
    found += [context.make("missing", mine, None)
              for mine in unmatched_left if not _month_only(mine, context.right_text)]
    found += [context.make("missing", None, theirs)
              for theirs in unmatched_right if not _month_only(theirs, context.left_text)]
    return found


def _month_only(item: Located, other_text: str) -> bool:
    """Whether the other side gives a date by its month alone ("in June" for "June 25"): less
    precise, as a date without its year is, and not flagged."""
    detail = item[1]
    return detail.kind == "date" and month_of(detail.value) in months_named(other_text)


def _compare_names(left: list[Located], right: list[Located], context: _Context) -> list[Divergence]:
    """Only spelling variants: a name on one side only is too often a paraphrase to flag."""
    right_values = {d.value for _, d in right}
    found: list[Divergence] = []
    paired: set[str] = set()
    for mine in left:
        if mine[1].value in right_values or mine[1].value in paired:
            continue
        best = max(right, key=lambda theirs: fuzz.ratio(mine[1].value, theirs[1].value), default=None)
        if best and _spelling_variant(mine[1].value, best[1].value) and not context.abbreviates(mine, best):
            paired.add(mine[1].value)
            found.append(context.make("variant", mine, best))
    return found


def _spelling_variant(a: str, b: str) -> bool:
    """"Ushakov"/"Oshakov" are; "Russia"/"Russian", "Leader"/"Leaders" and "Democrats"/"Democratic"
    are not (past what they share, each ends in an ending), nor are names that differ in more than
    two letters."""
    shared = len(os.path.commonprefix([a, b]))
    if shared >= 3 and {a[shared:], b[shared:]} <= _WORD_ENDINGS:
        return False
    return fuzz.ratio(a, b) >= _NAME_SIMILARITY and Levenshtein.distance(a, b) <= _NAME_EDITS


def _compare_quotes(left: list[Located], right: list[Located], context: _Context) -> list[Divergence]:
    """A quote passes when the other side prints its words too, quoted or not, or quotes a part of
    it word for word. A remark both sides quote in other words conflicts ("nuclear arms" against
    "a nuclear bomb", or shortened with "..."); a quote the other side has nothing like is missing
    there: two different remarks are two missing quotes, not a conflict."""
    left, right = [q for q in left if not _title(q)], [q for q in right if not _title(q)]
    found: list[Divergence] = []
    for mine in left:
        if _printed(mine, context.right_words) or any(_printed(theirs, _spaced(mine)) for theirs in right):
            continue
        alike = next((theirs for theirs in right if _one_remark(mine, theirs)), None)
        found.append(context.make("conflict", mine, alike) if alike else context.make("missing", mine, None))
    for theirs in right:
        judged = any(_one_remark(mine, theirs) for mine in left)
        if not judged and not _printed(theirs, context.left_words):
            found.append(context.make("missing", None, theirs))
    return found


def _one_remark(a: Located, b: Located) -> bool:
    """Whether two quotes quote one remark: alike as strings, or sharing a run of words."""
    if fuzz.partial_ratio(a[1].value, b[1].value) >= _QUOTE_ALIKE:
        return True
    words = _spaced(a).split()
    runs = (" " + " ".join(words[i:i + _QUOTE_RUN]) + " " for i in range(len(words) - _QUOTE_RUN + 1))
    return any(run in _spaced(b) for run in runs)


def _title(quote: Located) -> bool:
    """A title or a name in quotation marks ("Meet the Press", "Homeland"), not a remark: every
    word of four letters or more is capitalised."""
    long_words = [w for w in re.findall(r"[^\W\d_]+", quote[1].text) if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def _spaced(quote: Located) -> str:
    return spaced_words(quote[1].text)


def _printed(quote: Located, words: str) -> bool:
    """Whether a quote's words, in order, are among `words` (a `spaced_words` string)."""
    return _spaced(quote) in words


def _unquoted_negations(side: list[Located], other: list[Located]) -> list[Located]:
    """A side's negations, less those inside a remark the other side quotes too: a word changed in
    a quote is the quote's divergence, flagged once, as a quote."""
    shared = [q for q in _of(side, "quote")
              if any(fuzz.partial_ratio(q[1].value, theirs[1].value) >= _QUOTE_ALIKE for theirs in _of(other, "quote"))]
    return [n for n in _of(side, "negation")
            if not any(q[0] == n[0] and q[1].start <= n[1].start < q[1].end for q in shared)]


def _compare_negation(left: list[Located], right: list[Located], context: _Context) -> list[Divergence]:
    """One side denies what the other asserts: "will not invade" against "will invade". Asked only
    when the other side denies nothing; a negation whose word the other side does not use is a
    different statement, not a contradiction."""
    if _of(left, "negation") and _of(right, "negation"):
        return []
    denied_left = next((n for n in _unquoted_negations(left, right) if n[1].value in context.right_stems), None)
    denied_right = next((n for n in _unquoted_negations(right, left) if n[1].value in context.left_stems), None)
    if denied_left:
        return [context.make("conflict", denied_left, None)]
    return [context.make("conflict", None, denied_right)] if denied_right else []
