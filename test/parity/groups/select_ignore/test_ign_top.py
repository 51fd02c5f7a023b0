# feature: collection.select
def test_top():
    pass
