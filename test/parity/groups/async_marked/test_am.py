# feature: kinds.async
import asyncio

import pytest


@pytest.mark.asyncio
async def test_marked_passes():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_marked_fails():
    assert await asyncio.sleep(0, result=1) == 2


async def test_unmarked_is_not_run():
    pass


@pytest.mark.asyncio
class TestMarkedClass:
    async def test_in_class(self):
        await asyncio.sleep(0)
