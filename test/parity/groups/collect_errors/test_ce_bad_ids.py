# feature: collection.errors, collection.parametrize-ids
import pytest


@pytest.mark.parametrize("x", [1, 2], ids=["only one"])
def test_ids(x):
    pass
