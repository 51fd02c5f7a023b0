# feature: output.stop
def test_c():
    pass


def test_d():
    assert 0


def test_e():
    pass
