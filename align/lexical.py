"""Shared words as vectors: TF-IDF over word stems, weighted by rarity across the compared articles.

Three readings of a sentence's words feed the pair score: its content words without the names
(what it says, not who says it), all its words, and its names alone (capitalised words after
the first: people, places, organisations).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from scipy import sparse

from align.details import stem
from align.model import Article

_WORD = re.compile(r"[^\W\d_]{3,}")
# Below this many sentences, which words a story uses everywhere cannot be told yet: the weights
# are computed as if there were this many (two one-sentence articles still share their rare words).
MIN_SENTENCES = 20

Words = Callable[[str], list[str]]


def word_vectors(articles: tuple[Article, ...], words: Words) -> list[sparse.csr_matrix]:
    """Each sentence as unit-length TF-IDF weights of `words(text)`, one sparse matrix per article
    (a story has thousands of words, a sentence a few dozen). A word's weight is
    ln((1 + n) / (1 + df)) over the n article sentences (page furniture left out) of all the
    compared articles, df of which hold it: a word in every sentence weighs nothing (n is at
    least MIN_SENTENCES)."""
    found = [[sorted(set(words(s.text))) for s in a.sentences] for a in articles]
    vocabulary = {w: k for k, w in enumerate(sorted({w for a in found for s in a for w in s}))}
    columns = [[vocabulary[w] for w in held] for a in found for held in a]
    rows = np.repeat(np.arange(len(columns)), [len(c) for c in columns])
    held = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, [c for cs in columns for c in cs])),
                             shape=(len(columns), max(len(vocabulary), 1)))
    body = np.array([not s.boilerplate for a in articles for s in a.sentences], dtype=bool)
    df = np.asarray(held[body].sum(axis=0)).ravel()
    weights = np.log((1 + max(int(body.sum()), MIN_SENTENCES)) / (1 + df)).astype(np.float32)
    weighted = held @ sparse.diags(weights)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    unit = sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-9).astype(np.float32)) @ weighted)
    bounds = np.cumsum([0] + [len(a.sentences) for a in articles])
    return [unit[bounds[k] : bounds[k + 1]] for k in range(len(articles))]


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
