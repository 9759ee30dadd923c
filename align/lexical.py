"""Shared words as vectors: TF-IDF over word stems, weighted by rarity across the compared articles.

Three readings of a sentence's words feed the pair score: its content words without the names
(what it says, not who says it), all its words, and its names alone (capitalised words after
the first: people, places, organisations).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from align.details import stem
from align.model import Article

_WORD = re.compile(r"[^\W\d_]{3,}")
# Below this many sentences, which words a story uses everywhere cannot be told yet: the weights
# are computed as if there were this many (two one-sentence articles still share their rare words).
MIN_SENTENCES = 20

Words = Callable[[str], list[str]]


def word_vectors(articles: tuple[Article, ...], words: Words) -> list[np.ndarray]:
    """Each sentence as unit-length TF-IDF weights of `words(text)`, one matrix per article. A
    word's weight is ln((1 + n) / (1 + df)) over the n article sentences (page furniture left out)
    of all the compared articles, df of which hold it: a word in every sentence weighs nothing
    (n is at least MIN_SENTENCES). A word only one sentence holds adds to its length but can be
    in common with no other: it is kept out of the columns, which keeps the matrices small."""
    found = [[set(words(s.text)) for s in a.sentences] for a in articles]
    held = [(w, s.boilerplate) for a, article in zip(found, articles) for ws, s in zip(a, article.sentences) for w in ws]
    everywhere = Counter(w for w, _ in held)
    in_body = Counter(w for w, furniture in held if not furniture)
    n = max(sum(not s.boilerplate for a in articles for s in a.sentences), MIN_SENTENCES)
    weight = {w: float(np.log((1 + n) / (1 + in_body[w]))) for w in everywhere}
    shared = {w: k for k, w in enumerate(sorted(w for w, count in everywhere.items() if count > 1))}
    matrices = []
    for sentence_words in found:
        matrix = np.zeros((len(sentence_words), max(len(shared), 1)), dtype=np.float32)
        for row, sentence in enumerate(sentence_words):
            length = max(float(np.sqrt(sum(weight[w] ** 2 for w in sentence))), 1e-9)
            for w in sentence & shared.keys():
                matrix[row, shared[w]] = weight[w] / length
        matrices.append(matrix)
    return matrices


def content_stems(text: str) -> list[str]:
    """The stems of what a sentence says, not of who says it or where: capitalised words after the
    first (names, places, months) are left out, unless most words are capitalised (a headline in
    title case), where capitals say nothing."""
    words = _WORD.findall(text)
    capitalised = [w[0].isupper() for w in words]
    if sum(capitalised[1:]) * 2 < len(words):
        words = [w for w, capital in zip(words[1:], capitalised[1:]) if not capital] + words[:1]
    return [stem(w.lower()) for w in words]


def all_stems(text: str) -> list[str]:
    """The stems of every word, names included."""
    return [stem(w.lower()) for w in _WORD.findall(text)]


def names(text: str) -> list[str]:
    """The capitalised words after the first, lower-cased: who and where a sentence names."""
    return [w.lower() for w in _WORD.findall(text)[1:] if w[0].isupper()]
