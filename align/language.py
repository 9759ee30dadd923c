"""Which articles are not in English: the default model reads English, so links and divergences
found in another language are unreliable, and the reader is told so.

py3langid (a maintained fork of langid.py, numpy only) names the language. Loading its model takes
about 0.7 s, so each article's answer is kept by the hash of its text in the cache folder: an
article already seen costs nothing, and a new one is looked at while its sentences are encoded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from align.model import Article, DiffnewsError
from align.review import digest

SURE = 0.95  # the identifier's probability under which an article is taken as English
SAMPLE = 4000  # characters of an article looked at
NAMES = {
    "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str:
    """The article's language as an ISO 639-1 code; "en" unless the identifier is sure of another."""
    found, probability = _identifier().classify(text[:SAMPLE])
    return str(found) if probability >= SURE else "en"


def not_english(articles: Sequence[Article], cache_file: Path | None) -> tuple[str, ...]:
    """One line for each article that reads as another language than English."""
    known = _read(cache_file)
    found = {}
    for article in articles:
        key = digest(article.text)
        found[key] = known.get(key) or language_of(article.text)
    if cache_file is not None and not found.keys() <= known.keys():
        _write(cache_file, known | found)
    lines = []
    for article in articles:
        code = found[digest(article.text)]
        if code != "en":
            lines.append(f"{article.name} reads as {NAMES.get(code, code)}, not English: the model reads "
                         "English, so its links and divergences there are unreliable")
    return tuple(lines)


def _read(path: Path | None) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write(path: Path, languages: dict[str, str]) -> None:
    """Atomically; a cache folder that cannot be written only costs the next run the look again."""
    from align.export import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(languages))
    except (OSError, DiffnewsError):
        return


class LanguageCheck:
    """`not_english` in a thread, started at once, so that it runs while the sentences are encoded."""

    def __init__(self, articles: Sequence[Article], cache_file: Path | None) -> None:
        self._found: tuple[str, ...] = ()
        self._thread = threading.Thread(target=self._run, args=(articles, cache_file), daemon=True)
        self._thread.start()

    def _run(self, articles: Sequence[Article], cache_file: Path | None) -> None:
        try:
            self._found = not_english(articles, cache_file)
        except OSError as error:  # the identifier unpacks its model to a temporary file first
            self._found = (f"the articles' language was not checked ({error.strerror or error})",)

    def result(self) -> tuple[str, ...]:
        """The lines, once the thread is done."""
        self._thread.join()
        return self._found
