import numpy as np
import pytest

from align.embed import DEFAULT_MODEL, Embedder, model_key
from align.model import DiffnewsError


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
    import subprocess
    import sys

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
