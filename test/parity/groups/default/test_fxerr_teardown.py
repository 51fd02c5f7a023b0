# feature: fixtures.errors, fixtures.yield
import pytest


@pytest.fixture
def bad_teardown():
    yield
    raise ValueError("teardown exploded")


def test_passes_then_errors(bad_teardown):
    pass


def test_fails_then_errors(bad_teardown):
    assert 1 == 0


def test_after():
    pass
