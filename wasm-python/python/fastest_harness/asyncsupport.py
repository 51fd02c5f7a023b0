"""``async def`` tests and async fixtures.

pytest itself runs neither: it fails async tests ("async def functions are
not natively supported") and errors a sync test that requests an async
fixture. Suites with async tests use a plugin, most often pytest-asyncio, and
plugins do not load in the sandbox. So fastest follows pytest-asyncio where a
suite asks for it, and pytest everywhere else:

* ``asyncio_mode = auto`` in the ini: every async test and async fixture runs
  on the event loop (pytest-asyncio's auto mode);
* ``@pytest.mark.asyncio`` on a test: that test, and the async fixtures it
  uses, run on the event loop (pytest-asyncio's strict mode);
* otherwise: pytest's failure and error, with pytest's messages.

All of it runs on one event loop per worker session, so async fixtures of any
scope can share objects with the tests that use them. The loop has no I/O
(the sandbox has no sockets): timers, tasks, futures, queues and locks work.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import time
import warnings
from typing import Any

ASYNC_TEST_MSG = (
    "async def functions are not natively supported.\n"
    "You need to install a suitable plugin for your async framework, for example:\n"
    "  - anyio\n"
    "  - pytest-asyncio\n"
    "  - pytest-tornasync\n"
    "  - pytest-trio\n"
    "  - pytest-twisted"
)


class _SleepSelector:
    """The selector of a loop without file descriptors: waiting is sleeping."""

    def select(self, timeout: float | None = None) -> list:
        if timeout is None:
            raise RuntimeError("the event loop has nothing left to run and waits for I/O, "
                               "which cannot happen inside the sandbox")
        if timeout > 0:
            time.sleep(timeout)
        return []

    def close(self) -> None:
        pass


class SandboxLoop(asyncio.BaseEventLoop):
    """asyncio's base loop with timers, tasks and futures, and no I/O."""

    def __init__(self) -> None:
        super().__init__()
        self._selector = _SleepSelector()

    def _process_events(self, event_list: list) -> None:
        pass

    def _write_to_self(self) -> None:
        pass


_POLICY_BASE: Any = getattr(asyncio.events, "_BaseDefaultEventLoopPolicy", None) or getattr(
    asyncio.events, "BaseDefaultEventLoopPolicy")


class _SandboxPolicy(_POLICY_BASE):  # type: ignore[misc, valid-type]
    _loop_factory = SandboxLoop


def install() -> None:
    """Inside the sandbox, make ``asyncio.run()`` and new loops in test code work as on
    CPython: Pyodide's browser loop cannot block (without stack switching), and
    under WASI a selector loop needs a socket pair for waking itself, so loops
    are SandboxLoops and no loop counts as running between tests."""
    if sys.platform not in ("emscripten", "wasi"):
        return
    webloop = sys.modules.get("pyodide.webloop")
    original = getattr(webloop, "_orig_run", None)
    if original is not None:
        asyncio.run = original
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(_SandboxPolicy())
    asyncio.events._set_running_loop(None)


def is_async(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


def handles(item: Any) -> bool:
    """Whether async code of this item runs on the loop (auto mode, or the asyncio mark)."""
    config = item.config
    mode = config.stash.get("asyncio_mode")
    if mode is None:
        mode = config.stash["asyncio_mode"] = str(config._ini.get("asyncio_mode") or "strict").strip()
    return mode == "auto" or item.get_closest_marker("asyncio") is not None


def run(config: Any, awaitable: Any) -> Any:
    """Run ``awaitable`` to completion on the session's loop."""
    loop = config.stash.get("asyncio_loop")
    if loop is None or loop.is_closed():
        loop = config.stash["asyncio_loop"] = SandboxLoop()
        config.add_cleanup(lambda: _close(loop))
    # Pyodide counts its browser-driven loop as always running: step it aside.
    outer = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(awaitable)
    finally:
        asyncio.set_event_loop(None)
        asyncio.events._set_running_loop(outer)


def _close(loop: SandboxLoop) -> None:
    outer = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()
        asyncio.events._set_running_loop(outer)


def unhandled_fixture_error(request: Any) -> Exception:
    """pytest 9's error for a test requesting an async fixture no plugin handles."""
    from .warnings_types import PytestRemovedIn9Warning
    auto = " with autouse=True" if request._fixturedef.autouse else ""
    return PytestRemovedIn9Warning(
        f"{request.node.name!r} requested an async fixture {request.fixturename!r}{auto}, with no plugin or "
        "hook that handled it. This is usually an error, as pytest does not natively support it. "
        "This will turn into an error in pytest 9.\n"
        "See: https://docs.pytest.org/en/stable/deprecations.html#sync-test-depending-on-async-fixture")


def call_fixture(func: Any, kwargs: dict, request: Any) -> tuple[Any, Any]:
    """(value, finalizer or None) of an async fixture function."""
    item = request._pyfuncitem
    if not handles(item):
        raise unhandled_fixture_error(request)
    config = item.config
    if inspect.isasyncgenfunction(func):
        gen = func(**kwargs)
        try:
            value = run(config, gen.__anext__())
        except StopAsyncIteration:
            raise ValueError(f"{request.fixturename} did not yield a value") from None

        def finish() -> None:
            try:
                run(config, gen.__anext__())
            except StopAsyncIteration:
                return
            raise ValueError(f"fixture function {request.fixturename!r} has more than one 'yield'")
        return value, finish
    return run(config, func(**kwargs)), None
