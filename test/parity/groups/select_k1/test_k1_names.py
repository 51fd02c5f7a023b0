# feature: output.keyword
def test_alpha():
    pass


def test_alpha_slow():
    pass


def test_beta():
    pass


def test_ALPHA_upper():
    assert 0
