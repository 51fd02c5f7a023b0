# feature: assert.diff
def test_int_vs_str():
    assert 1 == "1"


def test_list_vs_tuple():
    assert [1, 2] == (1, 2)


def test_none_vs_value():
    assert None == 0  # noqa: E711


def test_float():
    assert 0.1 + 0.2 == 0.3
