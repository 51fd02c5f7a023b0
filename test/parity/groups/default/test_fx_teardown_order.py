# feature: fixtures.yield, fixtures.scopes
import pytest

log = []


@pytest.fixture(scope="module")
def outer():
    yield
    log.append("outer-")


@pytest.fixture
def a(outer):
    yield
    log.append("a-")


@pytest.fixture
def b(a):
    yield
    log.append("b-")


@pytest.fixture
def c():
    yield
    log.append("c-")


def test_stack(b, c):
    pass


def test_order_after():
    assert log == ["c-", "b-", "a-"]


def test_teardown_error_does_not_stop_others(request):
    def bad():
        raise RuntimeError("bad finalizer")

    request.addfinalizer(lambda: log.append("still runs"))
    request.addfinalizer(bad)
