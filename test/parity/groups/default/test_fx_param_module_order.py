# feature: fixtures.params, fixtures.scopes
import pytest

log = []


@pytest.fixture(scope="module", params=["a", "b"])
def res(request):
    log.append("setup " + request.param)
    yield request.param
    log.append("teardown " + request.param)


def test_one(res):
    pass


def test_two(res):
    pass


def test_order():
    assert log == ["setup a", "teardown a", "setup b", "teardown b"]
