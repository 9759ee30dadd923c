"""How many key presses a reader needs to turn diffnews's groups into a gold's groups.

    python bench/review.py [CLUSTER ...]   (default: 010; clusters of ../shared/eval/news_clusters)

The viewer is driven with Pilot, keys only, by a reader who knows the answer (the gold's
statements in ../shared/eval/gold/annotations) and moves the cursor the plain way: h / l to the
article, J / K to the sentence, o to the sentence's other groups. Each round it does one thing:
confirm (c) a group that is already right; link a missing sentence into a group that lies inside
a gold statement (a digit when the sentence is among the candidates of one of the group's
sentences, else mark it with space and add it with a); take a sentence out of a wrong group (x);
or make a statement from scratch (mark its sentences, then A). It ends when every group is a gold
statement, confirmed, and the reader exports JSON (e, enter). A reader with a mouse, or the
search key, would need fewer presses: this is an upper bound for the keyboard.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align import DEFAULT_THRESHOLD, load_articles  # noqa: E402
from align import review as rv  # noqa: E402
from align.candidates import candidates  # noqa: E402
from align.embed import Embedder, default_cache_path  # noqa: E402
from align.evaluate import links_of, predicted_links  # noqa: E402
from align.model import Member  # noqa: E402
from tui.app import DiffApp  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
Statement = frozenset[Member]


def gold_statements(cluster: str) -> list[Statement]:
    data = json.loads((SHARED / "gold" / "annotations" / f"cluster-{cluster}.json").read_text(encoding="utf-8"))
    found = [frozenset(Member(a, s) for a, s in st["members"]) for st in data["statements"]]
    return list(dict.fromkeys(s for s in found if len({m.article for m in s}) >= 2))


class Reader:
    """Presses keys on a running DiffApp until its groups are `targets`; counts the presses."""

    def __init__(self, app: DiffApp, pilot, targets: list[Statement]) -> None:
        self.app, self.pilot, self.targets = app, pilot, targets
        self.presses = 0

    async def press(self, *keys: str) -> None:
        self.presses += len(keys)
        await self.pilot.press(*keys)

    def shown(self) -> list[Statement]:
        return [frozenset(g.members) for g in self.app.view.alignment.groups]

    async def go(self, member: Member, group: Statement | None = None) -> None:
        """The cursor onto `member` (with `group` selected, if given)."""
        app, n = self.app, len(self.app.articles)
        if app.view.focus is None:
            await self.press("j")
        right = (member.article - app.view.focus.article) % n
        key, steps = ("l", right) if right <= n - right else ("h", n - right)
        for _ in range(steps):
            await self.press(key)
        while app.view.focus != member:
            await self.press("J" if member.sentence > app.view.focus.sentence else "K")
        for _ in range(len(app.view.alignment.groups_of(member))):
            if group is None or (app.view.selected and frozenset(app.view.selected.members) == group):
                return
            await self.press("o")
        if group is not None:
            raise RuntimeError(f"cannot select the group {sorted(group)} from {member}")

    async def run(self) -> None:
        for _ in range(1000):
            shown = self.shown()
            by_members = {frozenset(g.members): g for g in self.app.view.alignment.groups}
            unconfirmed = [s for s in shown if s in self.targets and by_members[s].origin != "confirmed"]
            wrong = [s for s in shown if s not in self.targets]
            missing = [t for t in self.targets if t not in shown]
            if unconfirmed:
                await self.go(min(unconfirmed[0]), unconfirmed[0])
                await self.press("c")
            elif wrong:
                await self.fix(wrong[0], missing)
            elif missing:
                await self.build(missing[0])
            else:
                return
        raise RuntimeError("the reader went round in circles")

    async def fix(self, group: Statement, missing: list[Statement]) -> None:
        """A group that is no gold statement: grow it into the one it lies in, or take out a sentence."""
        inside = [t for t in missing if group < t]
        if inside:
            await self.link(group, min(inside[0] - group))
            return
        best = max(self.targets, key=lambda t: (len({m.article for m in group & t}) >= 2, len(group & t)))
        # a part of a statement shown whole already has nothing to add: taken apart like any stray
        extra = (group - best if len({m.article for m in group & best}) >= 2 else group) or group
        await self.go(min(extra), group)
        await self.press("x")

    async def link(self, group: Statement, wanted: Member) -> None:
        app = self.app
        for member in sorted(group, key=lambda m: (m != app.view.focus, m)):
            found = [c.member for c in candidates(app.prepared.pair_scores, app.view.alignment, member, group)]
            if wanted in found[:9]:
                await self.go(member, group)
                await self.press(str(found.index(wanted) + 1))
                return
        await self.go(wanted)
        await self.press("space")
        await self.go(min(group), group)
        await self.press("a")

    async def build(self, statement: Statement) -> None:
        first, *rest = sorted(statement)
        for member in rest:
            await self.go(member)
            await self.press("space")
        await self.go(first)
        await self.press("A")


async def replay(cluster: str, embedder: Embedder, folder: Path) -> dict[str, object]:
    """Copy a cluster's articles to `folder`, review them to the gold, export; the counts."""
    sources = []
    for path in sorted((SHARED / "news_clusters" / cluster).glob("*.txt")):
        shutil.copy(path, folder / path.name)
        sources.append(str(folder / path.name))
    targets = gold_statements(cluster)
    sidecar = rv.Sidecar(Path(sources[0] + rv.SUFFIX))
    app = DiffApp(load_articles(sources), embedder, DEFAULT_THRESHOLD, None, sidecar, sidecar.read())
    export = folder / "reviewed.json"
    async with app.run_test(size=(180, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = predicted_links(app.view.alignment)
        reader = Reader(app, pilot, targets)
        await reader.run()
        after = app.view.alignment
        await reader.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(export)
        await reader.press("enter")
        await pilot.pause()
    gold = {link for t in targets for link in links_of(t)}
    return {
        "cluster": cluster, "presses": reader.presses, "gold_links": len(gold),
        "missed": len(gold - before), "wrong": len(before - gold),
        "groups": sorted(sorted((m.article, m.sentence) for m in g.members) for g in after.groups),
        "export": json.loads(export.read_text(encoding="utf-8")),
        "targets": sorted(sorted((m.article, m.sentence) for m in t) for t in targets),
    }


def main() -> None:
    clusters = sys.argv[1:] or ["010"]
    embedder = Embedder(cache_path=default_cache_path())
    print(f"{'cluster':8} {'gold links':>10} {'missed':>7} {'wrong':>6} {'presses':>8} {'per error':>9}")
    for cluster in clusters:
        with tempfile.TemporaryDirectory() as folder:
            found = asyncio.run(replay(cluster, embedder, Path(folder)))
        errors = int(found["missed"]) + int(found["wrong"])
        print(f"{cluster:8} {found['gold_links']:>10} {found['missed']:>7} {found['wrong']:>6} "
              f"{found['presses']:>8} {found['presses'] / max(errors, 1):9.1f}")


if __name__ == "__main__":
    main()
