# feature: kinds.async
import pytest


async def test_not_natively_supported():
    pass


@pytest.fixture
async def async_value():
    return 1


def test_sync_test_async_fixture(async_value):
    pass
