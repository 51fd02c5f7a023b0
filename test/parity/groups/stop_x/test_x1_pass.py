# feature: output.stop, output.exitcodes
def test_a():
    pass


def test_b():
    pass
