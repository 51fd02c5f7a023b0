# feature: collection.errors, fixtures.errors
import pytest


@pytest.fixture
def direct():
    return 1


value = direct()


def test_never():
    pass
