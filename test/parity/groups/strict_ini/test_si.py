# feature: marks.strict
import pytest


@pytest.mark.known
def test_known():
    pass
