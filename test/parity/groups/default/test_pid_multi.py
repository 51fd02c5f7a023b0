# feature: collection.parametrize-ids, marks.parametrize
import pytest


@pytest.mark.parametrize("a", [1, 2])
@pytest.mark.parametrize("b", ["x", "y"])
def test_stacked(a, b):
    assert (a, b) != (2, "y")


@pytest.mark.parametrize(("a", "b"), [(1, 2)])
def test_tuple_names(a, b):
    assert a + 1 == b


@pytest.mark.parametrize(["a", "b"], [[1, 2], [2, 2]])
def test_list_names(a, b):
    assert a < b
