"""The ONNX graph of a BERT sentence encoder, written from its safetensors weights without torch.

Exporting through torch means importing torch, transformers and sentence-transformers (about 8 s
of a first run on 2 cores) to trace a graph whose every operation is known in advance: token,
position and type embeddings, then per layer self-attention and a GELU feed-forward, each
followed by a residual LayerNorm, then mean pooling. Here that graph is written directly
with the `onnx` helpers and the weights read with `safetensors`' numpy loader. It is used for
the default model only, whose vectors a test compares with sentence-transformers' (within a
cosine of 0.99999, as for the torch export); every other model is exported through torch and
checked against it at build time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"]
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def why_not_buildable(location: Path) -> str | None:
    """None if the model folder holds a BERT encoder with mean pooling that `build` writes exactly
    as its torch model computes it; otherwise what stands in the way."""
    try:
        modules = [m["type"] for m in json.loads((location / "modules.json").read_text(encoding="utf-8"))]
        config = json.loads((location / "config.json").read_text(encoding="utf-8"))
        settings = json.loads((location / "sentence_bert_config.json").read_text(encoding="utf-8"))
        pooling = _pooling(location)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"its folder does not read as a sentence-transformers model ({type(error).__name__})"
    if modules not in (_MODULES, _MODULES[:2]):
        return f"its modules ({', '.join(modules)}) are not a transformer, pooling and normalising"
    if (config.get("model_type"), config.get("hidden_act"), config.get("position_embedding_type", "absolute")) != (
            "bert", "gelu", "absolute"):
        return "it is not a BERT encoder with GELU and absolute positions"
    if settings.get("do_lower_case") or pooling != "mean_tokens":
        return "its text handling or pooling is not the plain kind"
    if not (location / "model.safetensors").is_file() or not (location / "tokenizer.json").is_file():
        return "it has no model.safetensors or tokenizer.json"
    return None


def build(location: Path, folder: Path) -> list[str]:
    """Write `model.onnx` (token ids in, pooled vectors out) and `tokenizer.json` (truncation as
    sentence-transformers applies it) into `folder`. Returns the graph's inputs, in order."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    config = json.loads((location / "config.json").read_text(encoding="utf-8"))
    settings = json.loads((location / "sentence_bert_config.json").read_text(encoding="utf-8"))
    weights = load_file(str(location / "model.safetensors"))
    heads, hidden = int(config["num_attention_heads"]), int(config["hidden_size"])
    eps = float(config.get("layer_norm_eps", 1e-12))
    nodes: list[Any] = []
    constants: list[Any] = []

    def constant(name: str, value: np.ndarray) -> str:
        constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def weight(name: str, transpose: bool = False) -> str:
        value = weights[name].astype(np.float32)
        return constant(name, value.T if transpose else value)

    def node(op: str, inputs: list[str], name: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [name], **attributes))
        return name

    def linear(x: str, layer: str) -> str:
        product = node("MatMul", [x, weight(layer + ".weight", transpose=True)], layer + ".matmul")
        return node("Add", [product, weight(layer + ".bias")], layer + ".out")

    def layer_norm(x: str, layer: str) -> str:
        return node("LayerNormalization", [x, weight(layer + ".weight"), weight(layer + ".bias")], layer + ".out",
                    axis=-1, epsilon=eps)

    # embeddings: word + position + token type, normalised
    one_each = node("Add", [node("Mul", ["input_ids", constant("zero_id", np.array(0, dtype=np.int64))], "zero_ids"),
                            constant("one_id", np.array(1, dtype=np.int64))], "one_each")
    positions = node("Sub", [node("CumSum", [one_each, constant("axis_1", np.array(1, dtype=np.int64))], "counted"),
                             "one_id"], "positions")  # 0, 1, 2, ... in every row
    x = node("Add", [node("Add", [
        node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], "words"),
        node("Gather", [weight("embeddings.position_embeddings.weight"), positions], "places")], "words_places"),
        node("Gather", [weight("embeddings.token_type_embeddings.weight"), "token_type_ids"], "types")], "embedded")
    x = layer_norm(x, "embeddings.LayerNorm")

    # padding keys get the lowest float added to their attention scores
    mask = node("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)
    blocked = node("Mul", [node("Sub", [constant("one", np.array(1.0, dtype=np.float32)), mask], "unmasked"),
                           constant("lowest", np.array(np.finfo(np.float32).min, dtype=np.float32))], "blocked")
    bias = node("Unsqueeze", [blocked, constant("axes_1_2", np.array([1, 2], dtype=np.int64))], "attention_bias")
    split = constant("split_heads", np.array([0, 0, heads, hidden // heads], dtype=np.int64))
    merge = constant("merge_heads", np.array([0, 0, hidden], dtype=np.int64))
    scale = constant("scale", np.array(1.0 / np.sqrt(hidden // heads), dtype=np.float32))
    half, root2 = constant("half", np.array(0.5, dtype=np.float32)), constant("root2", np.array(np.sqrt(2.0), dtype=np.float32))

    for n in range(int(config["num_hidden_layers"])):
        at = f"encoder.layer.{n}."

        def heads_of(kind: str, perm: list[int]) -> str:
            projected = node("Reshape", [linear(x, at + "attention.self." + kind), split], at + kind + ".heads")
            return node("Transpose", [projected], at + kind + ".t", perm=perm)

        query, key, value = heads_of("query", [0, 2, 1, 3]), heads_of("key", [0, 2, 3, 1]), heads_of("value", [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [query, key], at + "qk"), scale], at + "scaled"), bias], at + "scores")
        context = node("MatMul", [node("Softmax", [scores], at + "weights", axis=-1), value], at + "context")
        context = node("Reshape", [node("Transpose", [context], at + "context.t", perm=[0, 2, 1, 3]), merge], at + "merged")
        x = layer_norm(node("Add", [linear(context, at + "attention.output.dense"), x], at + "attention.sum"),
                       at + "attention.output.LayerNorm")
        inner = linear(x, at + "intermediate.dense")
        erf = node("Erf", [node("Div", [inner, root2], at + "inner_scaled")], at + "erf")
        gelu = node("Mul", [node("Mul", [inner, node("Add", [erf, "one"], at + "erf_1")], at + "gelu_2"), half], at + "gelu")
        x = layer_norm(node("Add", [linear(gelu, at + "output.dense"), x], at + "output.sum"), at + "output.LayerNorm")

    # the mean over the tokens that are not padding
    tokens_axis = constant("tokens_axis", np.array([1], dtype=np.int64))
    token_weights = node("Unsqueeze", [mask, constant("last_axis", np.array([-1], dtype=np.int64))], "token_weights")
    total = node("ReduceSum", [node("Mul", [x, token_weights], "weighted"), tokens_axis], "total", keepdims=0)
    count = node("Max", [node("ReduceSum", [token_weights, tokens_axis], "count_0", keepdims=0),
                         constant("tiny", np.array(1e-9, dtype=np.float32))], "count")
    pooled = node("Div", [total, count], "vector")

    dynamic = ["batch", "tokens"]
    graph = helper.make_graph(
        nodes, "sentence_encoder",
        [helper.make_tensor_value_info(name, TensorProto.INT64, dynamic) for name in INPUTS],
        [helper.make_tensor_value_info(pooled, TensorProto.FLOAT, ["batch", hidden])], constants)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(folder / "model.onnx"))

    tokenizer = Tokenizer.from_file(str(location / "tokenizer.json"))
    tokenizer.enable_truncation(int(settings["max_seq_length"]))
    tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
    tokenizer.save(str(folder / "tokenizer.json"))
    return INPUTS


def _pooling(location: Path) -> str:
    """The pooling module's modes ("mean_tokens", "cls_token", ...), joined by "+"."""
    modules = json.loads((location / "modules.json").read_text(encoding="utf-8"))
    folder = next(m["path"] for m in modules if m["type"] == _MODULES[1])
    pooling = json.loads((location / folder / "config.json").read_text(encoding="utf-8"))
    return "+".join(k[len("pooling_mode_"):] for k, on in pooling.items() if k.startswith("pooling_mode_") and on is True)
