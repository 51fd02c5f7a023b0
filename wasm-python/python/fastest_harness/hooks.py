"""Conftest and plugin hooks, called as pluggy calls them for pytest.

Plugins (conftest modules, the modules their ``pytest_plugins`` name, objects
given to ``config.pluginmanager.register``) are kept in registration order.
A hook's implementations are called last registered first, ``tryfirst`` ones
before and ``trylast`` ones after the rest; wrappers (``hookwrapper=True``
and ``wrapper=True``) surround them all. A conftest's implementation applies
below its folder when the call names a node (``item.ihook`` in pytest), to
everything otherwise (``config.hook``). Which plugins implement a hook is
cached until the next registration, so a hook nobody implements costs one
dictionary lookup.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from .fixtures import visible

# Hooks the harness calls (and pytest_markeval_namespace, read by conditions.py).
SUPPORTED = frozenset((
    "pytest_addoption", "pytest_configure", "pytest_sessionstart", "pytest_sessionfinish",
    "pytest_report_header", "pytest_ignore_collect", "pytest_collect_file", "pytest_generate_tests",
    "pytest_collection_modifyitems", "pytest_deselected", "pytest_runtest_setup", "pytest_runtest_call",
    "pytest_runtest_teardown", "pytest_runtest_makereport", "pytest_runtest_logreport", "pytest_terminal_summary",
    "pytest_markeval_namespace", "pytest_unconfigure", "pytest_itemcollected", "pytest_collection_finish",
    "pytest_runtest_logstart", "pytest_runtest_logfinish",
))
# Called with firstresult=True by pytest: the first non-None answer wins.
_FIRSTRESULT = frozenset(("pytest_ignore_collect", "pytest_runtest_makereport", "pytest_markeval_namespace"))
# Module attributes named like hooks that are not hooks.
_NOT_HOOKS = frozenset(("pytest_plugins",))


class HookImpl:
    __slots__ = ("function", "baseid", "wrapper", "hookwrapper", "tryfirst", "trylast", "argnames", "plugin")

    def __init__(self, function: Callable, baseid: str | None, plugin: Any) -> None:
        opts = getattr(function, "pytest_impl", None) or {}
        self.function = function
        self.baseid = baseid
        self.plugin = plugin
        self.wrapper = bool(opts.get("wrapper"))
        self.hookwrapper = bool(opts.get("hookwrapper"))
        self.tryfirst = bool(opts.get("tryfirst"))
        self.trylast = bool(opts.get("trylast"))
        try:
            params = inspect.signature(function).parameters
            self.argnames = tuple(n for n, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
        except (TypeError, ValueError):
            self.argnames = ()


class Result:
    """What an old-style ``hookwrapper`` gets back from ``yield`` (pluggy's ``Result``)."""

    def __init__(self, result: Any, exception: BaseException | None) -> None:
        self._result = result
        self._exception = exception

    @property
    def excinfo(self) -> Any:
        exc = self._exception
        return None if exc is None else (type(exc), exc, exc.__traceback__)

    @property
    def exception(self) -> BaseException | None:
        return self._exception

    def get_result(self) -> Any:
        if self._exception is not None:
            raise self._exception.with_traceback(self._exception.__traceback__)
        return self._result

    def force_result(self, result: Any) -> None:
        self._result = result
        self._exception = None

    def force_exception(self, exception: BaseException) -> None:
        self._result = None
        self._exception = exception


class HookRegistry:
    """Every registered plugin, and the hook calls over them."""

    def __init__(self) -> None:
        self.plugins: list[tuple[str | None, Any]] = []
        self._impls: dict[str, list[HookImpl]] = {}
        self.unsupported: list[tuple[str, Any]] = []
        # Names some plugin defines: ``name in registry.defined`` is the cheapest
        # test the runner can make before each phase (a set lookup, no call).
        self.defined: set[str] = set()

    def register(self, plugin: Any, baseid: str | None = None) -> None:
        if any(p is plugin for _b, p in self.plugins):
            return
        self.plugins.append((baseid, plugin))
        self._impls.clear()
        for name in dir(plugin):
            if name.startswith("pytest_") and name not in _NOT_HOOKS and callable(getattr(plugin, name, None)):
                self.defined.add(name)
                if name not in SUPPORTED:
                    self.unsupported.append((name, plugin))

    def unregister(self, plugin: Any) -> None:
        self.plugins = [(b, p) for b, p in self.plugins if p is not plugin]
        self._impls.clear()
        self.defined = {name for _b, p in self.plugins for name in dir(p)
                        if name.startswith("pytest_") and callable(getattr(p, name, None))}

    def impls(self, name: str) -> list[HookImpl]:
        """Implementations of ``name`` in pluggy's list order (the call goes from the end)."""
        found = self._impls.get(name)
        if found is None:
            plain: list[HookImpl] = []
            wrappers: list[HookImpl] = []
            for baseid, plugin in self.plugins:
                function = getattr(plugin, name, None)
                if function is None or not callable(function):
                    continue
                impl = HookImpl(function, baseid, plugin)
                target = wrappers if impl.wrapper or impl.hookwrapper else plain
                if impl.trylast:
                    target.insert(0, impl)
                elif impl.tryfirst:
                    target.append(impl)
                else:
                    at = len(target)
                    while at > 0 and target[at - 1].tryfirst:
                        at -= 1
                    target.insert(at, impl)
            found = self._impls[name] = plain + wrappers
        return found

    def has(self, name: str) -> bool:
        return bool(self._impls.get(name) if name in self._impls else self.impls(name))

    def call(self, name: str, nodeid: str | None = None, /, default: Callable[..., Any] | None = None,
             **kwargs: Any) -> Any:
        """Call hook ``name`` as pluggy does; ``default`` is the harness's own
        implementation, registered before every plugin (so called last)."""
        impls = self._impls.get(name)
        if impls is None:
            impls = self.impls(name)
        if nodeid is not None and impls:
            impls = [i for i in impls if i.baseid is None or visible(i.baseid, nodeid)]
        firstresult = name in _FIRSTRESULT
        if not impls:
            if default is None:
                return None if firstresult else []
            result = default(**kwargs)
            return result if firstresult else ([] if result is None else [result])
        return _multicall(impls, kwargs, firstresult, default)


def _multicall(impls: list[HookImpl], kwargs: dict[str, Any], firstresult: bool,
               default: Callable[..., Any] | None) -> Any:
    results: list[Any] = []
    teardowns: list[tuple[HookImpl, Any]] = []
    exception: BaseException | None = None
    try:
        for impl in reversed(impls):
            args = {n: kwargs[n] for n in impl.argnames if n in kwargs}
            if impl.hookwrapper or impl.wrapper:
                gen = impl.function(**args)
                next(gen)
                teardowns.append((impl, gen))
                continue
            result = impl.function(**args)
            if result is not None:
                results.append(result)
                if firstresult:
                    break
        else:
            if default is not None:
                result = default(**kwargs)
                if result is not None:
                    results.append(result)
    except BaseException as exc:  # noqa: BLE001 - handed to the wrappers, then raised
        exception = exc
    outcome: Any = (results[0] if results else None) if firstresult else results
    for impl, gen in reversed(teardowns):
        if impl.hookwrapper:
            holder = Result(outcome, exception)
            try:
                gen.send(holder)
            except StopIteration:
                pass
            else:
                raise RuntimeError(f"hookwrapper {impl.function.__name__} did not stop after one yield")
            outcome, exception = holder._result, holder._exception
            continue
        try:
            if exception is not None:
                gen.throw(exception)
            else:
                gen.send(outcome)
        except StopIteration as stop:
            outcome, exception = stop.value, None
        except BaseException as exc:  # noqa: BLE001
            exception = exc
        else:
            raise RuntimeError(f"wrapper {impl.function.__name__} did not stop after one yield")
    if exception is not None:
        raise exception
    return outcome
