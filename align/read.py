"""Read articles from files or stdin into text, refusing what is not readable text."""

from __future__ import annotations

import sys
from pathlib import Path

from align.model import DiffnewsError


def read_source(source: str) -> tuple[str, str]:
    """Return `(name, text)` for a path or `-` (stdin); raise DiffnewsError on bad input."""
    if source == "-":
        return "stdin", decode(sys.stdin.buffer.read(), "stdin")
    path = Path(source)
    if not path.exists():
        raise DiffnewsError(f"{source}: no such file")
    if path.is_dir():
        raise DiffnewsError(f"{source}: is a directory, not an article")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DiffnewsError(f"{source}: cannot read ({error.strerror or error})") from None
    return path.stem, decode(data, source)


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is dropped) with line ends made `\\n`; binary or empty input is refused."""
    if b"\x00" in data:
        raise DiffnewsError(f"{source}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DiffnewsError(
            f"{source}: not UTF-8 text (undecodable byte at position {error.start})"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DiffnewsError(f"{source}: the article is empty")
    return text
