# feature: assert.compare
def double(x):
    return x * 2


class Box:
    def __init__(self, v):
        self.v = v

    def get(self):
        return self.v


def test_call():
    assert double(2) == 5


def test_nested_calls():
    assert double(double(1)) == 3


def test_attribute():
    box = Box(3)
    assert box.v == 4


def test_method():
    assert Box(1).get() == 2


def test_len():
    assert len([1, 2]) == 3


def test_truthy_call():
    assert double(0)


def test_builtin_any():
    assert any([0, 0])
