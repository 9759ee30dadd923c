from align.segment import segment
from tests.conftest import SEEDS
from align.read import read_source


def sentences(text: str) -> list[str]:
    return [s.text for s in segment("t", "t", text).sentences]


def test_seed_offsets_round_trip() -> None:
    for path in SEEDS:
        name, text = read_source(path)
        article = segment(name, path, text)
        assert article.sentences
        for n, s in enumerate(article.sentences):
            assert s.index == n
            assert text[s.start : s.end] == s.text
            assert s.text == s.text.strip()


def test_every_non_blank_character_belongs_to_a_sentence() -> None:
    name, text = read_source(SEEDS[1])
    covered = [False] * len(text)
    for s in segment(name, SEEDS[1], text).sentences:
        covered[s.start : s.end] = [True] * (s.end - s.start)
    assert all(covered[i] or text[i].isspace() for i in range(len(text)))


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = (
        "Mr. Biden met Dr. Smith on Dec. 7 in the U.S. capital. Growth was 3.5 percent. "
        '"We are done," he said. Next came Jan. 10 talks with Gov. Cuomo and Sen. Warren.'
    )
    assert sentences(text) == [
        "Mr. Biden met Dr. Smith on Dec. 7 in the U.S. capital.",
        "Growth was 3.5 percent.",
        '"We are done," he said.',
        "Next came Jan. 10 talks with Gov. Cuomo and Sen. Warren.",
    ]


def test_headline_without_full_stop_is_its_own_sentence() -> None:
    text = "Putin warns Biden of colossal mistake\nThe two leaders spoke for 50 minutes. It was late."
    assert sentences(text) == [
        "Putin warns Biden of colossal mistake",
        "The two leaders spoke for 50 minutes.",
        "It was late.",
    ]


def test_blank_lines_start_paragraphs() -> None:
    article = segment("t", "t", "First one. Second one.\n\nThird one.\nFourth one.")
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1]


def test_boilerplate_is_marked_and_reporting_is_not() -> None:
    name, text = read_source(SEEDS[0])
    article = segment(name, SEEDS[0], text)
    furniture = {s.text for s in article.sentences if s.boilerplate}
    assert "Leave a Reply" in furniture
    assert "Your email address will not be published." in furniture
    assert any(t.startswith("Disclaimer:") for t in furniture)
    assert any(t.startswith("If you are the rightful owner") for t in furniture)  # rest of that paragraph
    reporting = [s for s in article.sentences if "50 minutes" in s.text]
    assert reporting and not reporting[0].boilerplate


def test_seed_001_navigation_and_credits_are_boilerplate() -> None:
    name, text = read_source(SEEDS[1])
    marked = {s.text: s.boilerplate for s in segment(name, SEEDS[1], text).sentences}
    assert marked["Read on"] and marked["Latest stories"] and marked["Source: AFP / –"]
    assert marked["Related stories"] and marked["(AP photo)"]
    assert not marked["Biden and Putin met in Geneva in June."]


def test_a_title_that_opens_a_sentence_stays_with_the_name() -> None:
    # blingfire cuts "Mr." off when it opens a sentence that follows another on the same line
    assert sentences("It rained on Sept. 11, 2001. Mr. Obama spoke. Then Dr. Smith left.") == [
        "It rained on Sept. 11, 2001.",
        "Mr. Obama spoke.",
        "Then Dr. Smith left.",
    ]
    assert sentences("Was it over? No. We went on.") == ["Was it over?", "No.", "We went on."]


def test_a_sentence_opening_with_a_title_is_not_run_into_the_one_before() -> None:
    # blingfire keeps "... this year. Mr. Braley apologized ..." as one sentence
    assert sentences("He is running for the Senate this year. Mr. Braley apologized to Sen. Chuck Grassley.") == [
        "He is running for the Senate this year.",
        "Mr. Braley apologized to Sen. Chuck Grassley.",
    ]
    # an initial or an abbreviation before a title is no sentence end
    assert len(sentences("Charles E. Grassley met Lt. Col. Smith and Acme Corp. Mr. Jones.")) == 1


def test_sentences_written_without_spaces_are_not_mistaken_for_menu_entries() -> None:
    article = segment("t", "t", "普京警告拜登。通话持续了50分钟。\nプーチン氏が警告した。")
    assert [s.text for s in article.sentences] == ["普京警告拜登。", "通话持续了50分钟。", "プーチン氏が警告した。"]
    assert not any(s.boilerplate for s in article.sentences)
