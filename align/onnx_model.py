"""Sentence vectors through ONNX Runtime and tokenizers, without torch.

A sentence-transformers model is exported once, on first use, into a folder of the user's cache
(`<cache>/models/<key>/`): `model.onnx`, `tokenizer.json` and `manifest.json`. The manifest names
the source it was built from and holds the vector the build gave for a probe sentence. A folder
whose manifest, file size or probe vector does not match is rebuilt, so a partial, damaged or
stale copy is never used. Builds happen under a file lock and are renamed into place whole: two
processes starting at once build once, and a reader never sees half a folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from align.model import DiffnewsError

FORMAT = 1  # raised whenever the export changes, so that older builds are rebuilt
MIN_COSINE = 0.99999  # ONNX against torch, sentence by sentence, for a build to be used
INT8_METHOD = ":int8-smoothed"  # part of an int8 copy's source: a copy quantised another way is rebuilt
PROBE = "diffnews checks its copy of the model with this sentence, 42 times a day."
# Checked against torch at build time: short, long (truncated) and padded in one batch.
_CHECKS = [PROBE, "Yes.", "Putin warned that sanctions would be a big mistake.",
           " ".join(["The summit went on for hours while the two sides argued over every clause."] * 40)]


class Encoder(Protocol):
    def encode(self, texts: list[str], done: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit vectors, one row per text, in order; `done(n)` after each batch, n texts done so far."""
        ...


