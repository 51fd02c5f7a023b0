# feature: collection.errors, marks.parametrize
import pytest


@pytest.mark.parametrize("x", [1])
@pytest.mark.parametrize("x", [2])
def test_dup(x):
    pass
