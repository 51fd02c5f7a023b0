"""The reference for @pytest.mark.asyncio tests: real pytest plus this
event-loop hook for marked tests only, standing in for pytest-asyncio's
strict mode; unmarked async tests fail as under plain pytest."""
import asyncio
import inspect

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj) and pyfuncitem.get_closest_marker("asyncio"):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None
