# feature: assert.diff
def test_bytes():
    assert b"abc" == b"abd"


def test_bytes_vs_str():
    assert b"abc" == "abc"
