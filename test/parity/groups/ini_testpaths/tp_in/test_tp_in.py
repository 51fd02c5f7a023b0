# feature: collection.discovery
def test_in():
    pass
