"""Write seeds.jsonl (one case per pair of seed articles, sentences as diffnews segments them) and
divergences.jsonl (the divergences flagged by hand between aligned seed sentences).

    python tests/gold/build.py        (run again only when the annotation changes)
"""

from __future__ import annotations

import json
import sys
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from align.read import read_source  # noqa: E402
from align.segment import segment  # noqa: E402
from tests.gold.statements import DIVERGENCES, STATEMENTS  # noqa: E402


def main() -> None:
    seeds = sorted((HERE.parent.parent / "seeds").glob("*.txt"))
    sentences = [[s.text for s in segment(p.stem, str(p), read_source(str(p))[1]).sentences] for p in seeds]
    linked: set[tuple[int, int, int, int]] = set()
    for members in STATEMENTS.values():
        ids = [tuple(int(n) for n in m.split(".")) for m in members]
        for (a, i), (b, j) in combinations(ids, 2):
            if a != b:
                linked.add((a, i, b, j) if (a, i) < (b, j) else (b, j, a, i))
    lines = []
    for x, y in combinations(range(len(seeds)), 2):
        links = sorted([0, i, 1, j] for a, i, b, j in linked if (a, b) == (x, y))
        lines.append(json.dumps({"id": f"seeds-{x}{y}", "articles": [sentences[x], sentences[y]], "links": links},
                                ensure_ascii=False))
    (HERE / "seeds.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def text(ref: str) -> str:
        article, sentence = (int(n) for n in ref.split("."))
        return sentences[article][sentence]

    cases = [
        json.dumps({"id": f"{a}~{b}", "a": text(a), "b": text(b),
                    "divergences": [{"kind": k, "type": t, "a": x, "b": y} for k, t, x, y in flags]},
                   ensure_ascii=False)
        for a, b, flags in DIVERGENCES
    ]
    (HERE / "divergences.jsonl").write_text("\n".join(cases) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
