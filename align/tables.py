"""Corpus mode's tables: every finished story's JSON gathered into Parquet files (pyarrow) that
pandas, polars and DuckDB read as they are, and the per-outlet summary.

Tables (one row per ...): stories, articles, sentences, groups, members (of groups), divergences,
unaligned (sentences), outlets, outlet_pairs, outlet_divergences (by kind and type). Their
columns: docs/corpus.md.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

from align.corpus import Outcome, Story, story_file
from align.export import replace_atomic

TABLES = ("stories", "articles", "sentences", "groups", "members", "divergences", "unaligned", "outlets",
          "outlet_pairs", "outlet_divergences")
TYPES = ("conflict", "variant", "missing")

Rows = list[dict[str, Any]]


def gather(folder: Path, stories: Sequence[Story], outcomes: dict[str, Outcome]) -> dict[str, Rows]:
    """The rows of every table, from the stories' JSON files in `folder` (input order)."""
    rows: dict[str, Rows] = {name: [] for name in TABLES}
    for story in stories:
        outcome = outcomes.get(story.id, Outcome(story.id, "failed", "not run"))
        data = _load(story_file(folder, story.id)) if outcome.status != "failed" else None
        title = next((s.title for s in story.sources if s.title), "")
        date = next((s.date for s in story.sources if s.date), "")
        status = "failed" if outcome.status == "failed" else "aligned"  # skipped: aligned by an earlier run
        summary = {"story": story.id, "title": title, "date": date, "status": status, "error": outcome.error,
                   "articles": len(story.sources), "sentences": 0, "groups": 0, "divergences": 0, "unaligned": 0}
        if data is not None:
            _story_rows(story, data, rows)
            summary.update(sentences=sum(len(a["sentences"]) for a in data["articles"]), groups=len(data["groups"]),
                           divergences=sum(len(g["divergences"]) for g in data["groups"]),
                           unaligned=len(data["unaligned"]))
        rows["stories"].append(summary)
    rows["outlets"], rows["outlet_pairs"] = _outlets(rows)
    rows["outlet_divergences"] = _by_kind(rows)
    return rows


