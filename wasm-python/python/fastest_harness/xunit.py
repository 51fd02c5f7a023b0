"""xunit-style setup/teardown (``setup_module``, ``setup_function``,
``setup_class``, ``setup_method`` and their teardowns) as autouse fixtures,
registered ahead of the module's or class's own fixtures, as pytest does."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .fixtures import FixtureDef, FixtureFunctionDefinition, FixtureManager


def _first_plain(holder: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        func = getattr(holder, name, None)
        if func is not None and not isinstance(func, FixtureFunctionDefinition):
            return func
    return None


def _call_optional(func: Callable, arg: Any) -> None:
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    count = code.co_argcount if code is not None else 1
    if inspect.ismethod(func):
        count -= 1
    if count:
        func(arg)
    else:
        func()


def _register(manager: FixtureManager, name: str, func: Callable, scope: str, baseid: str) -> None:
    manager.add(FixtureDef(name, func, scope, None, None, True, baseid, argnames=("request",)))


def register_module_fixtures(manager: FixtureManager, node: Any) -> None:
    module = node.obj
    setup_module = _first_plain(module, ("setUpModule", "setup_module"))
    teardown_module = _first_plain(module, ("tearDownModule", "teardown_module"))
    if setup_module is not None or teardown_module is not None:
        def xunit_setup_module_fixture(request: Any) -> Any:
            if setup_module is not None:
                _call_optional(setup_module, request.module)
            yield
            if teardown_module is not None:
                _call_optional(teardown_module, request.module)

        _register(manager, f"_xunit_setup_module_fixture_{module.__name__}", xunit_setup_module_fixture,
                  "module", node.nodeid)

    setup_function = _first_plain(module, ("setup_function",))
    teardown_function = _first_plain(module, ("teardown_function",))
    if setup_function is not None or teardown_function is not None:
        def xunit_setup_function_fixture(request: Any) -> Any:
            if request.instance is not None:
                yield
                return
            function = request.function
            if setup_function is not None:
                _call_optional(setup_function, function)
            yield
            if teardown_function is not None:
                _call_optional(teardown_function, function)

        _register(manager, f"_xunit_setup_function_fixture_{module.__name__}", xunit_setup_function_fixture,
                  "function", node.nodeid)


def register_class_fixtures(manager: FixtureManager, node: Any) -> None:
    cls = node.obj
    qualname = f"{cls.__module__}.{cls.__qualname__}"
    setup_class = _first_plain(cls, ("setup_class",))
    teardown_class = getattr(cls, "teardown_class", None)
    if setup_class is not None or teardown_class is not None:
        def xunit_setup_class_fixture(request: Any) -> Any:
            if setup_class is not None:
                _call_optional(getattr(setup_class, "__func__", setup_class), cls)
            yield
            if teardown_class is not None:
                _call_optional(getattr(teardown_class, "__func__", teardown_class), cls)

        _register(manager, f"_xunit_setup_class_fixture_{qualname}", xunit_setup_class_fixture,
                  "class", node.nodeid)

    has_setup = _first_plain(cls, ("setup_method",)) is not None
    has_teardown = getattr(cls, "teardown_method", None) is not None
    if has_setup or has_teardown:
        def xunit_setup_method_fixture(request: Any) -> Any:
            instance = request.instance
            method = request.function
            if has_setup:
                _call_optional(getattr(instance, "setup_method"), method)
            yield
            if has_teardown:
                _call_optional(getattr(instance, "teardown_method"), method)

        _register(manager, f"_xunit_setup_method_fixture_{qualname}", xunit_setup_method_fixture,
                  "function", node.nodeid)
