# feature: kinds.xunit
class TestNoArgs:
    def setup_method(self):
        self.x = 1

    def teardown_method(self):
        self.x = None

    def test_x(self):
        assert self.x == 1


def setup_module():
    pass


def test_plain():
    pass
