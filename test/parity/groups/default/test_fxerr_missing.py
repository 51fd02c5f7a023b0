# feature: fixtures.errors
def test_needs_missing(does_not_exist):
    pass


def test_fine():
    pass
