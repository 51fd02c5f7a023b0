# feature: fixtures.errors
import pytest


@pytest.fixture
def a(b):
    return 1


@pytest.fixture
def b(a):
    return 2


def test_cycle(a):
    pass
