"""URLs, fetched from a server on 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from align.model import DiffnewsError
from align.read import fetch, read_source

PAGE = (b"<html><head><title>Talks end in Geneva</title></head><body><nav>Menu</nav><article>"
        b"<p>The talks in Geneva ended on Monday after seven hours, officials said.</p>"
        b"<p>Both delegations agreed to meet again within a month, a spokesman added.</p>"
        b"</article></body></html>")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        routes = {
            "/story.html": (200, "text/html; charset=utf-8", PAGE),
            "/plain.txt": (200, "text/plain; charset=utf-8", b"One sentence here. Another one there."),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/big.txt": (200, "text/plain", b"x" * 5000),
        }
        if self.path == "/slow.txt":
            time.sleep(2)
        status, kind, body = routes.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:  # the client gave up first, as the size and timeout tests make it
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_html_page_is_fetched_and_extracted(server: str) -> None:
    name, text = read_source(f"{server}/story.html")
    assert name == "story"
    assert text.startswith("Talks end in Geneva\n\nThe talks in Geneva ended on Monday")
    assert "Menu" not in text


def test_plain_text_url(server: str) -> None:
    assert read_source(f"{server}/plain.txt")[1] == "One sentence here. Another one there."


@pytest.mark.parametrize(
    ("path", "message"),
    [("/nothing", "answered 404"), ("/image.png", "not text (the server sent image/png)"),
     ("/big.txt", "too large")],
)
def test_each_failure_has_its_own_message(server: str, path: str, message: str) -> None:
    with pytest.raises(DiffnewsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_source(f"{server}{path}", max_chars=1000)


def test_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DiffnewsError, match="connection refused"):
        read_source(f"http://127.0.0.1:{port}/story.html")


def test_unknown_host() -> None:
    with pytest.raises(DiffnewsError, match="cannot find this host"):
        read_source("http://diffnews-test.invalid/story.html")


def test_timeout(server: str) -> None:
    with pytest.raises(DiffnewsError, match="no answer within 0.5 s"):
        fetch(f"{server}/slow.txt", 10_000, timeout=0.5)
