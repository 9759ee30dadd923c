"""The progress bar the commands draw on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from align.embed import Progress

_LABELS = {"load": "loading the model", "embed": "embedding sentences", "train": "training pair models"}


@contextmanager
def progress_bar() -> Iterator[Progress | None]:
    """A transient progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def report(stage: str, done: int, total: int) -> None:
            if stage == "export":
                bar.update(task, description="preparing the model's fast copy (once)", total=None)
            else:
                bar.update(task, description=_LABELS.get(stage, stage), completed=done, total=total)

        yield report


@contextmanager
def stories_bar(total: int) -> Iterator[Callable[[str | None], None]]:
    """A bar over a batch's stories (rate, time left) on a terminal; `advance(message)` moves it one
    story on and prints `message` (a failure) above it, or on stderr alone when there is no bar."""
    if not sys.stderr.isatty() or not total:
        def say(message: str | None) -> None:
            if message:
                print(message, file=sys.stderr)

        yield say
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

    with Bar(TextColumn("aligning stories"), BarColumn(), MofNCompleteColumn(),
             TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=Console(stderr=True),
             transient=True) as bar:
        task = bar.add_task("stories", total=total, rate="")

        def advance(message: str | None) -> None:
            if message:
                bar.console.print(message, markup=False, highlight=False)
            bar.advance(task)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed * 60:.0f}/min" if speed else "")

        yield advance
