# feature: builtins.tmp
import pytest


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("shared")
    (path / "marker").write_text("x")
    return path


def test_shared(shared_dir):
    assert (shared_dir / "marker").read_text() == "x"


def test_numbered(tmp_path_factory):
    a = tmp_path_factory.mktemp("n")
    b = tmp_path_factory.mktemp("n")
    assert a != b
    assert a.name == "n0" and b.name == "n1"


def test_unnumbered(tmp_path_factory):
    p = tmp_path_factory.mktemp("plain", numbered=False)
    assert p.name == "plain"


def test_basetemp(tmp_path_factory):
    assert tmp_path_factory.getbasetemp().is_dir()
