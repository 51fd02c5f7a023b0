# feature: assert.diff
from collections import namedtuple

Pair = namedtuple("Pair", "left right")


class Custom:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, Custom) and self.v == other.v

    def __repr__(self):
        return f"Custom({self.v})"


def test_namedtuple():
    assert Pair(1, 2) == Pair(1, 3)


def test_custom_eq():
    assert Custom(1) == Custom(2)
