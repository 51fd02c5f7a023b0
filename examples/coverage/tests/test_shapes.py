import pytest
from pkg.shapes import Circle, Rect, total_area, largest, classify


def test_circle():
    assert Circle(1).area() == pytest.approx(3.14159, rel=1e-4)


def test_negative():
    with pytest.raises(ValueError):
        Circle(-1)


def test_total():
    assert total_area([Rect(1, 2), Rect(3, 4)]) == 14


def test_largest():
    assert largest([Rect(1, 1), Rect(2, 2)]).w == 2


def test_classify():
    assert classify(4) == ["even"]
    assert classify(-1) == "negative"
