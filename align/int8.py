"""An int8 copy of an exported model whose vectors do not depend on the batch.

ONNX Runtime's own dynamic quantisation (`quantize_dynamic`) scales each MatMul's input by its
largest value over the whole batch, so a sentence's vector changes with the sentences encoded
beside it, and a run is not repeatable. Here every MatMul with constant weights is rewritten to
quantise its input token by token instead: each row of the input gets its own scale (its largest
absolute value / 127), weights are int8 per output column, and `MatMulIntegerToFloat` (an ONNX
Runtime operator) multiplies them. Measured on the shared clusters' 1,680 texts, 2 cores: 1.9 s
against 4.2 s in float, mean cosine 0.9967 to the float vectors, and a text's vector the same
(within 1e-7) whatever it is batched with.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

_QMAX = 127.0
_ZERO_POINT = 128  # activations as uint8 around 128: the fast uint8 x int8 kernels


def quantise(source: Path, target: Path) -> None:
    """Write the per-token int8 copy of the ONNX model `source` to `target`."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    added: list[onnx.TensorProto] = []

    def constant(name: str, value: np.ndarray) -> str:
        added.append(numpy_helper.from_array(value, name))
        return name

    qmax = constant("int8_qmax", np.array(_QMAX, dtype=np.float32))
    tiny = constant("int8_tiny", np.array(1e-8, dtype=np.float32))
    zero = constant("int8_zero", np.array(0.0, dtype=np.float32))
    shift = constant("int8_shift", np.array(float(_ZERO_POINT), dtype=np.float32))
    zero_point = constant("int8_zero_point", np.array(_ZERO_POINT, dtype=np.uint8))
    one = constant("int8_one", np.array(1.0, dtype=np.float32))
    last = constant("int8_last", np.array([-1], dtype=np.int64))
    first = constant("int8_first", np.array([0], dtype=np.int64))

    nodes, count = [], 0
    for node in graph.node:
        matrix = numpy_helper.to_array(weights[node.input[1]]) if (
            node.op_type == "MatMul" and node.input[1] in weights) else None
        if matrix is None or matrix.ndim != 2:
            nodes.append(node)
            continue
        k, count = f"int8_{count}", count + 1
        rows, columns = matrix.shape
        scale = np.maximum(np.abs(matrix).max(axis=0), 1e-8).astype(np.float32) / np.float32(_QMAX)
        quantised = np.clip(np.round(matrix / scale), -_QMAX, _QMAX).astype(np.int8)
        x = node.input[0]
        nodes += [
            # the input as one row per token, and each row's scale
            helper.make_node("Reshape", [x, constant(k + "_rows", np.array([-1, rows], dtype=np.int64))], [k + "_x"]),
            helper.make_node("Abs", [k + "_x"], [k + "_abs"]),
            helper.make_node("ReduceMax", [k + "_abs"], [k + "_max"], axes=[1], keepdims=0),
            helper.make_node("Div", [k + "_max", qmax], [k + "_s0"]),
            helper.make_node("Max", [k + "_s0", tiny], [k + "_s"]),
            # QuantizeLinear per axis wants a zero point per row
            helper.make_node("Mul", [k + "_s", zero], [k + "_z0"]),
            helper.make_node("Add", [k + "_z0", shift], [k + "_z1"]),
            helper.make_node("Cast", [k + "_z1"], [k + "_zp"], to=TensorProto.UINT8),
            helper.make_node("QuantizeLinear", [k + "_x", k + "_s", k + "_zp"], [k + "_xq"], axis=0),
            helper.make_node("MatMulIntegerToFloat",
                             [k + "_xq", constant(k + "_w", quantised), one, constant(k + "_ws", scale), zero_point],
                             [k + "_y0"], domain="com.microsoft"),
            helper.make_node("Unsqueeze", [k + "_s", last], [k + "_sc"]),
            helper.make_node("Mul", [k + "_y0", k + "_sc"], [k + "_y"]),
            # back to the input's leading shape
            helper.make_node("Shape", [x], [k + "_shape"]),
            helper.make_node("Slice", [k + "_shape", first, last], [k + "_lead"]),
            helper.make_node("Concat", [k + "_lead", constant(k + "_n", np.array([columns], dtype=np.int64))],
                             [k + "_out"], axis=0),
            helper.make_node("Reshape", [k + "_y", k + "_out"], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    used = {name for node in graph.node for name in node.input}
    kept = [i for i in [*graph.initializer, *added] if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))
