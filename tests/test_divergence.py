from align import align, load_articles
from align.model import Alignment
from tests.conftest import write


def pair(tmp_path, embedder, left: str, right: str) -> Alignment:
    paths = [write(tmp_path, "a.txt", left), write(tmp_path, "b.txt", right)]
    return align(load_articles(paths), embedder=embedder)


def labels(alignment: Alignment) -> set[tuple[str, str, str | None, str | None]]:
    return {
        (d.kind, d.type, d.a_span.text if d.a_span else None, d.b_span.text if d.b_span else None)
        for g in alignment.groups
        for d in g.divergences
    }


def test_weekday_duration_and_name_spelling(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Yuri Ushakov said the phone call on Thursday lasted 50 minutes.",
        "Yuri Oshakov said the phone call on Saturday lasted just over an hour.",
    )
    assert len(result.groups) == 1
    assert labels(result) == {
        ("weekday", "conflict", "Thursday", "Saturday"),
        ("duration", "conflict", "50 minutes", "just over an hour"),
        ("name", "variant", "Ushakov", "Oshakov"),
    }


def test_spans_are_offsets_into_the_article(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Headline here\n\nMore than 100,000 troops were sent to the border last month.",
        "Some 90,000 troops were sent to the border last month.",
    )
    (group,) = result.groups
    (divergence,) = [d for d in group.divergences if d.kind == "number"]
    assert divergence.type == "conflict"
    for span in (divergence.a_span, divergence.b_span):
        assert result.articles[span.member.article].text[span.start : span.end] == span.text


def test_negation_and_missing_detail(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Putin said that Russia will not invade Ukraine in 2022.",
        "Putin said that Russia will invade Ukraine.",
    )
    assert ("negation", "conflict", "not", None) in labels(result)
    assert ("date", "missing", "2022", None) in labels(result)


def test_same_facts_written_differently_do_not_diverge(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "The two leaders spoke for 50 minutes on December 30, 2021, about Ukraine.",
        "The two leaders spoke about Ukraine for 50 minutes on Dec. 30.",
    )
    assert len(result.groups) == 1
    assert labels(result) == set()


def test_demonyms_and_plurals_are_not_spelling_variants(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Russia sent troops to the Ukraine border, the Leaders said.",
        "Russian troops went to the Ukrainian border, the Leader said.",
    )
    assert not [d for d in result.groups[0].divergences if d.kind == "name"]


def test_a_negation_contradicts_only_what_the_other_side_asserts(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "The senator said the talks in Geneva did not produce an agreement on troop numbers.",
        "The senator said the talks in Geneva were long and tense and stalled on troop numbers.",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "negation"]


def test_quotes_of_one_remark_conflict_and_different_remarks_are_missing(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Kerry said “there won’t be any daylight there at all” and called the plan “a good start” on Monday.",
        "Kerry said there would be “no daylight” between them and called the plan “long overdue” on Monday.",
    )
    assert len(result.groups) == 1
    assert labels(result) == {
        ("quote", "conflict", "there won’t be any daylight there at all", "no daylight"),
        ("quote", "missing", "a good start", None),
        ("quote", "missing", None, "long overdue"),
    }


def test_a_quoted_fragment_of_the_full_quote_is_the_same_remark(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "The allies will “respond decisively” if Russia invades, Biden said.",
        "Biden said: “The allies will respond decisively if Russia further invades Ukraine.”",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "quote"]


def test_counts_of_different_things_are_missing_not_in_conflict(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Elizabeth Lauten, 31, criticized the Obama daughters on Facebook, and 500 people replied.",
        "Elizabeth Lauten criticized the Obama daughters, aged 16 and 13, on Facebook, and 800 people replied.",
    )
    assert len(result.groups) == 1
    numbers = {d for d in labels(result) if d[0] == "number"}
    assert numbers == {
        ("number", "conflict", "500", "800"),
        ("number", "missing", "31", None),
        ("number", "missing", None, "16"),
        ("number", "missing", None, "13"),
    }


def test_a_quote_changed_by_a_word_conflicts_and_a_quoted_title_is_no_remark(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "“Every day that passes, Iran gets closer and closer to nuclear arms,” Netanyahu said on “Meet the Press.”",
        "“Every day that passes, Iran gets closer and closer to a nuclear bomb,” Netanyahu said on CNN.",
    )
    assert len(result.groups) == 1
    assert {d for d in labels(result) if d[0] == "quote"} == {
        ("quote", "conflict", "Every day that passes, Iran gets closer and closer to nuclear arms,",
         "Every day that passes, Iran gets closer and closer to a nuclear bomb,"),
    }


