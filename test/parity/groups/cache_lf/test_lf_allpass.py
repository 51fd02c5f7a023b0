# feature: output.cache
def test_ok():
    pass
