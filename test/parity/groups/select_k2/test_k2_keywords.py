# feature: output.keyword
import pytest


@pytest.fixture
def red():
    return 1


def test_uses_red_fixture(red):
    pass


def test_plain():
    """A red docstring does not count."""
