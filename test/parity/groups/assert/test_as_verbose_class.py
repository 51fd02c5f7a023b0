# feature: output.verbosity
class TestV:
    def test_m(self):
        pass
