"""`diffnews batch`: a corpus of stories aligned in one command, into JSON files and Parquet tables."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from align import DEFAULT_MODEL, DiffnewsError
from align.read import DEFAULT_MAX_CHARS
from align.safe import visible
from tui.commands import HELP, command_app

batch_app = command_app()


def with_ray_address(args: list[str]) -> list[str]:
    """`--ray` given without an address means a Ray on this machine ("local")."""
    found = []
    for n, arg in enumerate(args):
        found.append(arg)
        if arg == "--ray" and (n + 1 == len(args) or args[n + 1].startswith("-")):
            found.append("local")
    return found


@batch_app.command(context_settings=HELP)
def batch(
    corpus: Annotated[Path, typer.Argument(
        metavar="INPUT", help="A folder with one subfolder of articles per story, or a manifest (.csv with a "
        "header, or .jsonl) of story, outlet, source and optionally title and date.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="The folder for the stories' JSON files and the tables (made if missing).",
        show_default=False, file_okay=False)],
    workers: Annotated[int | None, typer.Option(
        "--workers", "-w", min=1, help="Worker processes, each with the model loaded once (default: one per "
        "core).", show_default=False)] = None,
    ray: Annotated[str | None, typer.Option(
        "--ray", metavar="[ADDRESS]",
        help="Run on the Ray cluster at ADDRESS (alone, or 'local': a Ray started on this machine) instead "
        "of local processes; needs the extra: pip install -e '.[ray]'.", show_default=False)] = None,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="As for diffnews (default: the pair model's).", show_default=False)] = None,
    model: Annotated[str, typer.Option(help="sentence-transformers model, as for diffnews.")] = DEFAULT_MODEL,
    pair_model: Annotated[Path | None, typer.Option(
        "--pair-model", help="A pair model from diffnews train, as for diffnews.", show_default=False,
        dir_okay=False)] = None,
    int8: Annotated[bool | None, typer.Option(
        "--int8/--float", help="Encode with int8 or float weights, as for diffnews.", show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache of sentence "
                                           "vectors.")] = False,
    max_chars: Annotated[int, typer.Option(min=1, help="Refuse an article longer than this.")] = DEFAULT_MAX_CHARS,
    keep_boilerplate: Annotated[bool, typer.Option(
        "--keep-boilerplate", help="Align page furniture like reporting, as for diffnews.")] = False,
    no_review: Annotated[bool, typer.Option(
        "--no-review", help="Ignore the stories' review files (by default applied where a story has one).")] = False,
) -> None:
    """Align every story of a corpus: one diffnews/1 JSON per story in DIR/stories/, and the corpus as
    Parquet tables (stories, articles, sentences, groups, members, divergences, unaligned, outlets,
    outlet_pairs, outlet_divergences) in DIR, the --output folder, with a per-outlet summary printed.

    A rerun skips the stories already done and aligns again, saying so, those whose articles (their
    content), settings or review file changed since (delete a story's JSON to align it again anyway); a story that fails is recorded with its error and the batch goes on; Ctrl-C keeps every
    finished story. Exit status 1 if any story failed.
    """
    from align import batch as engines
    from align import tables
    from align.corpus import Outcome, Settings, read_corpus, story_file, to_redo
    from align.embed import default_cache_path, int8_by_default
    from tui.progress import stories_bar

    stories = read_corpus(corpus)
    if output.exists() and not output.is_dir():
        raise DiffnewsError(f"{output}: is not a folder")
    files = [story_file(output, s.id) for s in stories]
    if len(set(files)) < len(files):
        raise DiffnewsError("two stories have ids that make the same file name")
    try:
        (output / "stories").mkdir(parents=True, exist_ok=True)
        for leftover in (output / "stories").glob(".*.tmp"):  # a write cut short by a killed batch
            leftover.unlink()
    except OSError as error:
        raise DiffnewsError(f"{output}: cannot make the folder ({error.strerror or error})") from None
    settings = Settings(model, threshold, str(pair_model.resolve()) if pair_model else None,
                        int8_by_default(model) if int8 is None else int8,
                        None if no_cache else str(default_cache_path()), max_chars, keep_boilerplate, not no_review)
    reasons = {s.id: to_redo(f, s, settings) for s, f in zip(stories, files)}
    outcomes = {story: Outcome(story, "skipped") for story, reason in reasons.items() if reason is None}
    for story, reason in reasons.items():
        if reason not in (None, "new"):
            print(f"diffnews: story {visible(story)}: aligned again: {reason}", file=sys.stderr)
    jobs = [(s, str(f)) for s, f in zip(stories, files) if s.id not in outcomes]
    runner = (engines.run_ray(jobs, settings, ray, workers) if ray
              else engines.run_local(jobs, settings, workers or engines.cores()))
    with stories_bar(len(jobs)) as advance:
        try:
            for outcome in runner:
                outcomes[outcome.story] = outcome
                advance(f"diffnews: story {visible(outcome.story)} failed: {visible(outcome.error)}"
                        if outcome.status == "failed" else None)
        finally:
            runner.close()
    rows = tables.gather(output, stories, outcomes)
    tables.write(output, rows)
    for line in tables.summary(rows):
        print(visible(line))
    count = {status: sum(o.status == status for o in outcomes.values()) for status in ("aligned", "skipped", "failed")}
    print(f"\n{count['aligned']} stories aligned, {count['skipped']} already done, {count['failed']} failed; "
          f"tables in {output}", file=sys.stderr)
    if count["failed"]:
        raise typer.Exit(1)
