"""`diffnews train`: a pair model from gold files, measured leave-one-case-out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from align import DEFAULT_MODEL, DiffnewsError
from align.embed import Embedder, default_cache_path
from align.export import write_atomic
from tui.commands import HELP, command_app
from tui.progress import progress_bar

train_app = command_app()


@train_app.command(context_settings=HELP)
def train(
    golds: Annotated[list[Path], typer.Argument(
        metavar="GOLD.jsonl...", help="Gold files of sentence links, as diffnews eval reads them.",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Write the pair model (JSON) here, atomically.", show_default=False, dir_okay=False)],
    model: Annotated[str, typer.Option(
        help="sentence-transformers model whose cosines the pair model learns (use it with diffnews --model).")]
        = DEFAULT_MODEL,
    int8: Annotated[bool, typer.Option("--int8", help="Learn from int8 vectors instead of float ones. A model "
        "trained on float vectors (the default, as the shipped one was) serves diffnews's int8 ones as well, "
        "and held out scores better (docs/measuring.md).")] = False,
) -> None:
    """Train a pair model (a logistic regression over the pair features) on the links of gold files.

    Every sentence pair of every case is an example. The threshold, and the floor (how weak a
    link may be inside a statement, as a share of the threshold), are chosen leave-one-case-out:
    each case is scored by a model trained on the others, and of the settings within 0.01 of the
    best F1 over all cases the highest threshold is kept, then the highest floor; those held-out
    figures are printed and stored in the model. Use the model
    with `diffnews --pair-model MODEL` and `diffnews eval --pair-model MODEL`.
    """
    from align import evaluate as ev
    from align import train as learn

    cases = [c for path in golds for c in ev.read_gold(path) if isinstance(c, ev.GoldCase)]
    if len(cases) < 3:
        raise DiffnewsError(f"training needs at least three cases of sentence links, got {len(cases)}")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise DiffnewsError(f"{output}: folder {folder} does not exist")
    with progress_bar() as report:
        embedder = Embedder(model, default_cache_path(), int8=int8)
        embedder.embed([s for case in cases for article in case.articles for s in article], report)
        prepared = ev.prepare_cases(cases, embedder, "combined")
        trained = learn.train(cases, prepared, embedder.key, golds,
                              report and (lambda done, total: report("train", done, total)))
    write_atomic(output, trained.to_json())
    held = trained.loco
    print(f"trained on {len(cases)} cases ({int(held['links'])} links) with {embedder.model}")
    print(f"threshold {trained.threshold:.2f} and floor {trained.floor:.2f}, chosen leave-one-case-out; at them, "
          "the held-out cases score "
          f"precision {held['precision']:.3f}, recall {held['recall']:.3f}, F1 {held['f1']:.3f}")
    print(f"{'feature':16} {'weight':>8}")
    for name, weight in zip(trained.features, trained.weights):
        print(f"{name:16} {weight:8.3f}")
    print(f"wrote {output}")
