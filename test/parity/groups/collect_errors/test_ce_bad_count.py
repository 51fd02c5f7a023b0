# feature: collection.errors, marks.parametrize
import pytest


@pytest.mark.parametrize("a,b", [(1, 2), (3,)])
def test_count(a, b):
    pass
