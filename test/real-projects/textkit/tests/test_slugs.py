import pytest

from textkit import slugify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello World", "hello-world"),
        ("  spaces  ", "spaces"),
        ("Ünïcödé", "unicode"),
        ("a--b", "a-b"),
        ("", ""),
    ],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_separator():
    assert slugify("a b", separator=".") == "a.b"
