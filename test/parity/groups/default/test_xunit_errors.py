# feature: kinds.xunit, fixtures.errors
def setup_function(function):
    if function.__name__ == "test_setup_fails":
        raise RuntimeError("setup_function failed")


def teardown_function(function):
    if function.__name__ == "test_teardown_fails":
        raise RuntimeError("teardown_function failed")


def test_setup_fails():
    pass


def test_teardown_fails():
    pass


def test_fine():
    pass


class TestClassSetupFails:
    def setup_method(self):
        raise ValueError("setup_method failed")

    def test_x(self):
        pass
