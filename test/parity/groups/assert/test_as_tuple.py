# feature: assert.diff
def test_tuple():
    assert (1, "a", None) == (1, "b", None)


def test_tuple_length():
    assert (1, 2) == (1, 2, 3)
