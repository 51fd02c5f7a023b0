# feature: assert.compare
def test_in_list():
    assert 4 in [1, 2, 3]


def test_not_in_list():
    assert 2 not in [1, 2, 3]


def test_in_str():
    assert "z" in "abc"


def test_not_in_str():
    assert "bc" not in "abcd"


def test_in_dict():
    assert "k" in {"a": 1}


def test_not_in_long_text():
    text = "lorem ipsum " * 20 + "needle" + " dolor" * 20
    assert "needle" not in text
