# feature: collection.parametrize-ids
import pytest


@pytest.mark.parametrize("v", [1, "1", 1.0, True])
def test_same_repr(v):
    pass


@pytest.mark.parametrize("v", [-1, 0.1, -0.5, 1e-10])
def test_floats(v):
    pass


@pytest.mark.parametrize("v", [pytest.param(1, id="with space"), pytest.param(2, id="a/b::c"), pytest.param(3, id="")])
def test_odd_ids(v):
    assert v != 2


@pytest.mark.parametrize("a,b", [(None, None), ("", "")])
def test_empty_values(a, b):
    pass


@pytest.mark.parametrize("obj", [object, type, len, print])
def test_builtin_objects(obj):
    pass
