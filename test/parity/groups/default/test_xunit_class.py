# feature: kinds.xunit
log = []


class TestXunit:
    @classmethod
    def setup_class(cls):
        log.append("setup_class")

    @classmethod
    def teardown_class(cls):
        log.append("teardown_class")

    def setup_method(self, method):
        log.append("setup_method:" + method.__name__)

    def teardown_method(self, method):
        log.append("teardown_method")

    def test_a(self):
        assert log == ["setup_class", "setup_method:test_a"]

    def test_b(self):
        assert log[-1] == "setup_method:test_b"


def test_after_class():
    assert log[-1] == "teardown_class"
