# feature: fixtures.autouse, collection.conftest
import pytest


@pytest.fixture(autouse=True)
def env_marker(request):
    request.node.user_marker = "set"
