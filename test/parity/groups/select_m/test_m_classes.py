# feature: output.markexpr, marks.custom
import pytest


@pytest.mark.slow
class TestSlow:
    def test_a(self):
        pass

    @pytest.mark.net
    def test_b(self):
        pass


class TestPlain:
    def test_c(self):
        pass
