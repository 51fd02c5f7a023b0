# feature: kinds.xunit, fixtures.errors
class TestSetupClassFails:
    @classmethod
    def setup_class(cls):
        raise RuntimeError("setup_class failed")

    def test_a(self):
        pass

    def test_b(self):
        pass


class TestTeardownClassFails:
    @classmethod
    def teardown_class(cls):
        raise RuntimeError("teardown_class failed")

    def test_c(self):
        pass

    def test_d(self):
        pass


def teardown_module():
    raise ValueError("teardown_module failed")


def test_last():
    pass
