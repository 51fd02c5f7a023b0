def test_never():
    raise AssertionError
