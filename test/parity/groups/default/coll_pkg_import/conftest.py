import pytest


@pytest.fixture
def pkg_value():
    return 3
