# feature: fixtures.errors, assert.compare
import pytest


@pytest.fixture
def checked():
    value = 3
    assert value == 4
    return value


def test_uses(checked):
    pass
