# feature: collection.select
def test_kept():
    pass
