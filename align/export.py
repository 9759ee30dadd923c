"""Alignment -> JSON, CSV, Markdown or HTML text, and an atomic writer for any of them."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from collections.abc import Callable
from typing import Any

import orjson

from align.model import Alignment, DiffnewsError, Divergence, Group, Member, Pair, Span
from align.listing import listed
from align.safe import visible

SCHEMA = "diffnews/1"
FORMATS = ("json", "csv", "md", "html")


def format_of(path: str) -> str | None:
    """The format a file name's suffix names ("report.htm" is html), or None."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in Path(path).name else ""
    suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    return suffix if suffix in FORMATS else None


def render(alignment: Alignment, fmt: str) -> str:
    """The alignment as text in `fmt` (one of FORMATS)."""
    if fmt == "json":
        return to_json(alignment)
    if fmt == "csv":
        return to_csv(alignment)
    if fmt == "md":
        return to_markdown(alignment)
    if fmt == "html":
        from align.report import to_html

        return to_html(alignment)
    raise DiffnewsError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def to_dict(alignment: Alignment) -> dict[str, Any]:
    """The documented `diffnews/1` structure (see README)."""
    return {
        "schema": SCHEMA,
        "counted_from": 0,  # article, sentence and group numbers; the viewer, Markdown and HTML count from 1
        "model": alignment.model,
        "threshold": alignment.threshold,
        "articles": [
            {
                "id": n,
                "name": article.name,
                "source": article.source,
                "text": article.text,
                "sentences": [
                    {
                        "index": s.index, "start": s.start, "end": s.end, "text": s.text,
                        "paragraph": s.paragraph, "boilerplate": s.boilerplate,
                    }
                    for s in article.sentences
                ],
            }
            for n, article in enumerate(alignment.articles)
        ],
        "groups": [
            {
                "id": g.id,
                "score": g.score,
                "origin": g.origin,
                "members": [_member(m) for m in g.members],
                "pairs": [_pair(p) for p in g.pairs],
                "divergences": [_divergence(d) for d in g.divergences],
            }
            for g in alignment.groups
        ],
        "unaligned": [_member(m) for m in alignment.unaligned()],
    }


def to_json(alignment: Alignment, extra: dict[str, Any] | None = None) -> str:
    """The `diffnews/1` JSON text, with `extra` keys added (corpus mode's "story")."""
    data = to_dict(alignment) | (extra or {})
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
    # json escapes C0 controls itself; C1 controls (a terminal may read U+009B as an escape) too
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_csv(alignment: Alignment) -> str:
    """One row per aligned pair of sentences, with both texts, the scores and the divergences."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([
        "group", "origin", "score", "cosine", "lexical", "article_a", "sentence_a", "text_a",
        "article_b", "sentence_b", "text_b", "divergences",
    ])
    for g in alignment.groups:
        for pair in g.pairs:
            divergences = [d for d in g.divergences if _between(d, pair)]
            writer.writerow([_cell(v) for v in (
                g.id, g.origin, pair.score, pair.cosine, pair.lexical,
                alignment.articles[pair.a.article].name, pair.a.sentence, alignment.sentence(pair.a).text,
                alignment.articles[pair.b.article].name, pair.b.sentence, alignment.sentence(pair.b).text,
                "; ".join(f"{d.type}: {d.label()}" for d in divergences),
            )])
    return out.getvalue()


def _between(divergence: Divergence, pair: Pair) -> bool:
    """Whether a divergence is one between the pair's own two sentences: every span it has lies in
    one of them (a detail one side of a split statement states is no divergence of its other sentence)."""
    spans = [s for s in (divergence.a_span, divergence.b_span) if s is not None]
    return ({divergence.a.article, divergence.b.article} == {pair.a.article, pair.b.article}
            and all(s.member in (pair.a, pair.b) for s in spans))


def to_markdown(alignment: Alignment) -> str:
    """A heading and a table per group, then each article's unaligned sentences; counted from 1, as in the viewer."""
    names = [a.name for a in alignment.articles]
    groups = len(alignment.groups)
    lines = [f"# diffnews: {len(names)} articles, {groups} aligned group{'s' * (groups != 1)}", ""]
    lines += [f"- **{n}**: {_md(name)} ({_md(a.source)})" for n, (name, a) in
              enumerate(zip(names, alignment.articles), 1)]
    lines.append("")
    for g in alignment.groups:
        lines += [f"## Group {g.id + 1} (score {g.score:.2f}{origin_note(g)})", "", "| article | sentence |", "|---|---|"]
        lines += [f"| {_md(names[m.article])} | {_md(alignment.sentence(m).text)} |" for m in g.members]
        if g.divergences:
            lines += ["", "Divergences:", ""]
            lines += [f"- {line.type}: {_md(line.label(names))}" for line in listed(g)]
        lines.append("")
    lines += ["## Unaligned sentences", ""]
    for m in alignment.unaligned():
        lines.append(f"- {_md(names[m.article])}: {_md(alignment.sentence(m).text)}")
    return "\n".join(lines) + "\n"


def origin_note(g: Group) -> str:
    """What a heading says of a group the reader corrected or confirmed."""
    return "" if g.origin == "matcher" else f", {g.origin} by the reader"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a failure leaves the old file or none, never half a file."""
    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())

    replace_atomic(path, write)


def replace_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Make `path` with `write(temporary)`, a file beside it, renamed into place once written: a
    failure leaves the old file or none, never half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError as error:
        raise DiffnewsError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        write(Path(temporary))
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise DiffnewsError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what the umask allows, as open() would."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _member(m: Member) -> dict[str, int]:
    return {"article": m.article, "sentence": m.sentence}


def _pair(p: Pair) -> dict[str, Any]:
    return {"a": _member(p.a), "b": _member(p.b), "score": p.score, "cosine": p.cosine, "lexical": p.lexical}


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text}


def _divergence(d: Divergence) -> dict[str, Any]:
    return {"kind": d.kind, "type": d.type, "a": _member(d.a), "b": _member(d.b),
            "a_span": _span(d.a_span), "b_span": _span(d.b_span)}


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula nor a terminal as an escape."""
    text = visible(str(value))
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


_C1 = re.compile(r"[\x80-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#|!~])")


def _md(text: str) -> str:
    """Article text as literal Markdown: specials escaped, line breaks folded, controls visible."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))
