# feature: fixtures.errors, fixtures.request
import pytest


@pytest.fixture
def two_bad_finalizers(request):
    def first():
        raise KeyError("first")

    def second():
        raise IndexError("second")

    request.addfinalizer(first)
    request.addfinalizer(second)


def test_it(two_bad_finalizers):
    pass
