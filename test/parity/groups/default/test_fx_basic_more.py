# feature: fixtures.basic
import pytest


@pytest.fixture
def data():
    return {"items": [1, 2, 3]}


@pytest.fixture
def total(data):
    return sum(data["items"])


@pytest.fixture
def mutable():
    return []


def test_total(total):
    assert total == 6


def test_fresh_per_test_a(mutable):
    mutable.append(1)
    assert mutable == [1]


def test_fresh_per_test_b(mutable):
    assert mutable == []


def test_wrong_total(total, data):
    assert total == len(data["items"])


class TestFixtureInClass:
    @pytest.fixture
    def method_fixture(self):
        return self.__class__.__name__

    def test_method_fixture(self, method_fixture):
        assert method_fixture == "TestFixtureInClass"
