# feature: fixtures.override
import pytest


@pytest.fixture
def tmp_path():
    return "not a path"


@pytest.fixture
def capsys():
    return "shadowed"


def test_builtin_overridden(tmp_path):
    assert tmp_path == "not a path"


def test_capsys_overridden(capsys):
    assert capsys == "shadowed"
