"""`diffnews gold`: a reviewed set written out as a gold file, to measure or train on."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from align import DEFAULT_MODEL
from align import review as rv
from align.embed import Embedder, default_cache_path
from align.export import write_atomic
from align.safe import visible
from tui.commands import HELP, command_app
from tui.progress import progress_bar

if TYPE_CHECKING:
    from align.reviewed import ReviewedSet

gold_app = command_app()


@gold_app.command(context_settings=HELP)
def gold(
    review: Annotated[Path, typer.Argument(
        metavar="REVIEW.json", help="A review file the viewer saved (by default beside the first article, "
        "named after it: a.txt.review.json).", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the gold line here (atomically) instead of stdout.", show_default=False,
        dir_okay=False)] = None,
    case_id: Annotated[str | None, typer.Option(
        "--id", help="The case's id in the gold file (default: the review file's name).", show_default=False)] = None,
    model: Annotated[str, typer.Option(help="sentence-transformers model, as the review was made with.")]
        = DEFAULT_MODEL,
) -> None:
    """Write a reviewed set as one case of a gold file: {id, articles, links}, as diffnews eval and
    diffnews train read it.

    The articles are read again from where the review file names them; the links are every pair of
    sentences that share a group once the reader's corrections are applied, the groups the reader
    left as the matcher made them included (made at the threshold the reader last used).
    """
    from align import reviewed
    from align.evaluate import case_json

    found = load_reviewed(review, model)
    case = reviewed.gold_case(found, case_id or review.name.removesuffix(rv.SUFFIX))
    line = json.dumps(case_json(case), ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(line)
    else:
        write_atomic(output, line)
    where = f" to {output}" if output else ""
    print(f"{reviewed.summary(found)}; {len(case.links)} links written{where}", file=sys.stderr)


def load_reviewed(path: Path, model: str) -> ReviewedSet:
    """A review file's reviewed set, with a progress bar and its warnings on stderr."""
    from align import reviewed

    with progress_bar() as report:
        found = reviewed.load(path, Embedder(model, default_cache_path()), report)
    for warning in found.warnings:
        print(f"diffnews: warning: {visible(warning)}", file=sys.stderr)
    return found
