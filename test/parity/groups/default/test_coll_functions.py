# feature: collection.discovery
def test_one():
    pass


def test_two():
    assert 1 + 1 == 3


def helper_not_collected():
    raise AssertionError("never runs")


test_alias = test_one
