# feature: marks.skip, marks.custom
import pytest


@pytest.mark.skip(reason="whole class")
class TestSkipped:
    def test_a(self):
        pass

    def test_b(self):
        raise AssertionError


class TestPartly:
    pytestmark = pytest.mark.skipif(True, reason="class pytestmark")

    def test_c(self):
        pass
