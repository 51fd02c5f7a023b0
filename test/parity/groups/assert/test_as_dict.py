# feature: assert.diff
def test_dict_value():
    assert {"a": 1, "b": 2} == {"a": 1, "b": 3}


def test_dict_keys():
    assert {"a": 1} == {"b": 1}


def test_dict_extra():
    assert {"a": 1, "b": 2, "c": 3} == {"a": 1}


def test_dict_nested():
    assert {"a": {"x": 1}} == {"a": {"x": 2}}


def test_dict_many():
    left = {f"k{i}": i for i in range(20)}
    right = dict(left, k7=-7)
    assert left == right
