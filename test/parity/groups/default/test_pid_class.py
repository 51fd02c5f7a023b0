# feature: collection.parametrize-ids, marks.parametrize
import pytest


@pytest.mark.parametrize("n", [1, 2])
class TestParamClass:
    def test_a(self, n):
        assert n == 1

    @pytest.mark.parametrize("m", [3])
    def test_b(self, n, m):
        assert n < m
