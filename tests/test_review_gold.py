"""The review issue's yardstick: with the keyboard only, diffnews's groups on shared cluster 010
become the shared gold's statements, and the export says so (bench/review.py counts the keys)."""

from __future__ import annotations

import json
import re
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
review = pytest.importorskip("review")  # bench/review.py

GOLD = ROOT.parent / "shared" / "eval" / "gold" / "clusters.jsonl"
pytestmark = pytest.mark.skipif(not GOLD.is_file(), reason="../shared is not beside the checkout")


async def test_keys_alone_turn_cluster_010_into_the_shared_gold(embedder, tmp_path) -> None:
    found = await review.replay("010", embedder, tmp_path)
    assert found["groups"] == found["targets"]
    exported = found["export"]
    assert {g["origin"] for g in exported["groups"]} == {"confirmed"}
    links = {(a["article"], a["sentence"], b["article"], b["sentence"])
             for g in exported["groups"] for a in g["members"] for b in g["members"]
             if (a["article"], a["sentence"]) < (b["article"], b["sentence"]) and a["article"] != b["article"]}
    gold = next(json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
                if json.loads(line)["id"] == "cluster-010")
    assert links == {tuple(link) for link in gold["links"]}
    # docs/review.md gives these counts; they stay what the reader needs
    row = re.search(r"^\| 010 \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \|$",
                    (ROOT / "docs" / "review.md").read_text(encoding="utf-8"), re.M)
    assert row, "docs/review.md has no row for cluster 010"
    errors = found["missed"] + found["wrong"]
    assert [int(n) for n in row.groups()[:4]] == [found["gold_links"], found["missed"], found["wrong"],
                                                   found["presses"]]
    assert float(row.group(5)) == round(found["presses"] / errors, 1)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"took {found['presses']} key presses, {row.group(5)} per missed or wrong link" in " ".join(readme.split())
