# feature: marks.xfail, marks.custom
import pytest


@pytest.mark.xfail(reason="class level")
class TestXfailClass:
    def test_fails(self):
        assert 0

    def test_passes(self):
        pass


pytestmark_note = "module not marked"


def test_outside():
    pass
