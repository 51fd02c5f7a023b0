# feature: output.tb
def helper(x):
    assert x == 1, "helper failed"


def test_direct():
    value = 2
    assert value == 1


def test_in_helper():
    helper(3)
