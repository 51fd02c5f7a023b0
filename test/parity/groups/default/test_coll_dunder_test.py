# feature: collection.skipped
class TestDisabled:
    __test__ = False

    def test_never(self):
        raise AssertionError


class TestEnabled:
    __test__ = True

    def test_runs(self):
        pass


def test_function_disabled():
    raise AssertionError


test_function_disabled.__test__ = False
