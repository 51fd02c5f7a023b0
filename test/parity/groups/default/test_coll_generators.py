# feature: collection.discovery
def test_plain():
    pass


def test_returns_value():
    return 5
