# feature: fixtures.scopes, collection.conftest
import pytest

created = []


@pytest.fixture(scope="package")
def pkg_resource(request):
    created.append(request.node.name)
    return len(created)
