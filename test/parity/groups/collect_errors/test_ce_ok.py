# feature: collection.errors
def test_still_runs():
    pass


def test_still_fails():
    assert 0
