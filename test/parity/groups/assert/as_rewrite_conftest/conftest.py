# feature: assert.rewrite, collection.conftest
import pytest


def check_positive(x):
    assert x > 0


@pytest.fixture
def checker():
    return check_positive
