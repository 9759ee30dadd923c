"""Split an article's text into sentences with character offsets, marking page furniture."""

from __future__ import annotations

import re

import blingfire

from align.boilerplate import is_boilerplate, opens_boilerplate_paragraph
from align.model import Article, Sentence

_LINE = re.compile(r"[^\n]+")
# Titles blingfire sometimes cuts off as a sentence of their own when they open a sentence
# ("... in 2001. Mr. Obama said" gives "Mr." and "Obama said").
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof|Rev|Rep|Sen|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Amb|Pres|Hon|St)\.")
# ... and sometimes runs a sentence on into the next when that one opens with a title
# ("... this year. Mr. Braley apologized"): a full stop after a lower-case word, then a title
# and a capital, starts a sentence.
_TITLE_OPENS = re.compile(rf"\b[a-z]{{2,}}[.!?][\"”’]?\s+({_TITLE.pattern})\s+[A-Z]")


def segment(name: str, source: str, text: str, detect_boilerplate: bool = True) -> Article:
    """An Article whose sentences cover every non-blank character of `text`, in order.

    Every line is split on its own, so a headline without a full stop stays one sentence;
    a blank line starts a new paragraph. Page furniture is marked unless `detect_boilerplate` is off.
    """
    sentences: list[Sentence] = []
    paragraph = -1
    previous_line_end = -2
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        if text.count("\n", previous_line_end, line.start()) != 1 or paragraph < 0:
            paragraph += 1
        furniture = False
        for number, (start, end) in enumerate(_split_line(line.group())):
            sentence_text = text[line.start() + start : line.start() + end]
            if number == 0:
                furniture = detect_boilerplate and opens_boilerplate_paragraph(sentence_text)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=line.start() + start,
                    end=line.start() + end,
                    text=sentence_text,
                    paragraph=paragraph,
                    boilerplate=furniture or (detect_boilerplate and is_boilerplate(sentence_text)),
                )
            )
        previous_line_end = line.end()
    return Article(name=name, source=source, text=text, sentences=tuple(sentences))


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line; pieces between the segmenter's sentences are never lost."""
    _, offsets = blingfire.text_to_sentences_and_offsets(line)
    cuts = sorted({start for start, _ in offsets} | {m.start(1) for m in _TITLE_OPENS.finditer(line)} | {0})
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:] + [len(line)]):
        piece = line[start:end]
        stripped_start = start + len(piece) - len(piece.lstrip())
        stripped_end = start + len(piece.rstrip())
        if stripped_end <= stripped_start:
            continue
        if spans and _TITLE.fullmatch(line[spans[-1][0]:spans[-1][1]]):
            stripped_start = spans.pop()[0]
        spans.append((stripped_start, stripped_end))
    return spans


# Where a sentence joins the statements it carries: punctuation, dashes, quotation marks, and the
# words that open a clause of its own.
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[,;:()]|—|--|–|\s-\s|[“”\"]|\b(?:but|while|which|who|because|although|after|before|saying|"
    r"as well as|and then)\b)\s*")
CLAUSE_MIN_WORDS = 4
# Sentences shorter than this are not cut: on the shared gold, cutting only these (41% fewer
# clause words on the seeds) scores as cutting every sentence (F1 0.543 against 0.544).
CUT_MIN_WORDS = 24


def clauses(text: str) -> list[str]:
    """The parts of a long sentence (CUT_MIN_WORDS words or more) of CLAUSE_MIN_WORDS words or
    more between its clause breaks (none for a sentence that has no break): a long sentence may
    share one of them with a short one."""
    if len(text.split()) < CUT_MIN_WORDS:
        return []
    parts = [p for p in (part.strip() for part in _CLAUSE_BREAK.split(text)) if len(p.split()) >= CLAUSE_MIN_WORDS]
    return [] if parts == [text.strip()] else list(dict.fromkeys(parts))
