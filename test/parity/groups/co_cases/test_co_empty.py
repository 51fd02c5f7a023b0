# feature: collection.collect-only
def helper():
    pass


def test_only_one():
    pass
