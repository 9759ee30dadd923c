"""Corpus mode's benchmark: stories per minute with 1 and 2 worker processes and with Ray local.

    python bench/corpus.py [--copies 10] [--json results.json]

The ten shared clusters are copied COPIES times into a temporary corpus (about 100 stories); each
copy starts every sentence with a word of its own, so that no copy's sentences are cached or
seen before: every story is new work, as in a real corpus. Every run is `diffnews batch
--no-cache` in a fresh process (the model's ONNX copy already built); a worker encodes with its
share of the cores (both, for one worker on two cores), except in "1 worker, 1 thread". The engine's own cost is
measured in one process with the model loaded once: reading, segmenting, embedding, scoring,
grouping and the JSON of every story, one after the other. Timings on shared 2-core machines are
noisy; compare ratios more than seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLUSTERS = ROOT.parent / "shared" / "eval" / "news_clusters"
WORDS = ["Reportedly", "Notably", "Meanwhile", "Separately", "Officially", "Indeed", "Still", "Today", "Also",
         "Then", "Again", "Now", "Later", "Earlier", "Overall", "Besides", "Likewise", "Similarly", "Further",
         "Moreover"]


def variant(text: str, copy: int) -> str:
    """The text with a copy's own word before every sentence (copy 0 is the text itself)."""
    from align.segment import segment

    if copy == 0:
        return text
    word = WORDS[(copy - 1) % len(WORDS)] + (f"{(copy - 1) // len(WORDS)}" if copy > len(WORDS) else "")
    for sentence in reversed(segment("x", "x", text).sentences):
        text = text[: sentence.start] + f"{word}, " + text[sentence.start :]
    return text


def make_corpus(folder: Path, copies: int) -> Path:
    for cluster in sorted(p for p in CLUSTERS.iterdir() if p.is_dir()):
        for copy in range(copies):
            story = folder / f"{cluster.name}-{copy:02d}"
            story.mkdir(parents=True)
            for article in sorted(cluster.glob("*.txt")):
                (story / article.name).write_text(variant(article.read_text(encoding="utf-8"), copy), encoding="utf-8")
    return folder


def batch(corpus: Path, out: Path, *options: str, threads: int | None = None) -> float:
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, **({"DIFFNEWS_THREADS": str(threads)} if threads else {}))
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tui", "batch", str(corpus), "-o", str(out), "--no-cache",
                             *options], cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"batch {' '.join(options)} failed:\n{result.stderr}")
    return time.perf_counter() - started


def engine_alone(corpus: Path) -> dict[str, float]:
    """Every story through the engine in this process, the model loaded once beforehand."""
    sys.path.insert(0, str(ROOT))
    from align import align, load_articles, pair_model
    from align.embed import Embedder
    from align.export import to_json

    embedder = Embedder(cache_path=None)
    started = time.perf_counter()
    embedder.load()
    embedder.embed(["A sentence to warm the encoder up."])
    loaded = time.perf_counter() - started
    scorer = pair_model.shipped()
    stories = sorted(p for p in corpus.iterdir() if p.is_dir())
    started = time.perf_counter()
    for story in stories:
        to_json(align(load_articles(sorted(str(p) for p in story.glob("*.txt"))), None, embedder, None, scorer))
    return {"load": loaded, "per_story": (time.perf_counter() - started) / len(stories), "stories": len(stories)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp) / "corpus", args.copies)
        engine = engine_alone(corpus)
        n = int(engine["stories"])
        runs = {"1 worker": batch(corpus, Path(tmp) / "out", "--workers", "1"),
                "1 worker, 1 thread": batch(corpus, Path(tmp) / "out", "--workers", "1", threads=1),
                "2 workers": batch(corpus, Path(tmp) / "out", "--workers", "2")}
        try:
            import ray  # noqa: F401

            runs["Ray local, 2 CPUs"] = batch(corpus, Path(tmp) / "out", "--ray", "--workers", "2")
        except ImportError:
            print("Ray is not installed (pip install -e '.[ray]'): its case is left out")
    print(f"{n} stories, {sum(1 for _ in CLUSTERS.glob('*/*.txt')) * args.copies} articles")
    print(f"engine alone, model loaded once ({engine['load']:.1f} s): {engine['per_story']:.3f} s a story")
    print(f"{'run':20} {'wall s':>7} {'stories/min':>11} {'s/story':>8} {'vs engine':>9} {'vs 1 worker':>11} "
          f"{'vs 1 thread':>11}")
    for name, wall in runs.items():
        print(f"{name:20} {wall:7.1f} {n / wall * 60:11.0f} {wall / n:8.3f} {wall / n / engine['per_story']:9.2f} "
              f"{runs['1 worker'] / wall:11.2f} {runs['1 worker, 1 thread'] / wall:11.2f}")
    if "Ray local, 2 CPUs" in runs:
        print(f"Ray local / 2 workers: {runs['Ray local, 2 CPUs'] / runs['2 workers']:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"stories": n, "engine": engine, "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
