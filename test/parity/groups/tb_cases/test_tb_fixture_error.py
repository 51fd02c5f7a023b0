# feature: output.tb, fixtures.errors
import pytest


@pytest.fixture
def broken():
    raise OSError("no resource")


def test_error(broken):
    pass
