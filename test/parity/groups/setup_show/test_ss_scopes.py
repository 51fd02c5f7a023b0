# feature: output.setup-show
import pytest


@pytest.fixture(scope="module")
def mod():
    yield


@pytest.fixture
def fn(mod):
    yield


def test_one(fn):
    pass


@pytest.mark.parametrize("x", [1])
def test_param(x, fn):
    pass
