"""sentence-transformers on torch: the encoder of last resort, and the exporter of ONNX graphs.

This is the only module that imports torch or sentence-transformers, and only from inside its
functions: diffnews imports it when a model has no usable ONNX graph yet, never on a warm run.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from align.model import DiffnewsError
from align.onnx_model import in_batches

# sentence-transformers modules an ONNX graph can stand in for: the transformer and its pooling
# (normalising is done after any encoder). Anything else (a Dense layer, ...) stays on torch.
_EXPORTABLE_MODULES = ("Transformer", "Pooling", "Normalize")
_EXPORTABLE_POOLING = ("mean", "cls")


def load_model(location: str, name: str) -> Any:
    """Load a sentence-transformers model from disk only; nothing is downloaded."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Only errors on stderr: the CLI draws its own progress and keeps stderr clean otherwise.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(location, device="cpu", local_files_only=True)
    except Exception as error:  # the library raises many types for "not found / not a model"
        raise DiffnewsError(
            f"model {name!r} could not be loaded offline ({type(error).__name__}); "
            "give a local model folder or a model already in the Hugging Face cache"
        ) from None


class TorchEncoder:
    """Unit vectors from a loaded sentence-transformers model."""

    batch = 64

    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str], done: Callable[[int], None] | None = None) -> np.ndarray:
        return in_batches([len(t) for t in texts], self.batch, lambda batch: self._run([texts[i] for i in batch]), done)

    def _run(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=len(texts))
        return np.asarray(vectors, dtype=np.float32)


def why_not_exportable(model: Any) -> str | None:
    """None if the model is a transformer with mean or CLS pooling; otherwise what stands in the way."""
    kinds = [type(module).__name__ for module in model]
    if not kinds or kinds[0] != "Transformer" or any(k not in _EXPORTABLE_MODULES for k in kinds):
        return f"its modules ({', '.join(kinds)}) are not a transformer with pooling"
    mode = _pooling(model)
    if mode not in _EXPORTABLE_POOLING:
        return f"its pooling ({mode}) is not mean or CLS"
    return None


def export_onnx(model: Any, folder: Path) -> list[str]:
    """Write `model.onnx` (transformer and pooling: token ids in, pooled vectors out) and
    `tokenizer.json` (truncation and padding as sentence-transformers applies them) into `folder`.
    Returns the graph's inputs, in order."""
    import torch

    transformer = model[0]
    pooling = _pooling(model)
    inputs = [n for n in transformer.tokenizer.model_input_names if n in ("input_ids", "attention_mask", "token_type_ids")]

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer.auto_model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            named = dict(zip(inputs, tensors))
            hidden: torch.Tensor = self.transformer(**named).last_hidden_state
            if pooling == "cls":
                return hidden[:, 0]
            mask = named["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled: torch.Tensor = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return pooled

    # Traced on a padded batch, so that nothing about padding is frozen into the graph.
    example = transformer.tokenizer(["A short one.", "A longer sentence, so that the first is padded."],
                                    padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in inputs}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on constants are about shapes, checked below
        torch.onnx.export(Pooled().eval(), tuple(example[n] for n in inputs), str(folder / "model.onnx"),
                          input_names=inputs, output_names=["vector"], dynamic_axes=axes | {"vector": {0: "batch"}},
                          opset_version=17, dynamo=False)
    tokenizer = transformer.tokenizer.backend_tokenizer
    tokenizer.enable_truncation(model.max_seq_length)
    tokenizer.enable_padding(pad_id=transformer.tokenizer.pad_token_id, pad_token=transformer.tokenizer.pad_token)
    tokenizer.save(str(folder / "tokenizer.json"))  # lower-casing, where the model asks for it, is in there too
    return inputs


def _pooling(model: Any) -> str:
    found = [m for m in model if type(m).__name__ == "Pooling"]
    return str(found[0].pooling_mode) if found else "none"
