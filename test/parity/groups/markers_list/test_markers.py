# feature: output.fixtures, marks.strict
import pytest


@pytest.mark.slow
def test_x():
    pass
