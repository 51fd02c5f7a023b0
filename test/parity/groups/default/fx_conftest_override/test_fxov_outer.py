def test_outer(value):
    assert value == "outer"
