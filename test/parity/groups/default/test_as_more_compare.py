# feature: assert.compare
class Node:
    def __init__(self):
        self.child = None

    def depth(self):
        return 0


def test_nested_attr():
    n = Node()
    assert n.child is not None


def test_method_result():
    assert Node().depth() > 0


def test_dict_key_missing():
    d = {"a": 1}
    assert "b" in d.keys()


def test_bool_function():
    def is_ready():
        return False

    assert is_ready()


def test_not_equal_lists():
    assert [1, 2] != [1, 2]


def test_side_effect_once():
    calls = []

    def f():
        calls.append(1)
        return len(calls)

    assert f() == 2
