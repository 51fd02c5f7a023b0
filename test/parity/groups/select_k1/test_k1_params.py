# feature: output.keyword, collection.parametrize-ids
import pytest


@pytest.mark.parametrize("name", ["alpha", "beta", "slow-alpha"])
def test_param(name):
    pass
