# feature: assert.compare
def test_lt():
    assert 3 < 2


def test_le():
    assert 3 <= 2


def test_gt():
    assert 1 > 2


def test_ge():
    assert 1 >= 2


def test_chain():
    x = 5
    assert 1 < x < 3
