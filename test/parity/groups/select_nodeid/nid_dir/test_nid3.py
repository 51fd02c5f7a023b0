# feature: collection.select
def test_in_dir():
    pass


def test_not_selected():
    pass
