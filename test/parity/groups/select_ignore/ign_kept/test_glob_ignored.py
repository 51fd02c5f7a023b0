def test_never_either():
    assert 0
