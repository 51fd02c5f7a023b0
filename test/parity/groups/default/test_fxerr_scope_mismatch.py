# feature: fixtures.errors, fixtures.scopes
import pytest


@pytest.fixture
def narrow():
    return 1


@pytest.fixture(scope="module")
def wide(narrow):
    return narrow


def test_mismatch(wide):
    pass
