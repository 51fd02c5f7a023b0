# feature: fixtures.autouse
import pytest

calls = []


@pytest.fixture(autouse=True)
def track():
    calls.append("auto")
    yield
    calls.append("done")


def test_first():
    assert calls == ["auto"]


def test_second():
    assert calls == ["auto", "done", "auto"]


class TestAutoClass:
    @pytest.fixture(autouse=True)
    def inner(self):
        calls.append("inner")

    def test_in_class(self):
        assert calls[-2:] == ["auto", "inner"]
