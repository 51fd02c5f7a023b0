# feature: collection.errors, marks.parametrize
import pytest


@pytest.mark.parametrize("x", [1])
def test_wrong_arg(y):
    pass


def test_fine():
    pass
