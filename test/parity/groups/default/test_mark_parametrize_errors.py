# feature: marks.parametrize
import pytest


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.parametrize("y", [10])
@pytest.mark.parametrize("z", ["a", "b"])
def test_three_way(x, y, z):
    assert not (x == 2 and z == "b")


@pytest.mark.parametrize("x", range(3))
def test_range(x):
    assert x < 2


@pytest.mark.parametrize("x", (v * 2 for v in range(2)))
def test_generator(x):
    pass
