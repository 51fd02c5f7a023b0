import pytest


@pytest.fixture(autouse=True, scope="module")
def deeper_mod():
    yield
