# feature: fixtures.scopes
import pytest


@pytest.fixture(scope="class")
def counter():
    return {"n": 0}


class TestShared:
    def test_one(self, counter):
        counter["n"] += 1
        assert counter["n"] == 1

    def test_two(self, counter):
        counter["n"] += 1
        assert counter["n"] == 2


class TestFresh:
    def test_one(self, counter):
        assert counter["n"] == 0


def test_outside(counter):
    assert counter["n"] == 1