def test_word_forms_and_abbreviations_are_not_spelling_variants(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Braley spoke at a fundraiser in Corpus Christi, Tex., to Democratic donors in January.",
        "Braley spoke at a fundraiser in Texas to Democrats and their donors in January.",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "name"]


def test_names_a_few_letters_apart_are_two_names(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Professors in Washington sent Ryan a letter before his lecture on Thursday.",
        "Professors sent Ryan a letter before he gave the Whittington Lecture on Thursday.",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "name"]
    spelt = pair(tmp_path, embedder, "Mohammed spoke to reporters on Thursday.", "Muhammad spoke to reporters on Thursday.")
    assert labels(spelt) == {("name", "variant", "Mohammed", "Muhammad")}


def test_a_negation_inside_a_remark_both_sides_quote_is_flagged_once_as_the_quote(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Lauten told the Obama daughters on Facebook to “dress like you deserve respect, not a spot at a bar.”",
        "Lauten told the Obama daughters on Facebook their outfits were fit for “a spot at the bar.”",
    )
    assert len(result.groups) == 1
    kinds = {(d.kind, d.type) for d in result.groups[0].divergences}
    assert ("quote", "conflict") in kinds and ("negation", "conflict") not in kinds


def test_a_quote_written_with_a_contraction_is_the_same_words(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Netanyahu said: “President Obama has said that he is determined to stop Iran's bomb.”",
        "Netanyahu said: “President Obama has said that he’s determined to stop Iran’s bomb.”",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "quote"]


def test_two_cuts_of_one_remark_sharing_five_words_conflict(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Steele asked: “Well, if he is such a keen student of the past, has he not grasped that this is the one "
        "thing you never do, to engage in a land war in Afghanistan?”",
        "Steele said on Thursday: “...never do is engage in a land war in Afghanistan, because everyone who tried "
        "it over a thousand years has failed.”",
    )
    assert len(result.groups) == 1
    assert [(d.kind, d.type) for d in result.groups[0].divergences if d.kind == "quote"] == [("quote", "conflict")]


def test_a_date_against_its_month_alone_is_not_flagged(tmp_path, embedder) -> None:
    left = "Obama named Mo Cowan to the Senate seat on June 25, the governor said."
    assert labels(pair(tmp_path, embedder, left, "Obama named Mo Cowan to the Senate seat in June, the governor said.")) == set()
    assert labels(pair(tmp_path, embedder, left, "Obama named Mo Cowan to the Senate seat in July, the governor said.")) == {
        ("date", "missing", "June 25", None)}


def test_no_negation_conflict_when_both_sides_deny(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Kristol wrote that the war in Afghanistan “was not a war of Obama's choosing.”",
        "Steele called Afghanistan “a war of Obama's choosing”, but it is not Obama's war, Kristol wrote.",
    )
    assert len(result.groups) == 1
    assert not [d for d in result.groups[0].divergences if d.kind == "negation"]


def test_two_days_that_date_two_events_are_each_missing(tmp_path, embedder) -> None:
    # the shared blind gold: pressure kept up on Sunday, reactions offered on Friday
    result = pair(
        tmp_path, embedder,
        "Senators kept up pressure on Michael Steele Sunday to better explain his claim about Afghanistan.",
        "Conservatives offered swift, negative reactions to Michael Steele on Friday, after his claim about Afghanistan.",
    )
    assert {(d.kind, d.type) for d in result.groups[0].divergences if d.kind == "weekday"} == {("weekday", "missing")}
    assert len([d for d in result.groups[0].divergences if d.kind == "weekday"]) == 2


def test_a_day_against_a_relative_date_of_days_conflicts(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Steele drew fierce criticism and calls for his resignation on Friday after the fund-raiser.",
        "Steele drew fierce criticism, and calls for his resignation grew quickly over the weekend.",
    )
    assert ("date", "conflict", "Friday", "over the weekend") in labels(result)
    assert not [d for d in result.groups[0].divergences if d.kind == "weekday"]
    # a day and a weekend that date two things are two facts, each missing on the other side
    other = pair(
        tmp_path, embedder,
        "A young Republican aide resigned Monday after her Facebook post about the Obama daughters.",
        "The aide had to apologize for her Facebook post about the Obama daughters over the weekend.",
    )
    assert {("weekday", "missing", "Monday", None), ("date", "missing", None, "over the weekend")} <= labels(other)


def test_a_relative_date_and_a_date_of_two_events_are_each_missing(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "The episode, which began last fall, turns on whether Scott Brown will run for the Senate seat.",
        "The likeliest candidate is Scott Brown, who won a surprise 2010 victory for the Senate seat.",
    )
    assert {("date", "missing", "last fall", None), ("date", "missing", None, "2010")} <= labels(result)


