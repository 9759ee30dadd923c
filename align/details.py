"""Find the checkable details of a sentence: numbers, dates, times, durations, money, names, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from align.model import DetailKind, Sentence


@dataclass(frozen=True)
class Detail:
    """A detail found in a sentence: offsets are into the sentence's text; `value` is normalised."""

    kind: DetailKind
    start: int
    end: int
    text: str
    value: str


# The kinds whose values are compared as values (names, quotes and negations are compared apart).
VALUE_KINDS: tuple[DetailKind, ...] = ("number", "date", "weekday", "time", "duration", "money", "percent")

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100,
    "dozen": 12, "a dozen": 12, "an": 1, "a": 1, "half an": 0.5, "half a": 0.5,
}
_SCALES = {"dozen": 12, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Vague amounts: they agree with any figure of their order of magnitude, and with each other only.
_VAGUE = {"dozens": "dozens", "hundreds": "hundreds", "thousands": "thousands", "millions": "millions",
          "billions": "billions", "a couple": "couple"}
_UNIT_WORDS = "seconds|minutes|hours|days|weeks|months|years|decades"
_PARTS_OF_DAY = "morning|afternoon|evening|night"

_WORD = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_FIGURE = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_WORD}))(?:[\s-]+(?:{'|'.join(_SCALES)}))?"
_APPROX = r"(?:(?:just\s+|a\s+little\s+)?(?:over|under|more\s+than|less\s+than|about|around|nearly|almost|roughly|some|up\s+to|at\s+least)\s+)?"
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_UNITS = {"second": 1 / 60, "minute": 1, "min": 1, "hour": 60, "day": 1440, "week": 10080,
          "month": 43200, "year": 525600, "decade": 5256000}

# Relative and partial dates: "last week", "earlier this year", "recently", "the mid-1970s".
_RELATIVE_DATE = re.compile(
    r"\b(?:(?:earlier|later)\s+)?(?:this|last|next|past)\s+(?:week|weekend|month|year|fall|autumn|spring|summer|winter)\b"
    r"|\b(?:the\s+)?(?:past|last|next|coming)\s+(?:few|couple\s+of|several)\s+(?:days|weeks|months|years)\b"
    r"|\b(?:over\s+|during\s+)?the\s+weekend\b|\bthroughout\s+the\s+week\b|\brecent(?:ly)?\b"
    r"|\b(?:the\s+)?(?:(?:early|mid|late)-)?(?:1[89]|20)\d0s\b"
    r"|\b(?:(?:several|a\s+few|a\s+couple\s+of|many|two|three|four|five|\d+)\s+)?(?:days|weeks|months|years|decades)\s+ago\b"
    r"|\ba\s+(?:day|week|month|year|decade|century)\s+ago\b"
    r"|\b(?:in\s+)?the\s+coming\s+(?:days|weeks|months|years)\b|\b(?:yesterday|tomorrow)\b|\bvery\s+soon\b",
    re.I)

_DIGITS = tuple("0123456789")
# Each kind's patterns, earlier ones winning where they overlap, with the strings (case-folded) a
# sentence must hold for the pattern to match at all: most sentences skip the slowest patterns.
_PATTERNS: list[tuple[DetailKind, re.Pattern[str], tuple[str, ...]]] = [
    ("money", re.compile(rf"(?:(?<!\w){_APPROX}[$€£]\s?{_FIGURE}|\b{_APPROX}{_FIGURE}\s+(?:dollars|euros|pounds|rubles|roubles))\b", re.I),
     ("$", "€", "£", "dollars", "euros", "pounds", "rubles", "roubles")),
    ("percent", re.compile(rf"\b{_APPROX}{_FIGURE}\s?(?:%|percent\b|per\s+cent\b)", re.I), ("%", "cent")),
    # an age ("14-year-old", "16 and 18 years old") is no duration
    ("duration", re.compile(rf"\b{_APPROX}{_FIGURE}[\s-]+(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?|decades?)\b(?![\s-]+(?:old|ago)\b)", re.I),
     ("second", "min", "hour", "day", "week", "month", "year", "decade")),
    # vague durations: "several minutes", "for months" (a group named d is the detail itself)
    ("duration", re.compile(rf"\b(?:several|a few|a couple of|many)\s+(?:{_UNIT_WORDS})\b(?!\s+ago\b)", re.I), ()),
    ("duration", re.compile(rf"\bfor\s+(?P<d>{_UNIT_WORDS})\b", re.I), ()),
    ("time", re.compile(r"\b(?:\d{1,2}:\d{2}\s?(?:[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.m\.|\d{1,2}\s?[ap]m\b|midnight|noon)(?:\s?(?:CET|GMT|UTC|EST|EDT|ET|PT|MSK))?", re.I), ()),
    # parts of the day, when they date something: "Friday morning", "late afternoon", "in the evening"
    ("time", re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)}|early|late|this|that|yesterday|tomorrow|in\s+the)\s+"
                        rf"(?P<d>{_PARTS_OF_DAY})\b", re.I), ()),
    ("date", _RELATIVE_DATE, ()),
    # a part of a month: "the end of February", "early March", "mid-June 2014"
    ("date", re.compile(rf"\b(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of|early|late|mid-?)\s*(?:{_MONTH})\b(?:,?\s+\d{{4}})?",
                        re.I), ()),
    ("date", re.compile(r"\b(?:1[89]|20)\d\d\s?[-–]\s?(?:1[89]|20)\d\d\b"), _DIGITS),  # years served: "1989-2013"
    ("date", re.compile(rf"\b(?:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\.?(?:,?\s+\d{{4}})?|(?:{_MONTH})\.?\s+\d{{4}}|(?:1[89]|20)\d\d)\b", re.I),
     _DIGITS),
    ("weekday", re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", re.I), ()),
    ("number", re.compile(rf"\b{_APPROX}(?:{'|'.join(_VAGUE)}|{_FIGURE})\b(?!\s*(?:st|nd|rd|th)\b)", re.I), ()),
]

