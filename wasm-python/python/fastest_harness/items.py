"""Test items: ``Function`` (a test function or method, maybe parametrized)."""

from __future__ import annotations

import inspect
import warnings
from types import FunctionType, MethodType
from typing import Any

from . import asyncsupport, setupshow
from .requests import FixtureRequest
from .marks import get_unpacked_marks
from .nodes import CallSpec, Node
from .outcomes import fail


from .warnings_types import PytestCollectionWarning, PytestReturnNotNoneWarning  # noqa: F401


_ASYNC_MSG = asyncsupport.ASYNC_TEST_MSG
_ASYNC_FLAGS = inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def _plain_sync(func: Any) -> bool:
    """Whether ``func`` is a ``def`` function (or a method of one) that inspect
    calls neither a coroutine function nor an async generator function: read
    off its code flags when nothing inspect unwraps or marks is there."""
    raw = func.__func__ if type(func) is MethodType else func
    if type(raw) is not FunctionType:
        return False
    attrs = raw.__dict__
    if "__partialmethod__" in attrs or "_partialmethod" in attrs or "_is_coroutine_marker" in attrs:
        return False
    return not raw.__code__.co_flags & _ASYNC_FLAGS


class Function(Node):
    """One test: a function or method plus, when parametrized, one call spec."""

    kind = "function"

    def __init__(self, name: str, parent: Node, nodeid: str, function: Any, originalname: str,
                 callspec: CallSpec | None = None) -> None:
        super().__init__(name, parent, nodeid)
        self.function = function
        self.originalname = originalname
        self.callspec = callspec
        self.own_markers.extend(get_unpacked_marks(function))
        if callspec is not None:
            self.own_markers.extend(callspec.marks)
            if callspec._idlist:
                dict.__setitem__(self.keywords, callspec.id, True)
        try:
            for key, value in vars(function).items():
                dict.__setitem__(self.keywords, key, value)
        except TypeError:
            pass
        for mark in self.own_markers:
            dict.__setitem__(self.keywords, mark.name, mark)
        self.funcargs: dict[str, Any] = {}
        self.fixturenames: list[str] = []
        self._arg2fixturedefs: dict[str, list] = {}
        self._argnames: tuple[str, ...] = ()
        self._instance: Any = None
        self._request: FixtureRequest | None = None
        self.location: tuple[str, int | None, str] = ("", None, "")
        self.user_properties: list[tuple[str, Any]] = []
        self._report_sections: list[tuple[str, str, str]] = []

    # -- pytest's Function attributes
    @property
    def cls(self) -> Any:
        return self.parent.obj if self.parent.kind == "class" else None

    @property
    def module(self) -> Any:
        node = self.parent
        while node.kind != "module":
            node = node.parent
        return node.obj

    @property
    def instance(self) -> Any:
        if self.parent.kind != "class":
            return None
        if self._instance is None:
            self._instance = self.parent.newinstance()
        return self._instance

    @property
    def obj(self) -> Any:
        if self.parent.kind == "class":
            return getattr(self.instance, self.originalname)
        return self.function

    @property
    def _obj(self) -> Any:
        return self.obj

    @property
    def _pyfuncitem(self) -> "Function":
        return self

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, self.location[1], self.location[2]

    def add_report_section(self, when: str, key: str, content: str) -> None:
        if content:
            self._report_sections.append((when, key, content))

    # -- running
    def setup(self) -> None:
        request = self._request = FixtureRequest(self)
        for argname in self.fixturenames:
            if argname not in self.funcargs:
                self.funcargs[argname] = request.getfixturevalue(argname)
                if setupshow.state.enabled:
                    self._show_direct_param(argname)

    def _show_direct_param(self, argname: str) -> None:
        """pytest shows a directly parametrized argument as a fixture of its own."""
        spec = self.callspec
        if spec is None or argname not in spec.params or argname in spec.indirect:
            return
        param = spec.params[argname]
        setupshow.fixture_line("SETUP", "function", argname, param=param)
        self.addfinalizer(lambda: setupshow.fixture_line("TEARDOWN", "function", argname, param=param))

    def runtest(self) -> None:
        __tracebackhide__ = True
        func = self.obj
        funcargs = self.funcargs
        if not _plain_sync(func):
            if inspect.iscoroutinefunction(func) and asyncsupport.handles(self):
                asyncsupport.run(self.config, func(**{name: funcargs[name] for name in self._argnames}))
                return
            if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
                fail(_ASYNC_MSG, pytrace=False)
        result = func(**{name: funcargs[name] for name in self._argnames})
        if hasattr(result, "__await__") or hasattr(result, "__aiter__"):
            if hasattr(result, "close"):
                result.close()
            fail(_ASYNC_MSG, pytrace=False)
        elif result is not None:
            warnings.warn(PytestReturnNotNoneWarning(
                f"Test functions should return None, but {self.nodeid} returned {type(result)!r}.\n"
                "Did you mean to use `assert` instead of `return`?\n"
                "See https://docs.pytest.org/en/stable/how-to/assert.html#return-not-none for more information."))

    def reset(self) -> None:
        """Forget per-run state so the item can run again."""
        self.funcargs = {}
        self._instance = None
        self._request = None
        self._report_sections = []
        self.user_properties = []

    def __repr__(self) -> str:
        return f"<Function {self.name}>"
