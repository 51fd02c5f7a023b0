# feature: output.cache
def test_third_fails():
    assert 0
