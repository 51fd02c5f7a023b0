# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("n", [0, 1, -1, 2.5, 1e20, float("inf"), float("nan"), 10**30, complex(1, 2)])
def test_numbers(n):
    assert n != 1
