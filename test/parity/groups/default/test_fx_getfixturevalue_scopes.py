# feature: fixtures.request, fixtures.errors
import pytest


@pytest.fixture(scope="module")
def mod_fixture(request):
    return request.getfixturevalue("fn_fixture")


@pytest.fixture
def fn_fixture():
    return 1


def test_dynamic_scope_mismatch(mod_fixture):
    pass


@pytest.fixture(params=[1, 2])
def parametrized():
    return 0


def test_dynamic_parametrized(request):
    request.getfixturevalue("parametrized")
