# feature: output.keyword
class TestAlpha:
    def test_one(self):
        pass

    def test_slow_two(self):
        pass


class TestOther:
    def test_alpha_method(self):
        pass
