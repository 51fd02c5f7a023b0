# feature: fixtures.scopes
import pytest

calls = []


@pytest.fixture(scope="session")
def sess():
    calls.append(1)
    return len(calls)


def test_a(sess):
    assert sess == 1


def test_b(sess):
    assert calls == [1]
