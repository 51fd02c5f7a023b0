# feature: collection.errors
def test_not_run():
    pass