_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+$")
_CODE_BEFORE = re.compile(r"\b[A-Za-z]+-$")
_MONTH_WORD = re.compile(rf"\b(?:{_MONTH})\b", re.I)
# Quotation marks: double ones, an opening single one, and a closing single one after punctuation
# ("... still time.’"; elsewhere ’ is an apostrophe: "There’s").
_QUOTE_MARK = re.compile(r"[“”\"‘]|(?<=[.,!?])’")
_ANY_WORD = re.compile(r"\w+")
_NICKNAME_BEFORE = re.compile(r"\b[A-Z][a-z]+ [“\"]$")
_NICKNAME_AFTER = re.compile(r"[”\"] [A-Z][a-z]+")
_CONTRACTIONS = [(re.compile(pattern), full) for pattern, full in (
    (r"\bwon't\b", "will not"), (r"\bcan't\b|\bcannot\b", "can not"), (r"n't\b", " not"), (r"'re\b", " are"),
    (r"'m\b", " am"), (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"), (r"'s\b", " is"))]
_NEGATION = re.compile(r"\b(?:not|no|zero|never|neither|nor|none|nobody|nothing|without|cannot"
    r"|den(?:y|ies|ied|ying)(?=\s+(?:any|that|having|(?:the\s+)?(?:reports?|claims?|allegations?|accusations?)|wrongdoing)\b))\b|\w+n[’']t\b", re.I)
# Words a negation passes over to reach what it denies ("will not *invade*", "not a *spot*").
_NEGATED_SKIP = frozenset(
    "a an the be been being have has had do does did any really yet even just only ever always "
    "quite so very that this it there to for of in on at by with as".split()
)
_CLAUSE_TOKENS = re.compile(r"[^\W\d_]+|[^\w\s]|\d\S*")  # words, and what ends a run of them
_STEMMER = snowballstemmer.stemmer("english")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?\b")
# Capitalised words that are not names of people or places worth comparing.
_NOT_NAMES = frozenset(
    "the a an and but or if in on at of for to from by with as after before during while when "
    "this that these those there then it its he she they we you i his her their our my your "
    "according president prime minister secretary spokesman spokeswoman spokesperson adviser "
    "minister senator sen rep gov mr mrs ms dr however meanwhile also earlier later "
    "otherwise following speaking although moreover furthermore still even just only "
    "press foreign policy federation state states united white house senior official officials".split()
    + list(_MONTHS)
    + list(_WEEKDAYS)
)


def extract_article(sentences: tuple[Sentence, ...]) -> tuple[tuple[Detail, ...], ...]:
    """The details of each sentence of an article, knowing that a quote may run over several
    sentences of a paragraph: one without quotation marks between its opening and its closing is
    quoted whole."""
    found = []
    quote_open, paragraph = False, -1
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            quote_open, paragraph = False, sentence.paragraph
        spans, quote_open = _quote_spans(sentence.text, quote_open)
        found.append(_extract(sentence.text, spans))
    return tuple(found)


def extract(text: str) -> tuple[Detail, ...]:
    """All details of a sentence read on its own, earlier kinds in `_PATTERNS` winning where they overlap."""
    return _extract(text, _quote_spans(text, False)[0])


def _extract(text: str, quotes: list[tuple[int, int]]) -> tuple[Detail, ...]:
    found: list[Detail] = []
    taken = [False] * len(text)
    folded = text.casefold()
    for kind, pattern, needs in _PATTERNS:
        if needs and not any(n in folded for n in needs):
            continue
        for match in pattern.finditer(text):
            part = "d" if "d" in pattern.groupindex else 0
            start, end = match.span(part)
            if any(taken[start:end]):
                continue
            value = _normalise(kind, match.group(part))
            if value is None or (kind == "number" and _in_a_name(text, start, match.group(part))):
                continue
            found.append(Detail(kind, start, end, match.group(part), value))
            taken[start:end] = [True] * (end - start)
    for start, end in quotes:
        if _NICKNAME_BEFORE.search(text, 0, start) and _NICKNAME_AFTER.match(text, end) and text[start:end].istitle():
            continue  # William "Mo" Cowan: a name, not a remark
        found.append(Detail("quote", start, end, text[start:end], text[start:end].lower()))
    for match in _NEGATION.finditer(text):
        found.append(Detail("negation", match.start(), match.end(), match.group(), _negated(text, match.end())))
    for match in _NAME.finditer(text):
        word = match.group()
        if word.lower() in _NOT_NAMES or any(taken[match.start() : match.end()]):
            continue
        value = re.sub(r"[’']s$", "", word.lower())
        found.append(Detail("name", match.start(), match.end(), word, value))
    return tuple(sorted(found, key=lambda d: (d.start, d.kind)))


@lru_cache(maxsize=1 << 16)
def spaced_words(text: str) -> str:
    """A text's lower-case words between single spaces, with one before and after, so that one
    such string contains another only at word boundaries: what "the same words" means here.
    Contractions are spelt out ("he's" is "he is", "won't" is "will not")."""
    lowered = text.lower().replace("’", "'")
    for contracted, full in _CONTRACTIONS:
        lowered = contracted.sub(full, lowered)
    return " " + " ".join(_ANY_WORD.findall(lowered)) + " "


def _quote_spans(text: str, quote_open: bool) -> tuple[list[tuple[int, int]], bool]:
    """The quoted stretches of a sentence, and whether a quote is still open at its end. A quote
    may run on into the next sentence (an opening mark with no closing one: quoted to the end) or
    close one opened before (a closing mark with no opening one: quoted from the start); a straight
    mark opens after a space or at the start, and closes otherwise. Single marks inside a double
    quote quote within the quote, and are passed over."""
    spans = []
    start: int | None = 0 if quote_open else None
    single = False  # whether the open quote was opened with a single mark
    for mark in _QUOTE_MARK.finditer(text):
        i, found = mark.start(), mark.group()
        if found in "‘’" and start is not None and not single:
            continue
        if found in "“‘" or (found == '"' and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–")):
            start, single = i + 1, found == "‘"
        else:
            spans.append((0 if start is None else start, i))
            start, single = None, False
    if start is not None:
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if len(text[a:b].strip()) >= 2], start is not None


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word (remembered: the pure-Python stemmer is slow and news
    repeats its words)."""
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> set[str]:
    """The stems of a text's words."""
    return {stem(w.lower()) for w in re.findall(r"[^\W\d_]+", text)}


def words_after(text: str, end: int, skip: frozenset[str], limit: int) -> list[str]:
    """Up to `limit` lower-case words that follow `end` before any punctuation or figure, passing
    over the words in `skip`."""
    words: list[str] = []
    for token in _CLAUSE_TOKENS.findall(text, end):
        if not token[0].isalpha() or len(words) == limit:
            break
        if token.lower() not in skip:
            words.append(token.lower())
    return words


def _in_a_name(text: str, start: int, figure: str) -> bool:
    """A digit after a capitalised word is part of a name ("Article 1", "Flight 370"), and one
    joined to letters by a hyphen part of a code ("LK-99", "F-35", "COVID-19"): not a figure."""
    if figure[:1].isdigit() and _CODE_BEFORE.search(text, 0, start):
        return True
    before = _CAPITALISED_BEFORE.search(text, 0, start)
    return before is not None and figure[:1].isdigit() and before.group(1).lower() not in _NOT_NAMES


def words_before(text: str, start: int, skip: frozenset[str], limit: int) -> list[str]:
    """Up to `limit` lower-case words that come before `start` after any punctuation or figure,
    nearest first, passing over the words in `skip` and capitalised words (names)."""
    words: list[str] = []
    for token in reversed(_CLAUSE_TOKENS.findall(text, 0, start)):
        if not token[0].isalpha() or len(words) == limit:
            break
        if token.lower() not in skip and not token[0].isupper():
            words.append(token.lower())
    return words


def _negated(text: str, end: int) -> str:
    """The stem of the word a negation ending at `end` denies; "" when there is none."""
    denied = words_after(text, end, _NEGATED_SKIP, 1)
    return stem(denied[0]) if denied else ""


def _normalise(kind: DetailKind, text: str) -> str | None:
    lowered = re.sub(r"\s+", " ", text.lower()).strip()
    if kind == "weekday":
        return lowered
    if kind == "date":
        return _date_value(lowered) or _relative_value(lowered)
    if kind == "time":
        return f"part:{lowered}" if lowered in _PARTS_OF_DAY.split("|") else _time_value(lowered)
    if kind == "duration":
        return _duration_value(lowered) or _vague_duration(lowered)
    qualifier, amount = _split_approx(lowered)
    number = _number_value(amount)
    if number is None:
        return _VAGUE.get(amount) if kind == "number" else None
    if kind == "number" and amount in ("a", "an", "one", "half a", "half an"):
        return None  # "a", "one of": words, not figures worth checking
    return qualifier + _format(number)


def _split_approx(text: str) -> tuple[str, str]:
    match = re.match(_APPROX, text)
    words = match.group().split() if match else []
    rest = text[match.end():] if match else text
    qualifier = ""
    if words and words[-1] in ("over", "than") and words[-2:-1] != ["less"]:
        qualifier = ">"
    elif words and (words[-1] == "under" or words[-2:] == ["less", "than"]):
        qualifier = "<"
    return qualifier, rest.strip(" $€£%").replace("percent", "").replace("per cent", "").strip()


def _number_value(text: str) -> float | None:
    text = re.sub(r"\s+(dollars|euros|pounds|rubles|roubles)$", "", text)
    text = re.sub(rf"-(?=(?:{'|'.join(_SCALES)})$)", " ", text)  # "two-dozen"
    scale = 1.0
    for word, factor in _SCALES.items():
        if text.endswith(" " + word):
            scale, text = factor, text[: -len(word) - 1]
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text] * scale
    try:
        return float(text.replace(",", "")) * scale
    except ValueError:
        return None


def _format(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def months_named(text: str) -> set[int]:
    """The months a text names with a capital ("in June", "Dec."): "may" is a verb, "mar" too."""
    return {_MONTHS[m.group().lower()] for m in _MONTH_WORD.finditer(text) if m.group()[0].isupper()}


def month_of(date_value: str) -> int | None:
    """The month of a normalised date ("2021-06-25", "06-25", "2021-06"), None for a year alone
    or a relative date ("rel:last fall")."""
    if date_value.startswith("rel:"):
        return None
    parts = date_value.split("-")
    if len(parts[0]) == 4:
        parts = parts[1:]
    return int(parts[0]) if parts else None


def _date_value(text: str) -> str | None:
    if span := re.fullmatch(r"((?:1[89]|20)\d\d)\s?[-–]\s?((?:1[89]|20)\d\d)", text):
        return f"{span.group(1)}-{span.group(2)}"  # agrees with either end (see divergence._agree)
    year = re.search(r"\b(1[89]|20)\d\d\b", text)
    month = next((n for m, n in _MONTHS.items() if re.search(rf"\b{m}\b", text)), None)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", text.replace(year.group(), "") if year else text)
    parts = [year.group() if year else "", f"{month:02d}" if month else "", f"{int(day.group(1)):02d}" if day and month else ""]
    return "-".join(parts).strip("-") or None


def _relative_value(text: str) -> str:
    """A date said relative to the story ("last fall", "the weekend"): `rel:` and its words."""
    text = re.sub(r"^(?:(?:over|during)\s+)?(?:the\s+)?", "", text)
    return "rel:" + ("recent" if text.startswith("recent") else text)


def _vague_duration(text: str) -> str | None:
    """A duration without a figure ("several minutes", "months"): `~` and its unit."""
    unit = re.search(r"(second|minute|hour|day|week|month|year|decade)s\b", text)
    return f"~{unit.group(1)}" if unit else None


def _time_value(text: str) -> str | None:
    if "midnight" in text:
        return "00:00"
    if "noon" in text:
        return "12:00"
    match = re.match(r"(\d{1,2})(?::(\d{2}))?\s?([ap])?", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "p" and hour < 12:
        hour += 12
    if match.group(3) == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _duration_value(text: str) -> str | None:
    unit = re.search(r"(second|minute|min|hour|day|week|month|year|decade)s?\b", text)
    if not unit:
        return None
    qualifier, amount = _split_approx(text[: unit.start()].strip(" -"))
    number = _number_value(amount)
    if number is None:
        return None
    return f"{qualifier}{_format(number * _UNITS[unit.group(1)])}min"
