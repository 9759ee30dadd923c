"""Corpus mode's stories: read from a folder of story folders or a manifest, and aligned one by one
into a `diffnews/1` JSON file each.

A folder: one subfolder per story, its articles the files in it (the outlet is the file's name
without its suffix). A manifest: CSV with a header, or JSON lines, giving `story`, `outlet` and
`source` (a path, relative to the manifest, or a URL) for each article, and optionally `title`
and `date`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from align.model import DiffnewsError
from align.read import is_url

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")
STORY_SUFFIX = ".json"


@dataclass(frozen=True)
class Source:
    outlet: str
    source: str
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class Story:
    id: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Settings:
    """What every worker aligns with: the same for every story of a batch."""

    model: str
    threshold: float | None  # None: the pair model's
    pair_model: str | None
    int8: bool
    cache: str | None  # the embedding cache's path; None: no cache
    max_chars: int
    keep_boilerplate: bool
    review: bool  # apply a story's review file (beside its first article) where there is one

    def key(self) -> dict[str, Any]:
        """What a finished story records, so that a rerun with other settings (or another pair
        model in the same file) aligns it again."""
        return {"model": self.model, "threshold": self.threshold, "pair_model": self.pair_model,
                "pair_model_sha256": _file_digest(self.pair_model) if self.pair_model else None, "int8": self.int8,
                "keep_boilerplate": self.keep_boilerplate, "review": self.review}


@dataclass(frozen=True)
class Outcome:
    """One story's result: aligned (its JSON written), skipped (already done), or failed."""

    story: str
    status: str  # "aligned", "skipped" or "failed"
    error: str = ""


def read_corpus(path: Path) -> list[Story]:
    """The stories of a folder of story folders or of a manifest file, in a stable order."""
    if path.is_dir():
        return _from_folder(path)
    if not path.is_file():
        raise DiffnewsError(f"{path}: no such folder or manifest")
    if path.suffix.lower() == ".csv":
        return _from_rows(path, _csv_rows(path))
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _from_rows(path, _jsonl_rows(path))
    raise DiffnewsError(f"{path}: a corpus is a folder of story folders, or a manifest ending .csv or .jsonl")


def _from_folder(folder: Path) -> list[Story]:
    stories = []
    for story in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(p for p in story.iterdir()
                       if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."))
        stories.append(Story(story.name, tuple(Source(p.stem, os.path.abspath(p)) for p in files)))
    if not stories:
        raise DiffnewsError(f"{folder}: holds no story folders (one subfolder of articles per story)")
    return stories


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return list(enumerate(csv.DictReader(stream), 2))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DiffnewsError(f"{path}: cannot read the manifest ({error})") from None


def _jsonl_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DiffnewsError(f"{path}: cannot read the manifest ({error})") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DiffnewsError(f"{path}, line {number}: not JSON ({error.msg})") from None
            rows.append((number, row if isinstance(row, dict) else {}))
    return rows


def _from_rows(path: Path, rows: list[tuple[int, dict[str, Any]]]) -> list[Story]:
    stories: dict[str, list[Source]] = {}
    for number, row in rows:
        story, outlet, source = (str(row.get(k) or "").strip() for k in ("story", "outlet", "source"))
        if not (story and outlet and source):
            raise DiffnewsError(f"{path}, line {number}: a manifest row needs story, outlet and source")
        if not is_url(source):
            source = os.path.abspath(path.parent / source)
        stories.setdefault(story, []).append(
            Source(outlet, source, str(row.get("title") or ""), str(row.get("date") or "")))
    if not stories:
        raise DiffnewsError(f"{path}: the manifest lists no articles")
    return [Story(story, tuple(sources)) for story, sources in sorted(stories.items())]


def story_file(folder: Path, story: str) -> Path:
    """Where a story's JSON goes: its id made safe as a file name."""
    safe = re.sub(r"[^\w.-]+", "_", story).strip("._") or "story"
    return folder / "stories" / (safe + STORY_SUFFIX)


def _file_digest(source: str) -> str | None:
    """The SHA-256 of a file's bytes; None for a URL or a file that cannot be read (its story is
    then aligned again, and fails there with the reason)."""
    if is_url(source):
        return None
    try:
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    except OSError:
        return None


def _review_digest(story: Story, settings: Settings) -> str | None:
    from align.review import default_path

    path = default_path(story.sources[0].source) if settings.review else None
    return _file_digest(str(path)) if path and path.exists() else None


def to_redo(path: Path, story: Story, settings: Settings) -> str | None:
    """Why a story must be aligned (again): "new" when its JSON is not there whole, or what changed
    since: its articles (their content, not only their names), the settings, its review file.
    None when it is done. A URL's page is not fetched again to compare."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "new"
    found = data.get("story", {}) if isinstance(data, dict) else {}
    articles = found.get("articles", []) if isinstance(found, dict) else []
    if found.get("id") != story.id:
        return "new"
    if [a.get("source") for a in articles] != [s.source for s in story.sources]:
        return "its articles changed"
    if any(a.get("sha256") != _file_digest(s.source) for a, s in zip(articles, story.sources) if not is_url(s.source)):
        return "its articles changed"
    if found.get("settings") != settings.key():
        return "the settings changed"
    if found.get("review_sha256") != _review_digest(story, settings):
        return "its review file changed"
    return None


def align_story(story: Story, settings: Settings, embedder: Any, scorer: Any) -> str:
    """The story's alignment as `diffnews/1` JSON text, with a "story" object: its id, the
    settings, and each article's outlet, source, title and date."""
    from align import align, load_articles
    from align import review as rv
    from align.export import to_json

    if len({s.outlet for s in story.sources}) < len(story.sources):
        raise DiffnewsError("two articles of the story have the same outlet")
    articles = load_articles([s.source for s in story.sources], settings.max_chars,
                             detect_boilerplate=not settings.keep_boilerplate)
    articles = tuple(replace(a, name=s.outlet) for a, s in zip(articles, story.sources))
    resolved = None
    sidecar_path = rv.default_path(story.sources[0].source) if settings.review else None
    if sidecar_path and sidecar_path.exists():
        sidecar = rv.Sidecar(sidecar_path)
        resolved = sidecar.resolve(sidecar.read(), articles)
    threshold = scorer.threshold if settings.threshold is None else settings.threshold
    digests = [_file_digest(s.source) for s in story.sources]  # before reading: an edit meanwhile shows next run
    review_digest = _review_digest(story, settings)
    alignment = align(articles, threshold, embedder, None, scorer, resolved)
    return to_json(alignment, {"story": {
        "id": story.id, "settings": settings.key(), "review_sha256": review_digest,
        "articles": [{"outlet": s.outlet, "source": s.source, "title": s.title, "date": s.date, "sha256": d}
                     for s, d in zip(story.sources, digests)],
    }})
