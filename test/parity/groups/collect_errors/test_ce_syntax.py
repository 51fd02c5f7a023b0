# feature: collection.errors
def test_x(:
    pass
