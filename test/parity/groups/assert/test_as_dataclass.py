# feature: assert.diff
from dataclasses import dataclass, field


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Named:
    name: str
    tags: list = field(default_factory=list)
    hidden: int = field(default=0, compare=False)


def test_dataclass():
    assert Point(1, 2) == Point(1, 3)


def test_dataclass_fields():
    assert Named("a", ["x"], 1) == Named("b", ["y"], 2)


def test_dataclass_types():
    assert Point(1, 2) == (1, 2)
