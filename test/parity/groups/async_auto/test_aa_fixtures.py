# feature: kinds.async
import asyncio

import pytest


@pytest.fixture
async def value():
    await asyncio.sleep(0)
    return 5


@pytest.fixture
async def resource():
    yield "open"
    await asyncio.sleep(0)


@pytest.fixture
async def broken():
    raise RuntimeError("async fixture failed")


def test_sync_uses_async(value):
    assert value == 5


async def test_async_uses_async(value):
    assert value == 6


def test_async_gen(resource):
    assert resource == "open"


def test_broken(broken):
    pass
