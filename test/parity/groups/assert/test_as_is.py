# feature: assert.compare
def test_is_none():
    x = 0
    assert x is None


def test_is_not_none():
    x = None
    assert x is not None


def test_is_objects():
    a, b = [], []
    assert a is b


def test_is_true():
    assert 1 is True
