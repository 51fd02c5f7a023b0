# feature: output.stop
def test_f():
    pass
