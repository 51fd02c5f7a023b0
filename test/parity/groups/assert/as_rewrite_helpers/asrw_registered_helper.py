def check_equal(a, b):
    assert a == b
