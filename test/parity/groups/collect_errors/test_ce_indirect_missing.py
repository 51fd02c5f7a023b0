# feature: collection.errors, fixtures.params
import pytest


@pytest.mark.parametrize("nofix", [1], indirect=True)
def test_indirect_missing(nofix):
    pass
