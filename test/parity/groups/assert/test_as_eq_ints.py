# feature: assert.compare
def test_eq():
    assert 1 == 2


def test_expr():
    a, b = 3, 4
    assert a + 1 == b * 2
