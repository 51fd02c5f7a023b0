# feature: assert.compare
def test_isinstance():
    assert isinstance(1, str)


def test_not_isinstance():
    assert not isinstance("x", str)


def test_callable():
    assert callable(3)
