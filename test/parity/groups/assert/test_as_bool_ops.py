# feature: assert.compare
def test_and():
    a, b = 1, 0
    assert a and b


def test_or():
    a, b = 0, ""
    assert a or b


def test_not():
    x = [1]
    assert not x


def test_and_compare():
    x, y = 1, 2
    assert x == 1 and y == 3


def test_or_compare():
    x = 1
    assert x == 2 or x == 3
