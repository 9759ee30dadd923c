"""Recognise web-page furniture (navigation, share prompts, credits, disclaimers) in an article."""

from __future__ import annotations

import re

# A line starting with one of these is furniture, and so is every sentence after it in its paragraph.
_PARAGRAPH_OPENERS = re.compile(
    r"^\s*(disclaimer\b|copyright\b|©|\(c\)\s|all rights reserved|original article)",
    re.IGNORECASE,
)

# A sentence matching one of these is furniture on its own.
_SENTENCE_PATTERNS = re.compile(
    r"""^\W*(
        read\ (more|on|also|next)\b | see\ also\b | related(\ stories|\ articles|\ posts)?\b
      | latest(\ stories|\ news|\ posts)\b | more\ (stories|news)\b | recommended\b
      | share\ (this|on|via)\b | (follow|like)\ us\b | sign\ up\b | subscribe\b | click\ here\b
      | leave\ a\ (reply|comment)\b | \d+\ comments?\b | no\ comments\b
      | your\ email\ address\ will\ not\ be\ published | required\ fields\ are\ marked
      | published\b\W*$ | categori[sz]ed\ as\b | tags?:\ | filed\ under\b | date:\W*$
      | (photo|image|picture|source|credit)s?\ ?(credit)?\s*: | \(?(ap|afp|reuters|getty)\ (photo|images?)\)?\W*$
      | advertisement\W*$ | to\ top\W*$ | back\ to\ top\b | home\W*$ | menu\W*$
      | i\ assure\ you\ that,?\ i\ will\ remove
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_WEEKDAY_DATELINE = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday),\s+\w+\s+\d{1,2},\s+\d{4}$",
    re.IGNORECASE,
)


# How a sentence of reporting ends, in scripts with and without spaces between words.
_SENTENCE_ENDS = (".", "!", "?", "”", '"', "。", "！", "？", "।")


def opens_boilerplate_paragraph(sentence: str) -> bool:
    """True when this first sentence of a paragraph makes the whole paragraph furniture."""
    return bool(_PARAGRAPH_OPENERS.match(sentence))


def is_boilerplate(sentence: str) -> bool:
    """True for a sentence that is page furniture rather than reporting."""
    stripped = sentence.strip()
    if _SENTENCE_PATTERNS.match(stripped) or _WEEKDAY_DATELINE.match(stripped):
        return True
    words = stripped.split()
    # One or two words with no full stop: a menu entry, a section name, a byline stub.
    return len(words) <= 2 and not stripped.endswith(_SENTENCE_ENDS)
