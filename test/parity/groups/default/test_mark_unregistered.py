# feature: marks.custom, output.warnings
import pytest


@pytest.mark.not_registered_anywhere
def test_unknown_mark_warns():
    pass


@pytest.mark.also_unknown
class TestUnknownClassMark:
    def test_in_class(self):
        pass
