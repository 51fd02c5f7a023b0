# feature: assert.compare
def test_ne():
    x = 5
    assert x != 5


def test_ne_str():
    assert "a" != "a"
