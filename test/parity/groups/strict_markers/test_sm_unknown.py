# feature: marks.strict, collection.errors
import pytest


@pytest.mark.not_registered
def test_unknown():
    pass
