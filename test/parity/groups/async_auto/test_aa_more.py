# feature: kinds.async, fixtures.yield
import asyncio

import pytest

events = []


@pytest.fixture
async def tracked():
    events.append("setup")
    yield "value"
    events.append("teardown")


def test_uses_tracked(tracked):
    assert tracked == "value"


def test_teardown_ran():
    assert events == ["setup", "teardown"]


async def test_timeout_like():
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.01)


async def test_task_exception():
    async def boom():
        raise KeyError("in task")

    await asyncio.create_task(boom())
