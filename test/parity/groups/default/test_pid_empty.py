# feature: collection.parametrize-ids, marks.parametrize
import pytest


@pytest.mark.parametrize("x", [])
def test_empty(x):
    pass


def test_other():
    pass
