# feature: collection.select
import pytest


def test_a():
    pass


def test_b():
    assert 0


class TestC:
    def test_c(self):
        assert 0


@pytest.mark.parametrize("x", [1, 2])
def test_p(x):
    assert x == 2
