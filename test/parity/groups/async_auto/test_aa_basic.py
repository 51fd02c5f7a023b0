# feature: kinds.async
import asyncio

import pytest


async def test_passes():
    await asyncio.sleep(0)


async def test_fails():
    await asyncio.sleep(0)
    assert 1 == 2


async def test_raises():
    raise ValueError("async error")


@pytest.mark.parametrize("n", [1, 2])
async def test_param(n):
    assert n == 1


@pytest.mark.skip(reason="async skip")
async def test_skipped():
    pass


@pytest.mark.xfail(reason="async xfail")
async def test_xfail():
    assert False


async def test_gather():
    results = await asyncio.gather(asyncio.sleep(0, result=1), asyncio.sleep(0, result=2))
    assert results == [1, 2]


class TestAsyncClass:
    async def test_method(self):
        await asyncio.sleep(0)