def _load(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _story_rows(story: Story, data: dict[str, Any], rows: dict[str, Rows]) -> None:
    outlets = [a["outlet"] for a in data["story"]["articles"]]
    meta = data["story"]["articles"]
    grouped = Counter((m["article"], m["sentence"]) for g in data["groups"] for m in g["members"])
    unaligned = {(m["article"], m["sentence"]) for m in data["unaligned"]}
    for n, article in enumerate(data["articles"]):
        sentences = article["sentences"]
        rows["articles"].append({
            "story": story.id, "article": n, "outlet": outlets[n], "name": article["name"],
            "source": article["source"], "title": meta[n]["title"], "date": meta[n]["date"],
            "chars": len(article["text"]), "sentences": len(sentences),
            "boilerplate": sum(s["boilerplate"] for s in sentences),
            "aligned": sum((n, s["index"]) in grouped for s in sentences),
            "unaligned": sum((n, s["index"]) in unaligned for s in sentences)})
        for s in sentences:
            rows["sentences"].append({
                "story": story.id, "article": n, "outlet": outlets[n], "sentence": s["index"], "start": s["start"],
                "end": s["end"], "paragraph": s["paragraph"], "boilerplate": s["boilerplate"],
                "groups": grouped[(n, s["index"])], "text": s["text"]})
            if (n, s["index"]) in unaligned:
                rows["unaligned"].append({"story": story.id, "article": n, "outlet": outlets[n],
                                          "sentence": s["index"], "text": s["text"]})
    for g in data["groups"]:
        held = sorted({m["article"] for m in g["members"]})
        rows["groups"].append({
            "story": story.id, "group": g["id"], "score": g["score"], "origin": g["origin"], "articles": len(held),
            "members": len(g["members"]), "divergences": len(g["divergences"]),
            "outlets": [outlets[a] for a in held]})
        for m in g["members"]:
            rows["members"].append({"story": story.id, "group": g["id"], "article": m["article"],
                                    "outlet": outlets[m["article"]], "sentence": m["sentence"]})
        for d in g["divergences"]:
            side = {}
            for key in ("a", "b"):
                member, span = d[key], d[f"{key}_span"]
                side.update({f"article_{key}": member["article"], f"outlet_{key}": outlets[member["article"]],
                             f"sentence_{key}": member["sentence"], f"text_{key}": span["text"] if span else None})
            rows["divergences"].append({"story": story.id, "group": g["id"], "kind": d["kind"], "type": d["type"],
                                        **side})


def _outlets(rows: dict[str, Rows]) -> tuple[Rows, Rows]:
    """Per outlet: stories, sentences, statements shared and unique, divergences by type; per two
    outlets: stories together, statements both make, divergences between them by type."""
    one: dict[str, Counter[str]] = defaultdict(Counter)
    by_story: dict[str, list[str]] = defaultdict(list)
    for a in rows["articles"]:
        one[a["outlet"]].update(stories=1, sentences=a["sentences"], unique=a["unaligned"])
        by_story[a["story"]].append(a["outlet"])
    for g in rows["groups"]:
        for outlet in set(g["outlets"]):
            one[outlet]["statements"] += 1
    pair: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for present in by_story.values():
        for x, y in combinations(sorted(set(present)), 2):
            pair[(x, y)]["stories"] += 1
    for g in rows["groups"]:
        for x, y in combinations(sorted(set(g["outlets"])), 2):
            pair[(x, y)]["shared"] += 1
    for d in rows["divergences"]:
        for outlet in {d["outlet_a"], d["outlet_b"]}:
            one[outlet][d["type"]] += 1
        x, y = sorted((d["outlet_a"], d["outlet_b"]))
        if x != y:
            pair[(x, y)][d["type"]] += 1
    outlets = [{"outlet": o, **{k: c[k] for k in ("stories", "sentences", "statements", "unique", *TYPES)}}
               for o, c in sorted(one.items())]
    pairs = [{"outlet": x, "other": y, **{k: c[k] for k in ("stories", "shared", *TYPES)}}
             for (x, y), c in sorted(pair.items())]
    return outlets, pairs


def _by_kind(rows: dict[str, Rows]) -> Rows:
    """Per outlet, kind and type: the divergences the outlet is a side of."""
    found: Counter[tuple[str, str, str]] = Counter()
    for d in rows["divergences"]:
        for outlet in {d["outlet_a"], d["outlet_b"]}:
            found[(outlet, d["kind"], d["type"])] += 1
    return [{"outlet": o, "kind": k, "type": t, "divergences": n} for (o, k, t), n in sorted(found.items())]


def write(folder: Path, rows: dict[str, Rows]) -> list[Path]:
    """Each table as `<folder>/<name>.parquet`, written atomically; the paths."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    for name in TABLES:
        table = pa.Table.from_pylist(rows[name], schema=_schema(name))
        path = folder / f"{name}.parquet"
        replace_atomic(path, partial(pq.write_table, table))
        written.append(path)
    return written


def _schema(name: str) -> Any:
    """Column types, so that an empty table has them too."""
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    columns: dict[str, list[tuple[str, Any]]] = {
        "stories": [("story", s), ("title", s), ("date", s), ("status", s), ("error", s), ("articles", i),
                    ("sentences", i), ("groups", i), ("divergences", i), ("unaligned", i)],
        "articles": [("story", s), ("article", i), ("outlet", s), ("name", s), ("source", s), ("title", s),
                     ("date", s), ("chars", i), ("sentences", i), ("boilerplate", i), ("aligned", i),
                     ("unaligned", i)],
        "sentences": [("story", s), ("article", i), ("outlet", s), ("sentence", i), ("start", i), ("end", i),
                      ("paragraph", i), ("boilerplate", b), ("groups", i), ("text", s)],
        "groups": [("story", s), ("group", i), ("score", f), ("origin", s), ("articles", i), ("members", i),
                   ("divergences", i), ("outlets", pa.list_(s))],
        "members": [("story", s), ("group", i), ("article", i), ("outlet", s), ("sentence", i)],
        "divergences": [("story", s), ("group", i), ("kind", s), ("type", s)]
        + [(f"{c}_{k}", t) for k in ("a", "b") for c, t in (("article", i), ("outlet", s), ("sentence", i),
                                                              ("text", s))],
        "unaligned": [("story", s), ("article", i), ("outlet", s), ("sentence", i), ("text", s)],
        "outlets": [("outlet", s), ("stories", i), ("sentences", i), ("statements", i), ("unique", i)]
        + [(t, i) for t in TYPES],
        "outlet_pairs": [("outlet", s), ("other", s), ("stories", i), ("shared", i)] + [(t, i) for t in TYPES],
        "outlet_divergences": [("outlet", s), ("kind", s), ("type", s), ("divergences", i)],
    }
    return pa.schema(columns[name])


def summary(rows: dict[str, Rows]) -> list[str]:
    """The per-outlet summary, as lines to print."""
    lines = [f"{'outlet':16} {'stories':>7} {'sentences':>9} {'shared':>7} {'unique':>7} "
             f"{'conflicts':>9} {'variants':>8} {'missing':>8}"]
    for o in rows["outlets"]:
        lines.append(f"{o['outlet'][:16]:16} {o['stories']:>7} {o['sentences']:>9} {o['statements']:>7} "
                     f"{o['unique']:>7} {o['conflict']:>9} {o['variant']:>8} {o['missing']:>8}")
    kinds = sorted({d["kind"] for d in rows["outlet_divergences"]})
    if kinds:
        count: Counter[tuple[str, str]] = Counter()
        for d in rows["outlet_divergences"]:
            count[(d["outlet"], d["kind"])] += d["divergences"]
        lines += ["", f"{'divergences by kind':19} " + " ".join(f"{k:>8}" for k in kinds)]
        for o in rows["outlets"]:
            lines.append(f"{o['outlet'][:19]:19} " + " ".join(f"{count[(o['outlet'], k)]:>8}" for k in kinds))
    if rows["outlet_pairs"]:
        lines += ["", f"{'outlets':33} {'stories':>7} {'shared':>7} {'conflicts':>9} {'variants':>8}"]
        for p in rows["outlet_pairs"]:
            names = f"{p['outlet'][:15]} & {p['other'][:15]}"
            lines.append(f"{names:33} {p['stories']:>7} {p['shared']:>7} {p['conflict']:>9} {p['variant']:>8}")
    return lines
