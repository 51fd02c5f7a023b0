# feature: output.stop
import pytest


def test_fail_one():
    assert 0


@pytest.fixture
def broken():
    raise RuntimeError


def test_error_two(broken):
    pass


def test_after():
    pass
