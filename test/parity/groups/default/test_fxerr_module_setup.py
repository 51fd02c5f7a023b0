# feature: fixtures.errors, fixtures.scopes
import pytest


@pytest.fixture(scope="module")
def modfail():
    raise OSError("module resource unavailable")


def test_one(modfail):
    pass


def test_two(modfail):
    pass


def test_three():
    pass
