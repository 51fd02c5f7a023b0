# feature: collection.select
def test_never():
    assert 0
