# feature: assert.diff
def test_long_strings():
    a = "1234567890" * 5 + "X" + "abcdefghij" * 5
    b = "1234567890" * 5 + "Y" + "abcdefghij" * 5
    assert a == b


def test_prefix_difference():
    assert "a" * 80 + "b" == "a" * 80 + "c"
