# feature: marks.strict
import pytest

pytestmark = pytest.mark.unknown_module_mark


def test_x():
    pass
