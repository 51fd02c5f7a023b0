# feature: collection.errors
raise RuntimeError("module level failure")


def test_never():
    pass
