import pytest

from align.model import DiffnewsError
from align.read import decode, read_source


def test_utf8_bom_is_dropped_and_line_ends_normalised() -> None:
    assert decode("\ufeffOne.\r\nTwo.\rThree.".encode("utf-8"), "x") == "One.\nTwo.\nThree."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x00def", "binary"),
        ("Caf\u00e9 ol\u00e9".encode("latin-1"), "not UTF-8"),
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
