# feature: collection.select
def test_whole_file():
    pass