def test_two_relative_dates_do_not_contradict_each_other(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "Moscow has recently deployed more than 100,000 troops near Ukraine.",
        "More than 100,000 Russian troops have been deployed near Ukraine in recent weeks.",
    )
    assert not [d for d in result.groups[0].divergences if d.kind == "date"]


def test_a_clock_time_inside_a_part_of_the_day_agrees_with_it(tmp_path, embedder) -> None:
    evening = pair(tmp_path, embedder, "The leaders spoke on Thursday evening about Ukraine.",
                   "The leaders spoke on Thursday at 9:35 pm about Ukraine.")
    assert not [d for d in evening.groups[0].divergences if d.kind == "time"]
    morning = pair(tmp_path, embedder, "The leaders spoke on Thursday morning about Ukraine.",
                   "The leaders spoke on Thursday at 9:35 pm about Ukraine.")
    assert ("time", "conflict", "morning", "9:35 pm") in labels(morning)


def test_vague_amounts_against_exact_ones_are_variants(tmp_path, embedder) -> None:
    result = pair(
        tmp_path, embedder,
        "A couple of reporters waited for several minutes outside the hall.",
        "Two reporters waited for 20 minutes outside the hall.",
    )
    assert {("number", "variant", "A couple", "Two"), ("duration", "variant", "several minutes", "20 minutes")} <= labels(result)


def test_a_name_two_letters_apart_and_similar_enough_is_a_variant(tmp_path, embedder) -> None:
    result = pair(tmp_path, embedder, "Mr. Cowan said he would rely on the staff of Senator Kerry.",
                  "Cowmen said he would rely on the staff of Senator Kerry.")
    assert ("name", "variant", "Cowan", "Cowmen") in labels(result)


def flags(a: str, b: str) -> set[tuple[str, str, str | None, str | None]]:
    """What diffnews flags between two sentences taken as one group (no model involved)."""
    from align.evaluate import DivergenceCase, flagged

    return set(flagged(DivergenceCase("case", a, b, frozenset())))


def conflicts(a: str, b: str) -> set[tuple[str, str, str | None, str | None]]:
    return {f for f in flags(a, b) if f[1] in ("conflict", "variant")}


def test_years_of_two_different_things_do_not_conflict() -> None:
    assert conflicts("Republicans will drag the political charade into 2016, he said.",
                     "He criticised the inquiry into the 2012 Benghazi attack.") == set()
    assert conflicts("The admiral departs January 1, the Navy said.",
                     "The admiral, whose command years began in 2010, will leave.") == set()
    # one thing dated two ways still conflicts
    assert conflicts("The treaty was signed in 1966.", "The treaty was signed in 1967.") == {
        ("date", "conflict", "1966", "1967")}


def test_a_code_is_no_figure_and_an_age_no_duration() -> None:
    assert not any("99" in (f[2] or "") for f in flags("LK-99 is a superconductor, they said.",
                                                       "The material conducts at 30 degrees, they said."))
    assert conflicts("The 14-year-old suspect was held for 16 hours.",
                     "The suspect, 14, was held for 16 hours.") == set()
    assert not any(f[0] == "duration" for f in flags("His daughters, 16 and 18 years old, were there.",
                                                     "His daughters were there."))


def test_the_end_of_a_month_is_a_date_and_zero_is_a_negation() -> None:
    assert ("date", "missing", "the end of February", None) in flags(
        "The vote is expected by the end of February.", "The vote is expected soon.")
    assert not any(f[0] == "date" for f in flags("The vote is expected by the end of February.",
                                                 "The vote is expected on Feb. 28."))
    assert conflicts("Current can flow with no resistance.", "It has zero electrical resistance.") == set()


def test_a_round_figure_and_a_bound_are_variants_of_the_exact_one() -> None:
    assert conflicts("The firm paid $13.6 million in fees.", "The firm paid $13,625,777 in fees.") == {
        ("money", "variant", "$13.6 million", "$13,625,777")}
    assert conflicts("Prices rose over 10 percent.", "Prices rose 10.8 percent.") == {
        ("percent", "variant", "over 10 percent", "10.8 percent")}
    assert conflicts("Prices rose 12 percent.", "Prices rose 15 percent.") == {
        ("percent", "conflict", "12 percent", "15 percent")}


def test_deny_is_an_act_not_a_negation() -> None:
    assert conflicts("The bill would allow businesses to deny service over religious beliefs.",
                     "The bill would let businesses refuse service over religious beliefs.") == set()


def test_a_time_ago_is_a_date_and_decades_a_duration() -> None:
    assert ("date", "missing", None, "several months ago") in flags("He left.", "He left several months ago.")
    assert ("duration", "conflict", "two decades", "three decades") in flags(
        "He served in office for two decades.", "He served in office for three decades.")
