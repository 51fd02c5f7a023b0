# feature: collection.errors
value = undefined_name  # noqa: F821


def test_never():
    pass
