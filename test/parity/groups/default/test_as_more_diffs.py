# feature: assert.diff
def test_nested_dict_in_list():
    assert [{"a": 1, "b": [1, 2]}] == [{"a": 1, "b": [1, 3]}]


def test_set_of_strings():
    assert {"apple", "banana"} == {"apple", "cherry"}


def test_empty_vs_nonempty():
    assert [] == [0]


def test_str_vs_empty():
    assert "" == "x"


def test_dict_order_irrelevant():
    assert {"a": 1, "b": 2} == {"b": 2, "a": 1}
    assert {"a": 1} == {"a": 1.5}
