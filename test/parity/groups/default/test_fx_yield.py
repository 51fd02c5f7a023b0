# feature: fixtures.yield
import pytest

order = []


@pytest.fixture
def first():
    order.append("first+")
    yield 1
    order.append("first-")


@pytest.fixture
def second(first):
    order.append("second+")
    yield 2
    order.append("second-")


def test_both(second):
    assert order == ["first+", "second+"]


def test_after():
    assert order == ["first+", "second+", "second-", "first-"]
