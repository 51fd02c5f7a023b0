# feature: collection.collect-only, collection.ids
def test_deep():
    pass
