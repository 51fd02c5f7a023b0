"""The ``request`` objects tests and fixtures receive, and fixture lookup errors."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable

from .fixtures import CLASS, FUNCTION, MODULE, PACKAGE, SCOPES, SESSION, FixtureDef, func_location
from .marks import NOTSET
from .outcomes import fail


class _RequestParam:
    """The value for a directly parametrized argument (no fixture function runs)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class FixtureLookupError(LookupError):
    def __init__(self, argname: str | None, request: "FixtureRequest", msg: str | None = None) -> None:
        super().__init__(argname, msg)
        self.argname = argname
        self.request = request
        self.fixturestack = request._fixture_stack()
        self.msg = msg


class FixtureRequest:
    """``request``: the context a test or a fixture runs in."""

    _parent: "FixtureRequest | None" = None
    _fixturedef: FixtureDef | None = None
    fixturename: str | None = None

    def __init__(self, item: Any) -> None:
        self._pyfuncitem = item
        self._scope_index = FUNCTION
        self.param_index = 0

    # -- context
    @property
    def scope(self) -> str:
        return SCOPES[self._scope_index]

    @property
    def config(self) -> Any:
        return self._pyfuncitem.config

    @property
    def session(self) -> Any:
        return self._pyfuncitem.session

    @property
    def node(self) -> Any:
        return self._pyfuncitem

    @property
    def function(self) -> Any:
        if self._scope_index != FUNCTION:
            raise AttributeError(f"function not available in {self.scope}-scoped context")
        return self._pyfuncitem.obj

    @property
    def cls(self) -> Any:
        if self._scope_index not in (CLASS, FUNCTION):
            raise AttributeError(f"cls not available in {self.scope}-scoped context")
        clsnode = self._pyfuncitem.parent
        return getattr(clsnode, "obj", None) if clsnode.kind == "class" else None

    @property
    def instance(self) -> Any:
        if self._scope_index != FUNCTION:
            return None
        return self._pyfuncitem.instance

    @property
    def module(self) -> Any:
        if self._scope_index not in (MODULE, CLASS, FUNCTION):
            raise AttributeError(f"module not available in {self.scope}-scoped context")
        return self._pyfuncitem.module

    @property
    def path(self) -> Path:
        return self._pyfuncitem.path

    @property
    def keywords(self) -> Any:
        return self.node.keywords

    @property
    def fixturenames(self) -> list[str]:
        return list(self._pyfuncitem.fixturenames)

    @property
    def _fixturemanager(self) -> Any:
        return self._pyfuncitem.session._fixturemanager

    # -- actions
    def addfinalizer(self, finalizer: Callable[[], Any]) -> None:
        self._pyfuncitem.addfinalizer(finalizer)

    def applymarker(self, marker: Any) -> None:
        self.node.add_marker(marker)

    def raiseerror(self, msg: str | None) -> Any:
        raise FixtureLookupError(None, self, msg)

    def getfixturevalue(self, argname: str) -> Any:
        found = self._get_active_fixturedef(argname)
        if isinstance(found, FixtureDef):
            assert found.cached is not None
            return found.cached[1]
        if found is self:
            return self
        return found.value

    # -- machinery
    def _chain(self):
        request: FixtureRequest | None = self
        while request is not None:
            yield request
            request = request._parent

    def _fixture_stack(self) -> list[FixtureDef]:
        stack = [r._fixturedef for r in self._chain() if r._fixturedef is not None]
        stack.reverse()
        return stack

    def _value_of(self, argname: str) -> Any:
        return self.getfixturevalue(argname)

    def _get_active_fixturedef(self, argname: str) -> Any:
        if argname == "request":
            return self
        item = self._pyfuncitem
        callspec = item.callspec
        if callspec is not None and argname in callspec.params and argname not in callspec.indirect:
            return _RequestParam(callspec.params[argname])
        defs = item._arg2fixturedefs.get(argname)
        if defs is None:
            defs = item.session._fixturemanager.getfixturedefs(argname, item.parent.nodeid)
            item._arg2fixturedefs[argname] = defs
        if not defs:
            raise FixtureLookupError(argname, self)
        index = -1 - sum(1 for r in self._chain() if r.fixturename == argname)
        if -index > len(defs):
            raise FixtureLookupError(argname, self)
        fixturedef = defs[index]
        self._compute(fixturedef)
        return fixturedef

    def _compute(self, fixturedef: FixtureDef) -> None:
        item = self._pyfuncitem
        argname = fixturedef.name
        callspec = item.callspec
        scope_index = fixturedef.scope_index
        if callspec is not None and argname in callspec.params:
            param = callspec.params[argname]
            param_index = callspec.indices[argname]
            has_param = True
        else:
            param, param_index, has_param = NOTSET, 0, False
            if fixturedef.params is not None:
                path, lineno = func_location(fixturedef.func)
                fail(f"The requested fixture has no parameter defined for test:\n    {item.nodeid}\n\n"
                     f"Requested here:\n{path}:{lineno + 1}", pytrace=False)
        if scope_index < self._scope_index:
            self._scope_mismatch(fixturedef)
        sub = SubRequest(self, fixturedef, scope_index, param, param_index, has_param)
        fixturedef.execute(sub)

    def _scope_mismatch(self, requested: FixtureDef) -> None:
        __tracebackhide__ = True
        lines = [_fixture_line(d, self) for d in self._fixture_stack()]
        fail(f"ScopeMismatch: You tried to access the {requested.scope} scoped fixture {requested.name} "
             f"with a {self.scope} scoped request object. Requesting fixture stack:\n"
             + "\n".join(lines) + "\nRequested fixture:\n" + _fixture_line(requested, self),
             pytrace=False)

    def __repr__(self) -> str:
        return f"<FixtureRequest for {self._pyfuncitem!r}>"


def _fixture_line(fixturedef: FixtureDef, request: FixtureRequest) -> str:
    import os
    path, lineno = func_location(fixturedef.func)
    try:
        path = os.path.relpath(path, str(request.config.rootpath))
    except ValueError:
        pass
    try:
        signature = str(inspect.signature(fixturedef.func))
    except (TypeError, ValueError):
        signature = "(...)"
    return f"{path}:{lineno + 1}:  def {getattr(fixturedef.func, '__name__', fixturedef.name)}{signature}"


class SubRequest(FixtureRequest):
    """``request`` as a fixture function receives it."""

    def __init__(self, parent: FixtureRequest, fixturedef: FixtureDef, scope_index: int, param: Any,
                 param_index: int, has_param: bool) -> None:
        self._pyfuncitem = parent._pyfuncitem
        self._parent = parent
        self._fixturedef = fixturedef
        self.fixturename = fixturedef.name
        self._scope_index = scope_index
        self.param_index = param_index
        if has_param:
            self.param = param

    @property
    def node(self) -> Any:
        item = self._pyfuncitem
        scope = self._scope_index
        if scope == FUNCTION:
            return item
        if scope == PACKAGE:
            for node in item.iter_parents():
                if node.kind == "package" and node.nodeid == self._fixturedef.baseid:
                    return node
            return item.session
        wanted = {CLASS: "class", MODULE: "module", SESSION: "session"}[scope]
        for node in item.iter_parents():
            if node.kind == wanted:
                return node
        return item

    def addfinalizer(self, finalizer: Callable[[], Any]) -> None:
        self._fixturedef.addfinalizer(finalizer)

    def __repr__(self) -> str:
        return f"<SubRequest {self.fixturename!r} for {self._pyfuncitem!r}>"
