# feature: output.cache
def test_a():
    pass


def test_b_fails():
    assert 0


def test_c():
    pass
