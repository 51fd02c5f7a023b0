# feature: kinds.xunit, fixtures.errors
def setup_module():
    raise ImportError("setup_module failed")


def test_a():
    pass


def test_b():
    pass
