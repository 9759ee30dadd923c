"""`diffnews train` and `diffnews eval --loco`: the shipped pair model is reproducible from the
shared gold, and its held-out figures stay above their lower bounds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from align import pair_model
from tests.conftest import ROOT, SEEDS, write

SHARED_GOLD = ROOT.parent / "shared" / "eval" / "gold" / "clusters.jsonl"
SECOND_GOLD = SHARED_GOLD.with_name("clusters_2.jsonl")  # the shipped model is trained on both
needs_shared = pytest.mark.skipif(not SHARED_GOLD.exists(), reason="../shared/eval/gold is not beside the checkout")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


@needs_shared
def test_training_on_the_shared_gold_gives_the_shipped_model(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = run("train", str(SHARED_GOLD), str(SECOND_GOLD), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "chosen leave-one-case-out" in result.stdout
    trained, shipped = pair_model.load(out), pair_model.shipped()
    assert trained.features == shipped.features and (trained.threshold, trained.floor) == (shipped.threshold, shipped.floor)
    assert trained.weights == pytest.approx(shipped.weights, abs=1e-3)
    assert trained.mean == pytest.approx(shipped.mean, abs=1e-4)
    assert trained.trained_on == shipped.trained_on and trained.loco == pytest.approx(shipped.loco, abs=2e-3)


@needs_shared
def test_held_out_clusters_score_above_their_lower_bounds() -> None:
    # measured: P 0.651, R 0.485, F1 0.556, each cluster by a model trained on the nine others
    result = run("eval", str(SHARED_GOLD), "--loco", "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["gold_links"] == 423 and isinstance(scores["threshold"], list) and isinstance(scores["floor"], list)
    assert scores["f1"] >= 0.52 and scores["precision"] >= 0.60


@needs_shared
def test_eval_says_when_the_pair_model_was_trained_on_the_gold() -> None:
    result = run("eval", str(SHARED_GOLD))
    assert result.returncode == 0, result.stderr
    assert "the pair model was trained on this gold file" in result.stdout


def test_a_pair_model_that_is_not_one_is_a_one_line_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", '{"format": 1, "features": ["cosine"]}')
    for args in ([*SEEDS[:2], "--pair-model", bad, "-f", "json"], ["eval", str(ROOT / "tests/gold/seeds.jsonl"),
                                                                    "--pair-model", bad]):
        result = run(*args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.strip().startswith("diffnews: error:") and len(result.stderr.strip().splitlines()) == 1


def test_a_pair_model_without_a_floor_groups_at_the_threshold_and_a_floor_is_a_share(tmp_path: Path) -> None:
    from align.model import DiffnewsError

    shipped = json.loads(pair_model.SHIPPED.read_text(encoding="utf-8"))
    older = {k: v for k, v in shipped.items() if k != "floor"}
    assert pair_model.load(Path(write(tmp_path, "older.json", json.dumps(older)))).floor == 1.0
    for floor in (0, 1.5):
        with pytest.raises(DiffnewsError, match="floor is a share of its threshold"):
            pair_model.load(Path(write(tmp_path, "bad.json", json.dumps({**shipped, "floor": floor}))))


def test_training_needs_three_cases_and_loco_needs_the_learned_method(tmp_path: Path) -> None:
    gold = tmp_path / "two.jsonl"
    lines = (ROOT / "tests" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("train", str(gold), "-o", str(tmp_path / "m.json"))
    assert result.returncode == 1 and "at least three cases" in result.stderr
    assert not (tmp_path / "m.json").exists()
    result = run("eval", str(gold), "--loco", "--method", "combined")
    assert result.returncode == 1 and "--loco" in result.stderr


def test_a_trained_model_is_used_by_the_viewer_command(tmp_path: Path) -> None:
    # a model that links nothing: its threshold is out of reach
    shipped = json.loads(pair_model.SHIPPED.read_text(encoding="utf-8"))
    strict = write(tmp_path, "strict.json", json.dumps({**shipped, "bias": -50.0}))
    result = run(*SEEDS[:2], "--pair-model", strict, "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["groups"] == []
    assert json.loads(run(*SEEDS[:2], "-f", "json").stdout)["groups"]


def test_a_pair_model_of_another_encoder_is_used_with_one_warning(tmp_path: Path) -> None:
    shipped = json.loads(pair_model.SHIPPED.read_text(encoding="utf-8"))
    other = write(tmp_path, "other.json", json.dumps({**shipped, "encoder": "path:/models/another"}))
    result = run(*SEEDS[:2], "--pair-model", other, "-f", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["groups"]
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("diffnews: warning: the pair model was trained on the vectors of path:/models/another")
    same = run(*SEEDS[:2], "--int8", "-f", "json")  # int8 weights: the same encoder, no warning
    assert same.returncode == 0 and "pair model" not in same.stderr


def test_loco_on_int8_vectors_trains_on_the_float_ones_as_the_shipped_model_did() -> None:
    from align import evaluate as ev
    from align import train
    from align.embed import Embedder

    cases = [c for c in ev.read_gold(ROOT / "tests" / "gold" / "seeds.jsonl") if isinstance(c, ev.GoldCase)][:4]
    floats = ev.prepare_cases(cases, Embedder(cache_path=None, int8=False))
    int8 = ev.prepare_cases(cases, Embedder(cache_path=None))  # the default model's default
    as_float = train.loco(cases, floats, "m")
    as_served = train.loco(cases, floats, "m", scored=int8)
    assert [t for _, t in as_served] == [t for _, t in as_float]  # the same models: learned from float vectors
    assert all(p.features is q.features for (p, _), q in zip(as_served, int8))  # ... scoring the int8 ones
    assert any(not (p.pair_scores[0].score == q.pair_scores[0].score).all() for (p, _), (q, _) in zip(as_served, as_float))
