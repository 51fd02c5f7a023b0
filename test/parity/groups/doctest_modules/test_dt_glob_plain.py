# feature: kinds.doctest
def test_plain():
    pass
