# feature: assert.diff
def test_short_strings():
    assert "spam" == "eggs"


def test_one_char():
    assert "abc" == "abd"
