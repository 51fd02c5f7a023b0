# feature: fixtures.scopes
import pytest

events = []


@pytest.fixture(scope="module")
def mod():
    events.append("mod+")
    yield
    events.append("mod-")


@pytest.fixture(scope="class")
def cls(mod):
    events.append("cls+")
    yield
    events.append("cls-")


@pytest.fixture
def fn(cls):
    events.append("fn+")
    yield
    events.append("fn-")


class TestA:
    def test_1(self, fn):
        assert events == ["mod+", "cls+", "fn+"]

    def test_2(self, fn):
        assert events == ["mod+", "cls+", "fn+", "fn-", "fn+"]


class TestB:
    def test_3(self, fn):
        assert events[-3:] == ["cls-", "cls+", "fn+"]


def test_last():
    assert events[-2:] == ["fn-", "cls-"]
