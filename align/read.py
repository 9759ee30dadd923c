"""Read articles from files, URLs or stdin into plain text, refusing what is not readable text."""

from __future__ import annotations

import codecs
import re
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from align.model import DiffnewsError

DEFAULT_MAX_CHARS = 1_000_000  # about 150,000 words: far past any article
FETCH_TIMEOUT = 15.0
_BYTES_PER_CHAR = 4  # UTF-8's worst case, to refuse a huge file before reading it
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<article|<!--)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def is_url(source: str) -> bool:
    """Whether a source names a page to fetch (http or https) rather than a file or stdin."""
    return source.startswith(("http://", "https://"))


def read_source(source: str, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, str]:
    """Return `(name, text)` for a path, an http(s) URL or `-` (stdin); raise DiffnewsError on bad input."""
    max_bytes = max_chars * _BYTES_PER_CHAR
    if source == "-":
        data, name, is_html = sys.stdin.buffer.read(max_bytes + 1), "stdin", None
    elif is_url(source):
        data, is_html = fetch(source, max_bytes)
        name = Path(urlparse(source).path).stem or urlparse(source).hostname or "page"
    else:
        data, name = _read_file(source, max_bytes)
        is_html = Path(source).suffix.lower() in (".html", ".htm", ".xhtml") or None
    if len(data) > max_bytes:
        raise DiffnewsError(f"{source}: larger than the limit of {max_chars:,} characters (see --max-chars)")
    if is_html is None:
        is_html = bool(_HTML_START.match(data[:1024]))
    text = decode(data, source)
    if is_html:
        text = html_to_text(text, source)
    if len(text) > max_chars:
        raise DiffnewsError(f"{source}: {len(text):,} characters, over the limit of {max_chars:,} (see --max-chars)")
    return name, text


def _read_file(source: str, max_bytes: int) -> tuple[bytes, str]:
    path = Path(source)
    if not path.exists():
        raise DiffnewsError(f"{source}: no such file")
    if path.is_dir():
        raise DiffnewsError(f"{source}: is a directory, not an article")
    try:
        with path.open("rb") as stream:
            return stream.read(max_bytes + 1), path.stem
    except OSError as error:
        raise DiffnewsError(f"{source}: cannot read ({error.strerror or error})") from None


def decode(data: bytes, source: str) -> str:
    """Text from bytes: a BOM's encoding, else UTF-8, else a detected legacy encoding; line ends made `\\n`."""
    text = _decode(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DiffnewsError(f"{source}: the article is empty")
    return text


def _decode(data: bytes, source: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                label = encoding.upper().removesuffix("-SIG")
                raise DiffnewsError(f"{source}: broken {label} text (undecodable after its byte-order mark)") from None
    if b"\x00" in data:
        raise DiffnewsError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding.startswith("utf"):
        raise DiffnewsError(f"{source}: not text in an encoding diffnews can recognise")
    # Short texts often fit several code pages equally well: prefer the web's usual one.
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return str(next((m for m in tied if m.encoding == "cp1252"), best))


def html_to_text(html: str, source: str) -> str:
    """The main text of a web page (title first, as its headline); menus, footers and share bars dropped."""
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False)
    body, title = _field(document, "text"), _field(document, "title").strip()
    if not body.strip():
        raise DiffnewsError(f"{source}: no article text found in this HTML page")
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    if title and not paragraphs[0].startswith(title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs) + "\n"


def _field(document: object, name: str) -> str:
    """A field of trafilatura's answer: a Document, a dict in some of its modes, or None."""
    value = document.get(name) if isinstance(document, dict) else getattr(document, name, None)
    return value if isinstance(value, str) else ""


def fetch(url: str, max_bytes: int, timeout: float = FETCH_TIMEOUT) -> tuple[bytes, bool]:
    """The body of a web page and whether it is HTML; each failure becomes one plain sentence."""
    request = urllib.request.Request(url, headers={"User-Agent": "diffnews (+https://pypi.org/project/diffnews)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if not (kind.startswith("text/") or kind in ("application/xhtml+xml", "application/xml")):
                raise DiffnewsError(f"{url}: not text (the server sent {kind})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise DiffnewsError(f"{url}: too large ({int(length):,} bytes; see --max-chars)")
            data = response.read(max_bytes + 1)
            return data, kind in ("text/html", "application/xhtml+xml")
    except urllib.error.HTTPError as error:
        raise DiffnewsError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise DiffnewsError(f"{url}: {_network_reason(error.reason)}") from None
    except (TimeoutError, socket.timeout):
        raise DiffnewsError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as error:
        raise DiffnewsError(f"{url}: {_network_reason(error)}") from None


def _network_reason(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "cannot find this host (DNS lookup failed)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {FETCH_TIMEOUT:g} s"
    return f"cannot fetch ({reason})"
