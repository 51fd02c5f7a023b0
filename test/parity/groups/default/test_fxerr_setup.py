# feature: fixtures.errors
import pytest


@pytest.fixture
def broken():
    raise RuntimeError("setup exploded")


@pytest.fixture
def depends(broken):
    return 1


def test_direct(broken):
    pass


def test_indirect(depends):
    pass


def test_ok():
    pass
