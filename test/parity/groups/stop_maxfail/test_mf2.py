# feature: output.stop
def test_never():
    pass
