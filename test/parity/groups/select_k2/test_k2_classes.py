# feature: output.keyword
class TestRed:
    def test_a(self):
        pass

    def test_dark(self):
        pass


class TestGreen:
    def test_b(self):
        pass
