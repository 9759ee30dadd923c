"""Corpus mode on the ten shared clusters: tables read back with pyarrow and checked against
diffnews run story by story; resuming after a kill, Ctrl-C, a bad story, manifests, and Ray."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from align import load_articles
from align import review as rv
from align.tables import TABLES
from tests.conftest import ROOT

CLUSTERS = ROOT.parent / "shared" / "eval" / "news_clusters"
pytestmark = pytest.mark.skipif(not CLUSTERS.is_dir(), reason="../shared is not beside the checkout")


def diffnews(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, **kwargs)


def tables(folder: Path) -> dict[str, list[dict]]:
    return {name: pq.read_table(folder / f"{name}.parquet").to_pylist() for name in TABLES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[dict]]]:
    """The ten clusters aligned by two worker processes."""
    out = tmp_path_factory.mktemp("batch") / "out"
    result = diffnews("batch", str(CLUSTERS), "-o", str(out), "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "10 stories aligned, 0 already done, 0 failed" in result.stderr
    assert "outlet" in result.stdout and "shared" in result.stdout  # the per-outlet summary
    return out, tables(out)


def test_every_count_is_what_diffnews_says_story_by_story(corpus) -> None:
    out, found = corpus
    assert [s["story"] for s in found["stories"]] == sorted(p.name for p in CLUSTERS.iterdir() if p.is_dir())
    for story in found["stories"]:
        files = sorted(str(p) for p in (CLUSTERS / story["story"]).glob("*.txt"))
        single = json.loads(diffnews(*files, "-f", "json").stdout)
        groups = [g for g in found["groups"] if g["story"] == story["story"]]
        assert story["status"] == "aligned" and story["groups"] == len(single["groups"]) == len(groups)
        assert story["divergences"] == sum(len(g["divergences"]) for g in single["groups"])
        assert story["divergences"] == sum(1 for d in found["divergences"] if d["story"] == story["story"])
        assert story["unaligned"] == len(single["unaligned"])
        assert story["sentences"] == sum(len(a["sentences"]) for a in single["articles"])
        members = [(m["group"], m["article"], m["sentence"]) for m in found["members"] if m["story"] == story["story"]]
        assert members == [(g["id"], m["article"], m["sentence"]) for g in single["groups"] for m in g["members"]]
        written = json.loads((out / "stories" / f"{story['story']}.json").read_text(encoding="utf-8"))
        assert written["schema"] == "diffnews/1" and written["groups"] == single["groups"]
    per_outlet = {o["outlet"]: o for o in found["outlets"]}
    assert set(per_outlet) == {"a", "b", "c"}
    for outlet, row in per_outlet.items():
        assert row["unique"] == sum(1 for u in found["unaligned"] if u["outlet"] == outlet)
        assert row["statements"] == sum(1 for g in found["groups"] if outlet in g["outlets"])
        by_kind = [d for d in found["outlet_divergences"] if d["outlet"] == outlet]
        for kind_type in ("conflict", "variant", "missing"):
            assert row[kind_type] == sum(d["divergences"] for d in by_kind if d["type"] == kind_type)
    for pair in found["outlet_pairs"]:
        assert pair["shared"] == sum(1 for g in found["groups"] if {pair["outlet"], pair["other"]} <= set(g["outlets"]))


def test_a_rerun_skips_what_is_done(corpus) -> None:
    out, found = corpus
    again = diffnews("batch", str(CLUSTERS), "-o", str(out))
    assert again.returncode == 0 and "0 stories aligned, 10 already done" in again.stderr
    assert tables(out) == found


def test_a_rerun_aligns_again_a_story_whose_article_changed_and_says_so(tmp_path) -> None:
    corpus, out = copy_clusters(tmp_path / "corpus", ["001", "002"]), tmp_path / "out"
    assert diffnews("batch", str(corpus), "-o", str(out)).returncode == 0
    added = "The governor said on Tuesday that 12 people were hurt in the storm."
    with (corpus / "002" / "a.txt").open("a", encoding="utf-8") as article:
        article.write("\n\n" + added + "\n")
    again = diffnews("batch", str(corpus), "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert "story 002: aligned again: its articles changed" in again.stderr
    assert "1 stories aligned, 1 already done" in again.stderr
    written = json.loads((out / "stories" / "002.json").read_text(encoding="utf-8"))
    assert added in written["articles"][0]["text"]
    settings = diffnews("batch", str(corpus), "-o", str(out), "--threshold", "0.5")
    assert settings.stderr.count("aligned again: the settings changed") == 2


def copy_clusters(folder: Path, names: list[str]) -> Path:
    for name in names:
        shutil.copytree(CLUSTERS / name, folder / name)
    return folder


def wait_for_a_story(out: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        done = list((out / "stories").glob("*.json")) if (out / "stories").is_dir() else []
        if done:
            return len(done)
        time.sleep(0.01)
    raise AssertionError("no story finished")


def start(corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tui", "batch", str(corpus), "-o", str(out), "--workers", "1",
                             "--no-cache", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def test_resume_after_a_kill_keeps_what_finished(tmp_path) -> None:
    corpus, out = copy_clusters(tmp_path / "corpus", sorted(p.name for p in CLUSTERS.iterdir() if p.is_dir())), tmp_path / "out"
    process = start(corpus, out)
    finished = wait_for_a_story(out, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kept = sorted((out / "stories").glob("*.json"))
    assert finished <= len(kept) < 10  # killed mid-run
    for path in kept:
        assert json.loads(path.read_text(encoding="utf-8"))["schema"] == "diffnews/1"
    again = diffnews("batch", str(corpus), "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert f"{10 - len(kept)} stories aligned, {len(kept)} already done" in again.stderr
    assert len(pq.read_table(out / "stories.parquet")) == 10 and not list((out / "stories").glob(".*"))


def test_ctrl_c_exits_130_and_keeps_every_finished_story(tmp_path) -> None:
    corpus, out = copy_clusters(tmp_path / "corpus", ["001", "002", "003", "004", "005", "006"]), tmp_path / "out"
    process = start(corpus, out)
    wait_for_a_story(out, process)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    for path in (out / "stories").glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["schema"] == "diffnews/1"


def test_a_bad_story_is_recorded_and_the_batch_goes_on(tmp_path) -> None:
    corpus = copy_clusters(tmp_path / "corpus", ["001", "002"])
    (corpus / "lonely").mkdir()
    shutil.copy(CLUSTERS / "001" / "a.txt", corpus / "lonely" / "a.txt")
    (corpus / "garbled").mkdir()
    (corpus / "garbled" / "a.txt").write_bytes(b"\x00\x01\x02" * 100)
    shutil.copy(CLUSTERS / "002" / "b.txt", corpus / "garbled" / "b.txt")
    out = tmp_path / "out"
    result = diffnews("batch", str(corpus), "-o", str(out))
    assert result.returncode == 1
    assert "story lonely failed: need at least two articles" in result.stderr
    assert "story garbled failed:" in result.stderr and "Traceback" not in result.stderr
    stories = {s["story"]: s for s in pq.read_table(out / "stories.parquet").to_pylist()}
    assert stories["001"]["status"] == stories["002"]["status"] == "aligned"
    assert stories["lonely"]["status"] == "failed" and stories["lonely"]["error"]
    assert {g["story"] for g in pq.read_table(out / "groups.parquet").to_pylist()} == {"001", "002"}


def test_a_manifest_names_outlets_titles_and_dates(tmp_path, corpus) -> None:
    _, found = corpus
    manifest = tmp_path / "manifest.csv"
    lines = ["story,outlet,source,title,date"]
    for story in ("001", "002"):
        for outlet, name in (("nyt", "a"), ("fox", "b"), ("huffpost", "c")):
            lines.append(f"s{story},{outlet},{CLUSTERS / story / (name + '.txt')},Story {story},2014-11-2{story[-1]}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = diffnews("batch", str(manifest), "-o", str(out))
    assert result.returncode == 0, result.stderr
    got = tables(out)
    assert {o["outlet"] for o in got["outlets"]} == {"nyt", "fox", "huffpost"}
    assert [(s["story"], s["title"], s["date"]) for s in got["stories"]] == [
        ("s001", "Story 001", "2014-11-21"), ("s002", "Story 002", "2014-11-22")]
    assert [s["groups"] for s in got["stories"]] == [s["groups"] for s in found["stories"][:2]]
    jsonl = tmp_path / "manifest.jsonl"
    jsonl.write_text("".join(json.dumps({"story": "x", "outlet": o, "source": str(CLUSTERS / "003" / f"{n}.txt")}) + "\n"
                             for o, n in (("nyt", "a"), ("fox", "b"))), encoding="utf-8")
    assert diffnews("batch", str(jsonl), "-o", str(tmp_path / "out2")).returncode == 0
    offline = tmp_path / "offline.jsonl"  # an article at a URL that does not answer
    offline.write_text("".join(json.dumps({"story": "y", "outlet": o, "source": src}) + "\n" for o, src in (
        ("nyt", str(CLUSTERS / "003" / "a.txt")), ("fox", "http://127.0.0.1:9/story.html"))), encoding="utf-8")
    failed = diffnews("batch", str(offline), "-o", str(tmp_path / "out4"))
    assert failed.returncode == 1 and "story y failed: http://127.0.0.1:9/story.html" in failed.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("story,outlet\nx,nyt\n", encoding="utf-8")
    refused = diffnews("batch", str(bad), "-o", str(tmp_path / "out3"))
    assert refused.returncode == 1 and "line 2: a manifest row needs story, outlet and source" in refused.stderr


def test_a_story_with_a_review_file_gets_its_corrections(tmp_path, embedder) -> None:
    from align import DEFAULT_THRESHOLD, prepare, regroup

    corpus = copy_clusters(tmp_path / "corpus", ["004", "005"])
    sources = sorted(str(p) for p in (corpus / "004").glob("*.txt"))
    articles = load_articles(sources)
    sidecar = rv.Sidecar(Path(sources[0] + rv.SUFFIX))
    alignment = regroup(prepare(articles, embedder), DEFAULT_THRESHOLD, sidecar.resolve(rv.Review(), articles))
    sidecar.write(rv.confirm(rv.Review(), alignment, alignment.groups[0]), articles, DEFAULT_THRESHOLD)
    out = tmp_path / "out"
    assert diffnews("batch", str(corpus), "-o", str(out)).returncode == 0
    origins = [(g["story"], g["origin"]) for g in pq.read_table(out / "groups.parquet").to_pylist()]
    assert ("004", "confirmed") in origins and ("005", "confirmed") not in origins


def test_ray_in_local_mode_gives_the_same_tables_as_the_process_pool(tmp_path, corpus) -> None:
    pytest.importorskip("ray")
    _, found = corpus
    out = tmp_path / "ray"
    result = diffnews("batch", str(CLUSTERS), "-o", str(out), "--ray", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert tables(out) == found


def test_a_ray_address_nothing_answers_at_is_one_line_at_once(tmp_path) -> None:
    pytest.importorskip("ray")
    started = time.monotonic()
    result = diffnews("batch", str(CLUSTERS), "-o", str(tmp_path / "out"), "--ray", "127.0.0.1:9")
    assert result.returncode == 1 and time.monotonic() - started < 60
    assert result.stderr == "diffnews: error: --ray 127.0.0.1:9: no Ray cluster answers there (Connection refused)\n"
