# feature: collection.discovery
def it_works():
    pass


def should_fail():
    assert 0


def test_not_collected():
    raise AssertionError


class DescribeThing:
    def it_has_method(self):
        pass


class TestNotCollected:
    def it_never(self):
        raise AssertionError


class MySuite:
    def should_run(self):
        pass
