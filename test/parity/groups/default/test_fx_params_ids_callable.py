# feature: fixtures.params, collection.parametrize-ids
import pytest


@pytest.fixture(params=[(1, 2), (3, 4)], ids=lambda p: f"pair{p[0]}")
def pair(request):
    return request.param


def test_pair(pair):
    assert pair[0] < pair[1]


@pytest.fixture(scope="module", params=["m1", "m2"])
def modparam(request):
    return request.param


def test_modparam_a(modparam):
    assert modparam.startswith("m")


def test_modparam_b(modparam):
    assert modparam == "m1"
