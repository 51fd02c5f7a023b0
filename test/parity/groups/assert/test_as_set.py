# feature: assert.diff
def test_set():
    assert {1, 2, 3} == {2, 3, 4}


def test_frozenset():
    assert frozenset([1]) == frozenset([2])


def test_set_subset():
    assert {1, 2} <= {1}
