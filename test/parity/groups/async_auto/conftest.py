"""The reference for async tests: real pytest plus this minimal event-loop
hook, standing in for pytest-asyncio's auto mode (which cannot be installed
in the sandbox). fastest runs them itself when the ini sets asyncio_mode."""
import asyncio
import inspect

import pytest


def pytest_addoption(parser):
    parser.addini("asyncio_mode", "pytest-asyncio's mode, stood in for by this conftest", default="strict")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None


def _sync_coroutine(func):
    def run(*args, **kwargs):
        return asyncio.run(func(*args, **kwargs))
    return run


def _sync_async_generator(func):
    def run(*args, **kwargs):
        loop = asyncio.new_event_loop()
        agen = func(*args, **kwargs)
        try:
            yield loop.run_until_complete(agen.__anext__())
            try:
                loop.run_until_complete(agen.__anext__())
            except StopAsyncIteration:
                pass
        finally:
            loop.close()
    return run


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    if inspect.iscoroutinefunction(fixturedef.func):
        fixturedef.func = _sync_coroutine(fixturedef.func)
    elif inspect.isasyncgenfunction(fixturedef.func):
        fixturedef.func = _sync_async_generator(fixturedef.func)
