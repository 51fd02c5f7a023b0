import pytest

from src_calc import add, divide


def test_add():
    assert add(2, 3) == 5


@pytest.mark.parametrize("a,b,expected", [(1, 1, 2), (2, 3, 5), (-1, 1, 0)])
def test_add_many(a, b, expected):
    assert add(a, b) == expected


def test_divide_by_zero():
    with pytest.raises(ZeroDivisionError):
        divide(1, 0)


def test_add_wrong():
    # An intended failure: shows how fastest explains a failing assert.
    assert add(2, 2) == 5


@pytest.mark.skip(reason="shows a skipped test")
def test_skipped():
    pass


@pytest.mark.xfail(reason="floats are not exact")
def test_float():
    assert 0.1 + 0.2 == 0.3