def in_batches(lengths: list[int], size: int, encode: Callable[[list[int]], np.ndarray],
               done: Callable[[int], None] | None, workers: int = 1) -> np.ndarray:
    """`encode(indices)` over batches of texts of similar length (least time wasted on padding),
    `workers` batches at a time (`encode` must be thread-safe then); the rows come back in input
    order. Batches shrink so that a few texts still keep every worker busy."""
    order = [int(i) for i in np.argsort(lengths, kind="stable")]
    size = max(1, min(size, -(-len(order) // workers)))
    batches = [order[start : start + size] for start in range(0, len(order), size)]
    out = np.zeros((len(lengths), 0), dtype=np.float32)
    pool = ThreadPoolExecutor(workers)
    try:
        finished = 0
        for batch, vectors in zip(batches, pool.map(encode, batches)):
            if not out.shape[1]:
                out = np.zeros((len(lengths), vectors.shape[1]), dtype=np.float32)
            out[batch] = vectors
            finished += len(batch)
            if done:
                done(finished)
    finally:  # on Ctrl-C or an error, the batches not yet started are dropped, not run
        pool.shutdown(cancel_futures=True)
    return out


class OnnxEncoder:
    """An exported model run with onnxruntime: tokens in, pooled vectors out, normalised here."""

    # On 2 cores, batches of 16 sentences sorted by token count encoded the shared clusters
    # fastest (sorted by characters 20% slower, 64 at a time 24%, 256 at a time 2.8 times). One
    # batch per core at a time, each on one thread, is about 10% faster than every core on each
    # batch in turn (the shared clusters' 1,680 texts: 4.2-4.3 s against 4.6-4.9 s), with the same vectors.
    batch = 16

    def __init__(self, folder: Path, manifest: dict[str, Any]) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.pad_id = int((self.tokenizer.padding or {}).get("pad_id", 0))
        self.tokenizer.no_padding()  # padded here, batch by batch
        self.inputs: list[str] = manifest["inputs"]
        options = onnxruntime.SessionOptions()
        self.providers = _providers()
        # On the CPU, one thread per run and as many runs at once as there are threads to use.
        self.workers = _threads() if self.providers[0] == "CPUExecutionProvider" else 1
        options.intra_op_num_threads = 1 if self.workers > 1 else _threads()
        options.log_severity_level = 3  # errors only: stderr belongs to the CLI
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=self.providers)

    def encode(self, texts: list[str], done: Callable[[int], None] | None = None) -> np.ndarray:
        tokens = self.tokenizer.encode_batch(texts)
        return in_batches([len(t.ids) for t in tokens], self.batch, lambda batch: self._run([tokens[i] for i in batch]), done,
                          self.workers)

    def _run(self, tokens: list[Any]) -> np.ndarray:
        width = max(len(t.ids) for t in tokens)
        ids = np.full((len(tokens), width), self.pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, t in enumerate(tokens):
            ids[row, : len(t.ids)], mask[row, : len(t.ids)], types[row, : len(t.ids)] = t.ids, 1, t.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        pooled = self.session.run(None, {name: feeds[name] for name in self.inputs})[0]
        return np.asarray(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12), dtype=np.float32)


def fingerprint(location: Path) -> str:
    """What a build was made from: the source folder's files, sizes and times (a changed model is rebuilt)."""
    files = sorted(p for p in location.rglob("*") if p.is_file())
    listing = [f"{p.relative_to(location)}\0{p.stat().st_size}\0{p.stat().st_mtime_ns}" for p in files]
    return hashlib.blake2b("\n".join([str(location.resolve()), *listing]).encode(), digest_size=16).hexdigest()


def open_encoder(root: Path, key: str, location: Path, load_torch: Callable[[], Any],
                 notice: Callable[[bool], None], int8: bool = False, direct: bool = False) -> Encoder:
    """The ONNX encoder for the model at `location`, built under `root` on first use; the torch
    model (`load_torch()`, which should load it once however often it is called) where the model
    cannot be exported. `direct` writes the graph from the weights without torch (see
    align.bert_onnx). `int8` asks for a copy with int8 weights (quantised from the float one).
    `notice(rebuilding)` is called before a build: the first, or one replacing a damaged or
    outdated copy."""
    from align.torch_model import TorchEncoder

    folder = root / hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    source = fingerprint(location)
    int8_folder, int8_source = folder.with_name(folder.name + "-int8"), source + INT8_METHOD
    if int8 and isinstance(ready := _finished(int8_folder, int8_source), OnnxEncoder):
        return ready  # the float copy is needed only to make the int8 one
    found = _open_or_build(folder, source, notice, lambda staging: (
        _write_directly(location, staging) if direct else _export(load_torch(), staging)))
    if found == "torch" and int8:
        reason = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["reason"]
        raise DiffnewsError(f"int8 weights need the model's ONNX copy, and this model has none: {reason}")
    if found == "torch":
        return TorchEncoder(load_torch())
    if not int8:
        return found
    inputs = found.inputs
    quantised = _open_or_build(int8_folder, int8_source, notice, lambda staging: _quantise(folder, staging, inputs))
    assert quantised != "torch"
    return quantised


def _open_or_build(folder: Path, source: str, notice: Callable[[bool], None],
                   make: Callable[[Path], dict[str, Any]]) -> OnnxEncoder | Literal["torch"]:
    """The build in `folder` if it checks out; otherwise `make(staging)` writes a new one into a
    fresh folder beside it, which is checked and renamed into place, under a lock."""
    found = _finished(folder, source)
    if found is not None:
        return found
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        found = _finished(folder, source)  # another process may have built it while this one waited
        if found is not None:
            return found
        notice((folder / "manifest.json").exists())
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        try:
            manifest = {"format": FORMAT, "source": source, **make(staging)}
            built = None
            if manifest["onnx"]:
                manifest["size"] = (staging / "model.onnx").stat().st_size
                built = OnnxEncoder(staging, manifest)  # reads the files whole: still valid once renamed
                manifest["probe"] = [float(x) for x in built.encode([PROBE])[0]]
            (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(staging, folder)
            return built or "torch"
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _finished(folder: Path, source: str) -> OnnxEncoder | Literal["torch"] | None:
    """The encoder a finished build offers; "torch" where the build found the model not
    exportable (not tried again); None where there is no build or it does not check out."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("source") != source:
            return None
        if not manifest["onnx"]:
            return "torch"
        if (folder / "model.onnx").stat().st_size != manifest["size"]:
            return None
        encoder = OnnxEncoder(folder, manifest)
        if float(encoder.encode([PROBE])[0] @ np.asarray(manifest["probe"], dtype=np.float32)) < MIN_COSINE:
            return None
        return encoder
    except Exception:  # noqa: BLE001 - a damaged file makes onnxruntime and tokenizers raise what they like
        return None


def _export(model: Any, staging: Path) -> dict[str, Any]:
    """Export the torch model into `staging` and check it gives torch's vectors."""
    from align.torch_model import TorchEncoder, export_onnx, why_not_exportable

    reason = why_not_exportable(model)
    if reason is not None:
        return {"onnx": False, "reason": reason}
    inputs = export_onnx(model, staging)
    got = OnnxEncoder(staging, {"inputs": inputs}).encode(_CHECKS)
    if float(np.min(np.sum(TorchEncoder(model).encode(_CHECKS) * got, axis=1))) < MIN_COSINE:
        for name in ("model.onnx", "tokenizer.json"):
            (staging / name).unlink()
        return {"onnx": False, "reason": "its ONNX export does not give torch's vectors"}
    return {"onnx": True, "inputs": inputs, "made_by": "torch.onnx.export"}


def copy_for_this_run(location: Path, int8: bool) -> OnnxEncoder:
    """The default model's graph (its int8 copy if `int8`) written into a temporary folder and
    opened (the session and the tokenizer read their files whole), for a cache folder that
    cannot hold it."""
    with tempfile.TemporaryDirectory(prefix="diffnews-model.") as staging:
        float_folder, int8_folder = Path(staging) / "float", Path(staging) / "int8"
        float_folder.mkdir()
        manifest = _write_directly(location, float_folder)
        if not int8:
            return OnnxEncoder(float_folder, manifest)
        int8_folder.mkdir()
        return OnnxEncoder(int8_folder, _quantise(float_folder, int8_folder, manifest["inputs"]))


def _write_directly(location: Path, staging: Path) -> dict[str, Any]:
    """The graph written from the weights (align.bert_onnx), for a model whose vectors a test checks."""
    from align.bert_onnx import build

    return {"onnx": True, "inputs": build(location, staging), "made_by": "align.bert_onnx"}


def _quantise(float_folder: Path, staging: Path, inputs: list[str]) -> dict[str, Any]:
    """int8 weights, each MatMul's input smoothed and quantised token by token (see align.int8);
    `inputs` are the float graph's, which the int8 one keeps."""
    from align.int8 import quantise

    quantise(float_folder / "model.onnx", staging / "model.onnx", float_folder / "tokenizer.json")
    shutil.copy(float_folder / "tokenizer.json", staging / "tokenizer.json")
    return {"onnx": True, "inputs": inputs, "made_by": "align.int8"}


def _providers() -> list[str]:
    """The CPU, after CUDA where onnxruntime-gpu offers it (a corpus worker on a GPU node) and
    `$DIFFNEWS_DEVICE` is not "cpu"."""
    import onnxruntime

    gpu = "CUDAExecutionProvider" in onnxruntime.get_available_providers()
    return (["CUDAExecutionProvider"] if gpu and os.environ.get("DIFFNEWS_DEVICE") != "cpu" else []) + [
        "CPUExecutionProvider"]


def _threads() -> int:
    """The threads to encode with: `$DIFFNEWS_THREADS` (a corpus worker's share), else every core."""
    if os.environ.get("DIFFNEWS_THREADS", "").isdigit():
        return max(1, int(os.environ["DIFFNEWS_THREADS"]))
    return cores()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
