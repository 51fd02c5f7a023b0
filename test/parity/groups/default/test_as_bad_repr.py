# feature: assert.compare
class BadRepr:
    def __repr__(self):
        raise RuntimeError("repr broke")


def test_bad_repr():
    assert BadRepr() == 1


class LongRepr:
    def __repr__(self):
        return "L" * 500


def test_long_repr():
    assert LongRepr() == 2
