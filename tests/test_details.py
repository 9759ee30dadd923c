import pytest

from align.details import extract, extract_article, month_of, months_named
from align.segment import segment


def found(text: str) -> list[tuple[str, str, str]]:
    return [(d.kind, d.text, d.value) for d in extract(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the call began at 9:35 pm CET", ("time", "9:35 pm CET", "21:35")),
        ("and at midnight in Moscow", ("time", "midnight", "00:00")),
        ("it lasted 50 minutes", ("duration", "50 minutes", "50min")),
        ("lasted just over an hour", ("duration", "just over an hour", ">60min")),
        ("talks set for two days later", ("duration", "two days", "2880min")),
        ("More than 100,000 Russian troops", ("number", "More than 100,000", ">100000")),
        ("thousands of Russian troops", ("number", "thousands", "thousands")),
        ("on Thursday, December 30, 2021.", ("date", "December 30, 2021", "2021-12-30")),
        ("On Dec. 31, the BBC reported", ("date", "Dec. 31", "12-31")),
        ("on Saturday evening", ("weekday", "Saturday", "saturday")),
        ("it cost $3.5 million", ("money", "$3.5 million", "3500000")),
        ("a 20% rise", ("percent", "20%", "20")),
        ("Putin’s adviser", ("name", "Putin’s", "putin")),
        ("he was “satisfied” with it", ("quote", "satisfied", "satisfied")),
        # a negation's value is the stem of the word it denies, past the function words
        ("Russia will not invade", ("negation", "not", "invad")),
        ("they didn't say it", ("negation", "didn't", "say")),
        ("respect, not a spot at a bar", ("negation", "not", "spot")),
        ("it is not. They left", ("negation", "not", "")),
        ("Moscow denies any plans to attack", ("negation", "denies", "plan")),
    ],
)
def test_detail_found_with_its_value(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in found(text)


def test_details_inside_a_larger_detail_are_not_counted_twice() -> None:
    kinds = [d.kind for d in extract("The call lasted 50 minutes on December 7, 2021.")]
    assert kinds.count("number") == 0
    assert kinds.count("duration") == 1 and kinds.count("date") == 1


def test_article_and_small_words_are_not_figures() -> None:
    assert [d.text for d in extract("a call between the two leaders, one of many") if d.kind == "number"] == ["two"]


def test_two_is_a_count_even_of_two_known_ones() -> None:
    # the shared blind gold flags "the two teenagers" when the other side does not count them
    counts = [(d.text, d.value) for d in extract("He pardoned two turkeys and met the two sons.") if d.kind == "number"]
    assert counts == [("two", "2")] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # relative and partial dates
        ("he claimed this month that", ("date", "this month", "rel:this month")),
        ("Patrick said recently on local", ("date", "recently", "rel:recent")),
        ("from a recent news conference", ("date", "recent", "rel:recent")),
        ("which began last fall when", ("date", "last fall", "rel:last fall")),
        ("worked in the mid-1970s at", ("date", "the mid-1970s", "rel:mid-1970s")),
        ("built quickly over the weekend as", ("date", "over the weekend", "rel:weekend")),
        ("it rose earlier this year", ("date", "earlier this year", "rel:earlier this year")),
        ("over the past few weeks", ("date", "the past few weeks", "rel:past few weeks")),
        # parts of the day, after a day or "in the"
        ("reported Friday morning that", ("time", "morning", "part:morning")),
        ("a statement on Friday afternoon", ("time", "afternoon", "part:afternoon")),
        ("they met late in the evening", ("time", "evening", "part:evening")),
        # durations without a figure
        ("and for several minutes, before", ("duration", "several minutes", "~minute")),
        ("they waited for months", ("duration", "months", "~month")),
        # a vague count
        ("a couple of reporters", ("number", "a couple", "couple")),
    ],
)
def test_vague_details_found_with_their_value(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in found(text)


def test_a_part_of_the_day_that_dates_nothing_is_not_a_time() -> None:
    assert not [d for d in extract("It is still morning in America, and a good night for us") if d.kind == "time"]


def test_a_digit_in_a_name_is_not_a_figure() -> None:
    assert not [d for d in extract("as referred to in Article 1, Section 2, of Flight 370") if d.kind == "number"]
    assert [d.text for d in extract("On 15 occasions he spoke") if d.kind == "number"] == ["15"]


def test_a_single_closing_quote_after_punctuation_closes_a_quote() -> None:
    (quote,) = [d.text for d in extract("There’s still time.’") if d.kind == "quote"]
    assert quote == "There’s still time."


def test_single_quotes_inside_a_double_quote_do_not_break_it() -> None:
    text = "He wrote: “Needless to say, the war was not ‘a war of Obama’s choosing.’ It was his.”"
    quotes = [d.text for d in extract(text) if d.kind == "quote"]
    assert quotes == ["Needless to say, the war was not ‘a war of Obama’s choosing.’ It was his."]


def test_months_are_named_with_a_capital() -> None:
    assert months_named("They met in June and may meet in Dec. again") == {6, 12}
    assert [month_of(v) for v in ("2021-06-25", "06-25", "2021-06", "2021")] == [6, 6, 6, None]


def test_offsets_point_into_the_sentence() -> None:
    text = "Oshakov said the call lasted just over an hour on Saturday."
    for d in extract(text):
        assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("He said “hello there” and “bye now.”", ["hello there", "bye now."]),
        # a quote that runs on into the next sentence, and the end of one opened before
        ('"Hello, my name is the Republican Party, and I got a problem.', ["Hello, my name is the Republican Party, and I got a problem."]),
        ("Dress like you deserve respect, not a spot at a bar.”", ["Dress like you deserve respect, not a spot at a bar."]),
        ('A "straight" quote and a “mixed" one.', ["straight", "mixed"]),
        ("No quotation here.", []),
        ('Patrick appointed William "Mo" Cowan.', []),  # a nickname, not a remark
    ],
)
def test_quotes_are_found_even_across_sentences(text: str, quotes: list[str]) -> None:
    assert [d.text for d in extract(text) if d.kind == "quote"] == quotes


def test_a_quote_over_three_sentences_quotes_the_middle_one_within_its_paragraph() -> None:
    article = segment("a", "a", 'She wrote: "I judged them. I can see how hurtful it was. I pledge to learn."\n\n'
                                "Then she left. Nobody answered.")
    quotes = [[d.text for d in details if d.kind == "quote"] for details in extract_article(article.sentences)]
    assert quotes == [["I judged them."], ["I can see how hurtful it was."], ["I pledge to learn."], [], []]


def test_a_pattern_is_skipped_only_in_sentences_where_it_cannot_match() -> None:
    from align import load_articles
    from align.details import _PATTERNS
    from tests.conftest import SEEDS

    texts = [s.text for a in load_articles(SEEDS) for s in a.sentences] + [
        "It cost $5 million, or 4 million euros.", "Prices rose 3 per cent, then 2%.", "He spoke for 10 mins.",
        "The 45-minute call on Dec. 7, 2021, was the second in 1990.", "Over two hours and 3 years later."]
    for kind, pattern, needs in _PATTERNS:
        for text in texts:
            for match in pattern.finditer(text):  # every match holds one of the strings its pattern needs
                assert not needs or any(n in match.group().casefold() for n in needs), (kind, match.group())
