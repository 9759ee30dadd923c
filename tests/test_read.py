import pytest

from align.model import DiffnewsError
from align.read import decode, read_source


def test_utf8_bom_is_dropped_and_line_ends_normalised() -> None:
    assert decode("\ufeffOne.\r\nTwo.\rThree.".encode("utf-8"), "x") == "One.\nTwo.\nThree."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x00def", "binary"),
        (b"\xef\xbb\xbfCaf\xe9 au lait", "broken UTF-8"),
        (b"  \n\t\n", "empty"),
    ],
)
def test_undecodable_input_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(DiffnewsError, match=message):
        decode(data, "x")


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(DiffnewsError, match="no such file"):
        read_source(str(tmp_path / "absent.txt"))
    with pytest.raises(DiffnewsError, match="is a directory"):
        read_source(str(tmp_path))


def test_name_is_the_file_stem(tmp_path) -> None:
    path = tmp_path / "reuters-story.txt"
    path.write_text("Hello there.", encoding="utf-8")
    assert read_source(str(path)) == ("reuters-story", "Hello there.")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeffCafé, déjà vu.".encode("utf-16-le"), "Café, déjà vu."),  # BOM first: utf-16 adds it
        ("Caf\u00e9 d\u00e9j\u00e0 vu.".encode("utf-16"), "Café déjà vu."),
        ("Le président a déclaré jeudi que les négociations à Genève avaient été « difficiles » "
         "mais \u201cutiles\u201d.".encode("cp1252"),
         "Le président a déclaré jeudi que les négociations à Genève avaient été « difficiles » "
         "mais \u201cutiles\u201d."),
        ("\u201cQuoted\u201d café naïve résumé \u2013 déjà vu.".encode("cp1252"),
         "\u201cQuoted\u201d café naïve résumé \u2013 déjà vu."),
    ],
)
def test_other_encodings_are_recognised(data: bytes, expected: str) -> None:
    assert decode(data, "x").lstrip("\ufeff") == expected


def test_html_file_gives_the_article_text_with_its_title(tmp_path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Putin warns Biden of colossal mistake</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article>"
        "<p>Vladimir Putin has warned Joe Biden that new sanctions would be a big mistake.</p>"
        "<p>The call lasted 50 minutes on Thursday, a Kremlin aide said afterwards.</p>"
        "<p>Officials wrote &lt;script&gt; in their notes &amp; moved on quickly that day.</p>"
        "</article><footer>Share this on Facebook. Copyright 2021 Example News.</footer></body></html>",
        encoding="utf-8",
    )
    name, text = read_source(str(page))
    assert name == "story"
    assert text.startswith("Putin warns Biden of colossal mistake\n\nVladimir Putin has warned")
    assert "<script> in their notes & moved on" in text
    assert "Home" not in text and "Share this" not in text


def test_html_on_stdin_is_recognised(monkeypatch) -> None:
    import io
    import sys

    html = b"<!DOCTYPE html><html><body><article><p>The leaders spoke for fifty minutes about the border.</p>" \
           b"<p>Both sides said the talks would continue next month in Geneva.</p></article></body></html>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(html)))
    name, text = read_source("-")
    assert name == "stdin" and "<p>" not in text and "fifty minutes" in text


def test_articles_over_the_limit_are_refused(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(DiffnewsError, match="limit of 100 characters"):
        read_source(str(path), max_chars=100)
    assert read_source(str(path), max_chars=10_000)[1].startswith("word")
