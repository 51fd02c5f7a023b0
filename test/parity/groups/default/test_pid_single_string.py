# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("a, b", [(1, 2), (2, 1)])
def test_spaces_in_names(a, b):
    assert a < b


@pytest.mark.parametrize("x", [(1, 2), (3, 4)])
def test_tuple_value(x):
    assert sum(x) == 3
