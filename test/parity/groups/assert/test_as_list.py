# feature: assert.diff
def test_list_index():
    assert [1, 2, 3] == [1, 2, 4]


def test_list_length():
    assert [1, 2, 3] == [1, 2]


def test_list_longer_right():
    assert [1] == [1, 2, 3]


def test_list_long():
    assert list(range(100)) == list(range(99)) + [1000]


def test_nested_list():
    assert [[1, 2], [3, 4]] == [[1, 2], [3, 5]]
