# feature: builtins.tmp
import pathlib


def test_is_dir(tmp_path):
    assert isinstance(tmp_path, pathlib.Path)
    assert tmp_path.is_dir()


def test_empty(tmp_path):
    assert list(tmp_path.iterdir()) == []


def test_write_read(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    target.parent.mkdir()
    target.write_text("hello")
    assert target.read_text() == "hello"


def test_unique(tmp_path, tmp_path_factory):
    other = tmp_path_factory.mktemp("data")
    assert other != tmp_path
    assert other.name.startswith("data")


def test_name(tmp_path):
    assert tmp_path.name.startswith("test_name")


def test_fails(tmp_path):
    assert (tmp_path / "missing").exists()
