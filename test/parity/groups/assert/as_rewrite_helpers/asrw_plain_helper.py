def check_equal_plain(a, b):
    assert a == b
