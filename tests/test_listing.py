"""A group's divergences listed for a reader: conflicts and variants first, each missing detail once."""

from align.listing import listed
from align.model import Divergence, Group, Member, Span


def missing(kind: str, text: str, stating: Member, lacking: Member) -> Divergence:
    a, b = sorted((stating, lacking))
    span = Span(stating, 0, len(text), text)
    return Divergence(kind, "missing", a, b, span if stating == a else None, span if stating == b else None)


def test_a_detail_missing_on_several_members_is_one_line_naming_them() -> None:
    m = [Member(k, 0) for k in range(4)]
    conflict = Divergence("weekday", "conflict", m[0], m[3], Span(m[0], 0, 8, "Thursday"), Span(m[3], 0, 8, "Saturday"))
    group = Group(0, tuple(m), 0.5, (), (
        missing("quote", "satisfied", m[1], m[0]), missing("quote", "satisfied", m[1], m[2]),
        missing("quote", "Satisfied", m[1], m[3]), conflict, missing("quote", "satisfied", m[2], m[3]),
    ))
    lines = listed(group)
    assert [line.type for line in lines] == ["conflict", "missing"]
    assert lines[0].label(["a", "b", "c", "d"]) == "Thursday ≠ Saturday (weekday): a / d"
    quote = lines[1]
    assert quote.stated == (1, 2) and quote.missing == (0, 3) and len(quote.divergences) == 4
    assert quote.label(["a", "b", "c", "d"]) == "satisfied (quote): in b, c, not in a, d"
