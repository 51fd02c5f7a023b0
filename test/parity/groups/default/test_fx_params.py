# feature: fixtures.params
import pytest


@pytest.fixture(params=[1, 2, 3])
def num(request):
    return request.param


@pytest.fixture(params=["a", "b"], ids=["alpha", "beta"])
def letter(request):
    return request.param


def test_num(num):
    assert num != 2


def test_cross(num, letter):
    assert num or letter


@pytest.fixture(params=[pytest.param(0, id="zero"), pytest.param(1, marks=pytest.mark.skip(reason="skip one"))])
def marked(request):
    return request.param


def test_marked(marked):
    assert marked == 0
