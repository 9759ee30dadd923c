"""The command line: exports, and one clear line for each kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from align import DEFAULT_THRESHOLD
from tests.conftest import ROOT, SEEDS, write


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=ROOT, input=stdin.decode() if stdin else None,
        capture_output=True, text=True, timeout=300,
    )


def test_json_export_follows_the_documented_schema() -> None:
    result = run(*SEEDS, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["schema"] == "diffnews/1" and data["counted_from"] == 0
    assert data["model"] == "all-MiniLM-L6-v2" and data["threshold"] == DEFAULT_THRESHOLD
    assert len(data["articles"]) == 5 and data["groups"]
    for article in data["articles"]:
        for s in article["sentences"]:
            assert article["text"][s["start"] : s["end"]] == s["text"]
    for g in data["groups"]:
        assert {"id", "score", "members", "pairs", "divergences"} <= g.keys()
        for d in g["divergences"]:
            assert d["type"] in ("conflict", "variant", "missing")
            for side in ("a", "b"):
                span = d[f"{side}_span"]
                if span:
                    text = data["articles"][d[side]["article"]]["text"]
                    assert text[span["start"] : span["end"]] == span["text"]
    grouped = {(m["article"], m["sentence"]) for g in data["groups"] for m in g["members"]}
    assert all((m["article"], m["sentence"]) not in grouped for m in data["unaligned"])


def test_csv_has_one_row_per_aligned_pair(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    assert run(*SEEDS[:3], "-f", "csv", "-o", str(out)).returncode == 0
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    data = json.loads(run(*SEEDS[:3], "-f", "json").stdout)
    assert len(rows) == sum(len(g["pairs"]) for g in data["groups"])
    assert {"group", "score", "text_a", "text_b", "divergences"} <= rows[0].keys()


def test_a_csv_row_carries_only_the_divergences_of_its_two_sentences(tmp_path: Path) -> None:
    import csv

    first = write(tmp_path, "m1.txt", "The governor said on Tuesday that 12 people were hurt. "
                                      "Officials said 15 people were hurt on Wednesday.\n")
    second = write(tmp_path, "m2.txt", "The governor said on Tuesday that 14 people were hurt. "
                                       "Officials said 15 people were hurt on Wednesday.\n")
    result = run(first, second, "-f", "csv", "--no-review")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows
    for row in rows:
        has = {row["text_a"], row["text_b"]}
        if "12 ≠ 14" in row["divergences"]:
            assert any("12" in t for t in has) and any("14" in t for t in has)
    assert any("12 ≠ 14" in row["divergences"] for row in rows)
    pairs = [(row["group"], row["sentence_a"], row["sentence_b"]) for row in rows]
    assert len(set(p[1:] for p in pairs)) == len(pairs)  # no pair of sentences in two groups, one inside the other


def test_markdown_has_a_table_per_group_counted_from_one() -> None:
    result = run(*SEEDS[:2], "-f", "md")
    assert result.returncode == 0
    assert "## Group 1 (" in result.stdout and "## Group 0" not in result.stdout and "- **1**: " in result.stdout
    assert "| article | sentence |" in result.stdout


def test_one_group_is_counted_in_the_singular(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "Putin warned Biden that new sanctions would be a big mistake.\nThe weather was cold.\n")
    b = write(tmp_path, "b.txt", "Putin told Biden new sanctions would be a colossal mistake.\nTourists saw a museum.\n")
    result = run(a, b, "--format", "md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# diffnews: 2 articles, 1 aligned group\n")


def test_stdin_is_read_for_dash() -> None:
    text = Path(SEEDS[2]).read_bytes()
    result = run("-", SEEDS[3], "-f", "json", stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"][0]["source"] == "-"


def bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"\xef\xbb\xbfCaf\xe9 au lait, d\xe9j\xe0 vu.")  # a UTF-8 BOM, then Latin-1
    empty = write(tmp_path, "empty.txt", "  \n\n ")
    furniture = write(tmp_path, "furniture.txt", "Read more\nLeave a Reply\n")
    seed = SEEDS[0]
    return {
        "missing file": ([str(tmp_path / "absent.txt"), seed], "absent.txt: no such file"),
        "directory": ([str(tmp_path), seed], "is a directory"),
        "unreadable": (["/proc/self/mem", seed], "cannot read"),
        "binary": ([str(binary), seed], "binary file"),
        "undecodable": ([str(latin), seed], "broken UTF-8"),
        "empty article": ([empty, seed], "the article is empty"),
        "only page furniture": ([furniture, seed], "no article text"),
        "one article": ([seed], "at least two articles"),
        "no article": ([], "Missing argument"),
        "unknown format": ([seed, seed, "-f", "xml"], "'xml' is not one of"),
        "unknown flag": ([seed, seed, "--colour"], "No such option: --colour"),
        "threshold out of range": ([seed, seed, "--threshold", "3"], "--threshold"),
        "output folder missing": ([seed, seed, "-f", "json", "-o", str(tmp_path / "no" / "x.json")], "does not exist"),
        "output is a folder": ([seed, seed, "-f", "json", "-o", str(tmp_path)], "is a directory"),
        "output under a file": ([seed, seed, "-f", "json", "-o", seed + "/x.json"], "does not exist"),
        "output suffix unknown": ([seed, seed, "-o", str(tmp_path / "out.xyz")], "cannot tell the format"),
    }


CASES = [
    "missing file", "directory", "unreadable", "binary", "undecodable", "empty article",
    "only page furniture", "one article", "no article", "unknown format", "unknown flag",
    "threshold out of range", "output folder missing", "output is a folder", "output under a file",
    "output suffix unknown",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_one_line_and_non_zero_exit(case: str, tmp_path: Path) -> None:
    args, message = bad_inputs(tmp_path)[case]
    before = set(os.listdir(tmp_path))
    result = run(*args)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("diffnews: error: ") and message in lines[0]
    assert "Traceback" not in result.stderr
    assert set(os.listdir(tmp_path)) == before  # no partial or temporary file left


def test_failed_export_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old")
    result = run(str(tmp_path / "absent.txt"), SEEDS[0], "-f", "json", "-o", str(out))
    assert result.returncode == 1 and out.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.json"]


_TORCH_PROBE = (
    "import sys\nfrom tui.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
    "print('torch' in sys.modules, 'sentence_transformers' in sys.modules, code, file=sys.stderr)\n"
)


def test_warm_run_does_not_import_torch() -> None:
    args = [sys.executable, "-c", _TORCH_PROBE, *SEEDS, "-f", "json"]
    subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)  # fills the cache
    warm = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert warm.stderr.split() == ["False", "False", "0"]
    json.loads(warm.stdout)


def test_new_articles_are_encoded_without_torch(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "tui", *SEEDS[:2], "-f", "json"], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)  # the model's ONNX copy exists from here on
    article = write(tmp_path, "new.txt", "A sentence no run of the suite has embedded before, 7 times over.")
    new = subprocess.run([sys.executable, "-c", _TORCH_PROBE, article, SEEDS[0], "-f", "json", "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert new.stderr.split() == ["False", "False", "0"]
    assert len(json.loads(new.stdout)["articles"]) == 2


def test_the_first_run_builds_the_default_models_copy_without_torch(tmp_path: Path) -> None:
    env = dict(os.environ, DIFFNEWS_CACHE_DIR=str(tmp_path / "empty"))
    first = subprocess.run([sys.executable, "-c", _TORCH_PROBE, *SEEDS[:2], "-f", "json"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.stderr.split()[-3:] == ["False", "False", "0"]
    made = [json.loads(m.read_text())["made_by"] for m in (tmp_path / "empty" / "models").glob("*/manifest.json")]
    assert sorted(made) == ["align.bert_onnx", "align.int8"]  # the float copy, and the int8 one made from it
    assert json.loads(first.stdout)["groups"]


def test_no_cache_writes_no_sentence_vectors(tmp_path: Path) -> None:
    env = dict(os.environ, DIFFNEWS_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-m", "tui", *SEEDS[:2], "-f", "json", "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0 and not (tmp_path / "cache" / "embeddings.sqlite3").exists()


def test_help_explains_the_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for flag in ("--format", "--output", "--threshold", "--model", "--no-cache"):
        assert flag in result.stdout
    for command in ("diffnews batch", "diffnews eval", "diffnews train", "diffnews gold"):
        assert command in result.stdout


GERMAN = ("Eine junge republikanische Kongressmitarbeiterin ist am Montag zurückgetreten, nachdem ihr "
          "Facebook-Beitrag über die Töchter von Präsident Obama eine Sensation im Internet geworden war.\n\n"
          "Am Mittwoch hatte sie geschrieben, die beiden Mädchen sollten ein wenig Klasse zeigen. Sie "
          "entschuldigte sich später und sagte, sie habe vorschnell geurteilt.\n")


def test_an_article_not_in_english_is_named_on_stderr(tmp_path: Path) -> None:
    german = write(tmp_path, "bericht.txt", GERMAN)
    result = run(german, SEEDS[0], "-f", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["groups"] is not None
    assert result.stderr.splitlines() == ["diffnews: warning: bericht reads as German, not English: the model "
                                          "reads English, so its links and divergences there are unreliable"]
    assert run(*SEEDS[:2], "-f", "json").stderr == ""


def test_a_review_file_not_yet_made_exports_the_matchers_groups(tmp_path: Path) -> None:
    review = tmp_path / "new.json"
    result = run(*SEEDS[:2], "--review", str(review), "-f", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["groups"]
    assert "no such review file yet" in result.stderr and not review.exists()


def test_articles_of_one_name_in_two_folders_are_told_apart(tmp_path: Path) -> None:
    for folder in ("nyt", "fox"):
        (tmp_path / folder).mkdir()
    first = write(tmp_path / "nyt", "a.txt", Path(SEEDS[0]).read_text(encoding="utf-8"))
    second = write(tmp_path / "fox", "a.txt", Path(SEEDS[1]).read_text(encoding="utf-8"))
    names = [a["name"] for a in json.loads(run(first, second, "-f", "json").stdout)["articles"]]
    assert names == ["nyt/a", "fox/a"]


def test_keep_boilerplate_aligns_page_furniture_too() -> None:
    kept = json.loads(run(*SEEDS[:2], "-f", "json", "--keep-boilerplate").stdout)
    assert not any(s["boilerplate"] for a in kept["articles"] for s in a["sentences"])
    default = json.loads(run(*SEEDS[:2], "-f", "json").stdout)
    assert any(s["boilerplate"] for a in default["articles"] for s in a["sentences"])
