# feature: output.cache
def test_passes():
    pass


def test_fails():
    assert 0


class TestK:
    def test_fails_too(self):
        assert 1 == 2
