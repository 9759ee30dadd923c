"""The seeds gold, as annotated: each statement lists the sentences (article.sentence, numbered as
diffnews segments the seeds) that make it. Two sentences of different articles are linked when they
make one statement together; `build.py` turns this into `seeds.jsonl`. See GUIDELINE.md."""

STATEMENTS: dict[str, list[str]] = {
    # Putin warned that (new) sanctions would be a big / grave / colossal mistake
    "warning of a mistake": ["0.0", "0.3", "0.11", "0.13", "1.6", "1.18", "1.19", "2.0", "2.1", "3.2", "3.3", "3.4"],
    "relations could collapse": ["0.12", "2.1", "3.4"],
    "the two spoke on the phone (Thursday)": ["0.1", "0.4", "1.10", "1.23", "2.5"],
    "the second call in a month": ["1.10", "1.24", "2.5", "3.6"],
    "the call lasted 50 minutes": ["0.5", "1.23", "2.6", "3.5"],
    "Biden urged Russia to reduce tensions": ["0.6", "0.7", "1.11", "1.14"],
    "the talks were about tensions over Ukraine": ["0.2", "2.2"],
    "progress only with de-escalation": ["0.10", "2.9", "3.16"],
    "Biden supports diplomacy": ["0.9", "1.21", "2.12"],
    "the US and allies will respond if Russia invades": ["0.8", "1.1", "1.2", "1.6", "1.12", "1.13", "1.15", "2.10", "3.8",
                                                          "3.17"],
    "Biden threatened sanctions if Russia invades (December 7)": ["1.27", "2.3"],
    "the December 7 video call": ["1.27", "3.7"],
    "Putin was satisfied / pleased": ["1.11", "1.22", "2.7", "3.14"],
    "a good basis for future talks": ["2.7", "3.15"],
    "security talks next year / in January, in Geneva": ["1.20", "1.29", "1.31", "1.37", "2.8", "2.11"],
    "Putin hopes they can work together on mutual interests": ["2.13", "3.18"],
    "Russian troops are massed at the border": ["0.18", "2.4", "4.14"],
    "the build-up raises fears of an attack": ["0.18", "1.25", "2.4", "4.14"],
    "Moscow denies plans to attack": ["0.21", "1.26", "3.9", "4.15"],
    "Russia demands guarantees against NATO expansion": ["0.23", "1.38", "1.40", "2.6", "3.24"],
    "Russia's draft treaties": ["1.40", "3.13", "3.20"],
    "NATO rejected the demands": ["1.41", "3.25"],
    "Russia wants Western weapons out of Ukraine": ["0.22", "0.23", "3.21"],
    "Crimea 2014 and the war in the east": ["0.15", "0.18", "0.19", "0.20", "1.28"],
}

# Divergences a careful reader flags between two aligned sentences: (a, b, [(kind, type, a text, b text)]).
# A text of None: the detail is not stated on that side ("missing"). Eight flags were added when the
# guideline took up the shared gold's conventions: "two" as a figure (1.22~3.14, 2.1~3.4, 1.10~3.6),
# relative dates and durations without a figure (1.24~3.6, 1.10~3.6), parts of the day (0.4~1.23).
DIVERGENCES: list[tuple[str, str, list[tuple[str, str, str | None, str | None]]]] = [
    ("1.23", "3.5", [("date", "missing", None, "December 30, 2021")]),
    ("1.22", "2.7", [("name", "variant", "Ushako", "Ushakov"), ("quote", "missing", "satisfied", None),
                     ("quote", "missing", "serious and important.", None)]),
    ("1.22", "3.14", [("name", "variant", "Ushako", "Ushakov"), ("quote", "missing", "satisfied", None),
                      ("quote", "missing", "serious and important.", None), ("number", "missing", None, "two")]),
    ("2.9", "3.16", [("name", "variant", "Saki", "Psaki"),
                     ("quote", "missing", None, "President Biden reiterated that substantive progress")]),
    ("0.18", "2.4", [("number", "variant", "thousands", "More than 100,000"),
                     ("date", "missing", "2014", None)]),
    ("0.18", "4.14", [("number", "variant", "thousands", "more than 100,000"),
                      ("date", "missing", "2014", None)]),
    ("2.4", "4.14", []),
    ("0.5", "1.23", [("time", "missing", "9:35 pm", None), ("time", "missing", "midnight", None),
                     ("weekday", "missing", None, "Thursday")]),
    ("0.5", "2.6", [("time", "missing", "9:35 pm", None), ("time", "missing", "midnight", None)]),
    ("0.5", "3.5", [("time", "missing", "9:35 pm", None), ("time", "missing", "midnight", None),
                    ("weekday", "missing", None, "Thursday"), ("date", "missing", None, "December 30, 2021")]),
    ("1.24", "3.6", [("duration", "missing", "less than a month", None), ("date", "missing", None, "this month")]),
    ("2.10", "3.8", [("quote", "missing", "President Biden reiterated to the Russian leader", None)]),
    ("1.31", "2.11", [("date", "missing", "January 10", None)]),
    ("0.4", "1.23", [("duration", "missing", None, "50 minutes"), ("time", "missing", "evening", None)]),
    ("2.1", "3.4", [("date", "missing", "Dec. 31", None), ("number", "missing", "two", None)]),
    ("1.19", "3.3", []),
    ("1.13", "3.17", [("weekday", "missing", "Thursday", None)]),
    ("1.26", "4.15", [("quote", "missing", "provocative", None)]),
    ("2.13", "3.18", []),
    ("1.27", "3.7", [("quote", "missing", "serious consequences", None)]),
    ("1.10", "3.6", [("duration", "missing", "a few weeks", None), ("date", "missing", None, "this month"),
                     ("number", "missing", None, "two")]),
]
