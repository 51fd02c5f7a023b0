# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("a,b", [(1, 2), (3, 4), (5, 6)], ids=["first", "second", None])
def test_ids_list(a, b):
    assert a < b


@pytest.mark.parametrize("x", [1, 2], ids=["same", "same"])
def test_duplicate_explicit(x):
    assert x == 1
