# feature: fixtures.errors, fixtures.yield
import pytest


@pytest.fixture
def twice():
    yield 1
    yield 2


@pytest.fixture
def never():
    if False:
        yield


def test_twice(twice):
    assert twice == 1


def test_never(never):
    pass
