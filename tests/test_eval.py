"""`diffnews eval`: exact figures on a tiny gold, line-numbered errors, and the seeds gold floor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD, pair_model
from tests.conftest import ROOT

TINY = {
    "id": "tiny",
    "articles": [
        ["Putin and Biden spoke by phone for 50 minutes on Thursday.",
         "The Kremlin said the talks were useful.",
         "Geneva will host new talks in January."],
        ["New talks will be held in Geneva in January.",
         "Biden and Putin talked on the phone for 50 minutes on Thursday.",
         "The weather in Moscow was cold and snowy."],
    ],
    # the third link (useful talks ~ cold weather) is one the aligner misses at the default threshold
    "links": [[0, 0, 1, 1], [1, 0, 0, 2], [0, 1, 1, 2]],
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", "eval", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_tiny_gold_has_the_known_score(tmp_path: Path) -> None:
    gold = tmp_path / "tiny.jsonl"
    gold.write_text(json.dumps(TINY) + "\n", encoding="utf-8")
    result = run(str(gold), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "cases": 1, "gold_links": 3, "predicted_links": 2, "precision": 1.0, "recall": 0.6667,
        "f1": 0.8, "threshold": DEFAULT_THRESHOLD, "floor": pair_model.shipped().floor,
    }


def test_errors_name_the_missed_link_and_its_sentences(tmp_path: Path) -> None:
    gold = tmp_path / "tiny.jsonl"
    gold.write_text(json.dumps(TINY) + "\n", encoding="utf-8")
    result = run(str(gold), "--json", "--errors")
    assert result.returncode == 0, result.stderr
    errors = json.loads(result.stdout)["errors"]
    assert [(e["kind"], e["link"]) for e in errors] == [("missed", [0, 1, 1, 2])]
    assert errors[0]["score"] < DEFAULT_THRESHOLD
    printed = run(str(gold), "--errors").stdout
    assert "- tiny" in printed and "The Kremlin said the talks were useful." in printed
    assert "The weather in Moscow was cold and snowy." in printed
    found = dict(TINY, links=TINY["links"][:2])
    gold.write_text(json.dumps(found) + "\n", encoding="utf-8")
    assert f"no errors at threshold {DEFAULT_THRESHOLD:.2f}" in run(str(gold), "--errors").stdout


def test_sweep_prints_the_curve_and_the_best(tmp_path: Path) -> None:
    gold = tmp_path / "tiny.jsonl"
    gold.write_text(json.dumps(TINY) + "\n", encoding="utf-8")
    result = run(str(gold), "--sweep")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.strip().startswith("0.")]
    assert len(rows) == 36 and sum("<- best" in row for row in rows) == 1
    curve = json.loads(run(str(gold), "--sweep", "--json").stdout)["sweep"]
    assert [point["threshold"] for point in curve] == [round(0.10 + 0.02 * k, 2) for k in range(36)]
    best_printed = max(float(row.split()[3]) for row in rows)
    assert abs(max(point["f1"] for point in curve) - best_printed) < 0.0006


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('{"id": "x", "articles": [["One."]], "links": []}', "line 2: 'articles' must be two or more"),
        ('{"id": "x", "articles": [["One."], ["Two."]], "links": [[0, 0, 1, 5]]}', "line 2: link [0, 0, 1, 5]"),
        ('{"id": "x", "links": []}', "line 2: a case needs"),
    ],
)
def test_bad_gold_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    gold = tmp_path / "bad.jsonl"
    gold.write_text(json.dumps(TINY) + "\n" + line + "\n", encoding="utf-8")
    result = run(str(gold))
    assert result.returncode == 1
    (only,) = result.stderr.strip().splitlines()
    assert only.startswith("diffnews: error: ") and message in only


def test_seeds_gold_stays_above_its_floor() -> None:
    """The measured F1 on the seeds gold is 0.41 with the pair model (0.45 with the hand-set score
    it replaced: README); a regression below 0.39 fails."""
    result = run(str(ROOT / "tests" / "gold" / "seeds.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["cases"] == 10 and scores["gold_links"] == 160
    assert scores["f1"] >= 0.39 and scores["precision"] >= 0.36


def test_tiny_divergence_gold_has_the_known_score(tmp_path: Path) -> None:
    case = {"id": "call", "a": "Ushakov said the call on Thursday lasted 50 minutes.",
            "b": "Oshakov said the call on Saturday lasted 50 minutes, with 100 aides.",
            # flagged by hand: the weekday, the spelling, and a headcount diffnews cannot know is wrong
            "divergences": [{"kind": "weekday", "type": "conflict", "a": "Thursday", "b": "Saturday"},
                            {"kind": "name", "type": "variant", "a": "Ushakov", "b": "Oshakov"},
                            {"kind": "duration", "type": "conflict", "a": "50 minutes", "b": "an hour"}]}
    gold = tmp_path / "divergences.jsonl"
    gold.write_text(json.dumps(case) + "\n", encoding="utf-8")
    result = run(str(gold), "--json")
    assert result.returncode == 0, result.stderr
    # diffnews flags the weekday, the name and "100" (missing in a): 2 of its 3 flags are right
    assert json.loads(result.stdout) == {
        "cases": 1, "divergence_cases": 1, "gold_divergences": 3, "predicted_divergences": 3,
        "divergence_precision": 0.6667, "divergence_recall": 0.6667,
    }
    listed = run(str(gold), "--errors")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-2:] == [
        "+ call number missing: (not stated)  ||  100",
        "- call duration conflict: 50 minutes  ||  an hour",
    ]


def test_a_divergence_case_reads_its_sentence_after_its_paragraph(tmp_path: Path) -> None:
    case = {"id": "mid-quote", "a": "We will respond decisively.", "b": "The US will respond decisively, he said.",
            "divergences": [{"kind": "quote", "type": "missing", "a": "We will respond decisively.", "b": None}]}
    gold = tmp_path / "divergences.jsonl"
    gold.write_text(json.dumps(case) + "\n", encoding="utf-8")
    alone = json.loads(run(str(gold), "--json").stdout)
    assert (alone["predicted_divergences"], alone["divergence_recall"]) == (0, 0.0)
    case["a_before"] = ["“Russia must not invade Ukraine.", "If it does, we will act."]
    gold.write_text(json.dumps(case) + "\n", encoding="utf-8")
    quoted = json.loads(run(str(gold), "--json").stdout)
    assert (quoted["predicted_divergences"], quoted["divergence_recall"]) == (1, 1.0)
    case["a_before"] = "not a list"
    gold.write_text(json.dumps(case) + "\n", encoding="utf-8")
    assert "'a_before' and 'b_before' must be lists" in run(str(gold)).stderr


def test_seeds_divergence_gold_meets_its_targets() -> None:
    result = run(str(ROOT / "tests" / "gold" / "divergences.jsonl"), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["divergence_cases"] >= 20
    assert scores["divergence_precision"] >= 0.9 and scores["divergence_recall"] >= 0.8
