# feature: assert.compare
def test_all_generator():
    assert all(x > 0 for x in [1, -1])


def test_walrus():
    assert (n := 10) < 5


def test_comprehension():
    assert [x * 2 for x in range(3)] == [0, 2, 5]


def test_subscript():
    data = {"a": [1, 2]}
    assert data["a"][1] == 3
