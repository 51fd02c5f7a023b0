# feature: collection.collect-only
import pytest


def test_a():
    pass


@pytest.mark.parametrize("x", [1, "two", None])
def test_param(x):
    pass


class TestK:
    def test_m(self):
        pass

    class TestInner:
        def test_n(self):
            pass
