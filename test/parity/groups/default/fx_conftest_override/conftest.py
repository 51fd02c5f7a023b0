# feature: fixtures.override, collection.conftest
import pytest


@pytest.fixture
def value():
    return "outer"


@pytest.fixture
def base():
    return 10
