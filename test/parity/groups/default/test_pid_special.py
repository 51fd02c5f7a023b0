# feature: collection.parametrize-ids
import enum

import pytest


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Thing:
    pass


def func():
    pass


@pytest.mark.parametrize("v", [None, True, False, Color.RED, Color.GREEN, Thing(), func, Thing, b"raw", (1, 2), [1], {"a": 1}])
def test_special(v):
    assert v is not False
