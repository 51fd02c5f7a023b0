# feature: collection.select
import pytest


class TestA:
    def test_a(self):
        pass

    def test_b(self):
        assert 0


@pytest.mark.parametrize("x", [1, 2, 3])
def test_p(x):
    pass
