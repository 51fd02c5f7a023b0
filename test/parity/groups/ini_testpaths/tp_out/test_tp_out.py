# feature: collection.discovery
def test_out():
    raise AssertionError
