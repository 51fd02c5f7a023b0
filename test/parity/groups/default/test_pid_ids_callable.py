# feature: collection.parametrize-ids
import pytest


def make_id(value):
    if isinstance(value, int):
        return f"int{value}"
    return None


@pytest.mark.parametrize("a,b", [(1, "x"), (2, "y")], ids=make_id)
def test_callable(a, b):
    assert a == 1


@pytest.mark.parametrize("x", [10, 20], ids=lambda v: f"v{v // 10}")
def test_lambda_ids(x):
    pass
