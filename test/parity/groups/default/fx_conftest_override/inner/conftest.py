import pytest


@pytest.fixture
def value(value):
    return value + "+inner"


@pytest.fixture
def base():
    return 20
