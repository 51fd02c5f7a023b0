# feature: output.verbosity
def test_a():
    pass


def test_b():
    print("captured")
    assert 0
