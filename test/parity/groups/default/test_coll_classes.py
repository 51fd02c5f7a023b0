# feature: collection.discovery, collection.ids
class TestPlain:
    def test_a(self):
        pass

    def test_b(self):
        assert "a" == "b"

    def helper(self):
        raise AssertionError


class NotATest:
    def test_ignored(self):
        raise AssertionError


class TestStatic:
    @staticmethod
    def test_static():
        pass

    @classmethod
    def test_classmethod(cls):
        pass
