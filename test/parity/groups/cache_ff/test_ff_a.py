# feature: output.cache
def test_first():
    pass


def test_second_fails():
    assert 0
