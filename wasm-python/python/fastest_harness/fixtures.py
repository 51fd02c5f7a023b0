"""Fixtures: the ``@fixture`` decorator, fixture definitions, lookup by node and
the request objects fixtures and tests receive.

Each fixture definition caches one value at a time (per parameter), like
pytest's; its ``finish`` is registered on the node of its scope, so the setup
state tears it down when that node goes out of scope.
"""

from __future__ import annotations

import functools
import inspect
import sys
from types import FunctionType
from typing import Any, Callable

from . import asyncsupport, execution, setupshow
from .outcomes import TEST_OUTCOME, Skipped, fail

SCOPES = ("function", "class", "module", "package", "session")
FUNCTION, CLASS, MODULE, PACKAGE, SESSION = range(5)


class FixtureSpec:
    __slots__ = ("scope", "params", "autouse", "ids", "name")

    def __init__(self, scope: Any, params: Any, autouse: bool, ids: Any, name: str | None) -> None:
        self.scope = scope
        self.params = None if params is None else list(params)
        self.autouse = autouse
        self.ids = ids
        self.name = name


class FixtureFunctionDefinition:
    """What ``@pytest.fixture`` returns: calling it directly is an error."""

    def __init__(self, func: Callable, spec: FixtureSpec) -> None:
        self._fixture_function = func
        self._fastest_fixture = spec
        self.name = spec.name or func.__name__
        self.__name__ = self.name
        self.__qualname__ = getattr(func, "__qualname__", self.name)
        self.__doc__ = func.__doc__
        self.__module__ = getattr(func, "__module__", None)
        self.__wrapped__ = func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        fail(
            f'Fixture "{self.name}" called directly. Fixtures are not meant to be called directly,\n'
            "but are created automatically when test functions request them as parameters.\n"
            "See https://docs.pytest.org/en/stable/explanation/fixtures.html for more information about fixtures, and\n"
            "https://docs.pytest.org/en/stable/deprecations.html#calling-fixtures-directly",
            pytrace=False,
        )

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        return self

    def __repr__(self) -> str:
        return f"<pytest_fixture({self._fixture_function})>"


def fixture(fixture_function: Callable | None = None, *, scope: Any = "function", params: Any = None,
            autouse: bool = False, ids: Any = None, name: str | None = None) -> Any:
    """Declare a fixture (``pytest.fixture``)."""
    if isinstance(scope, str) and scope not in SCOPES:
        fail(f"Fixture '{name or getattr(fixture_function, '__name__', '?')}' from test module got an "
             f"unexpected scope value '{scope}'", pytrace=False)
    spec = FixtureSpec(scope, params, autouse, ids, name)
    if fixture_function is not None:
        return FixtureFunctionDefinition(fixture_function, spec)
    return lambda func: FixtureFunctionDefinition(func, spec)


def get_real_func(obj: Any) -> Any:
    for _ in range(100):
        if isinstance(obj, FixtureFunctionDefinition):
            obj = obj._fixture_function
            continue
        if isinstance(obj, functools.partial):
            obj = obj.func
            continue
        new = getattr(obj, "__wrapped__", None) if inspect.isfunction(obj) or inspect.ismethod(obj) else None
        if new is None:
            break
        obj = new
    return getattr(obj, "__func__", obj)


def _mock_patch_count(func: Any) -> int:
    patchings = getattr(func, "patchings", None)
    if not patchings:
        return 0
    sentinels = [getattr(sys.modules.get(m), "DEFAULT", object()) for m in ("mock", "unittest.mock")]
    return len([p for p in patchings if not p.attribute_name and any(p.new is s for s in sentinels)])


# Attributes through which inspect.signature would not read a function's own code.
_SIGNATURE_ATTRS = ("__wrapped__", "__signature__", "__text_signature__", "__partialmethod__", "_partialmethod")


def _code_argnames(func: Any) -> tuple[tuple[str, ...], bool] | None:
    """What getfuncargnames needs from ``inspect.signature`` (mandatory
    positional-or-keyword and keyword-only names; any positional-only?), read
    off a plain function's code as inspect does. None for anything else."""
    if type(func) is not FunctionType:
        return None
    attrs = func.__dict__
    if attrs and not attrs.keys().isdisjoint(_SIGNATURE_ATTRS):
        return None
    code = func.__code__
    count, posonly, kwonly = code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount
    varnames = code.co_varnames
    defaults = func.__defaults__
    required = count - (len(defaults) if defaults else 0)
    kwdefaults = func.__kwdefaults__ or {}
    names = varnames[posonly:required] + tuple(n for n in varnames[count:count + kwonly] if n not in kwdefaults)
    return names, posonly > 0


def getfuncargnames(func: Callable, *, name: str = "", cls: type | None = None) -> tuple[str, ...]:
    """Mandatory argument names of ``func`` (minus self/cls and mock.patch args)."""
    # inspect.signature builds Parameter objects (and on 3.14 evaluates annotations)
    # for every test and fixture; a plain function's code says the same.
    fast = _code_argnames(func)
    if fast is not None:
        names, positional_only = fast
    else:
        try:
            params = list(inspect.signature(func).parameters.values())
        except (ValueError, TypeError) as exc:
            fail(f"Could not determine arguments of {func!r}: {exc}", pytrace=False)
        names = tuple(
            p.name for p in params
            if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
            and p.default is inspect.Parameter.empty
        )
        positional_only = any(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in params)
    name = name or func.__name__
    if not positional_only and (
        inspect.ismethod(func)
        or cls is not None and not isinstance(inspect.getattr_static(cls, name, None), staticmethod)
    ):
        names = names[1:]
    if hasattr(func, "__wrapped__") or hasattr(func, "patchings"):
        names = names[_mock_patch_count(func):]
    return names


class FixtureDef:
    """One fixture definition, visible below ``baseid``."""

    def __init__(self, name: str, func: Callable, scope: Any, params: Any, ids: Any, autouse: bool,
                 baseid: str, *, holder: Any = None, argnames: tuple[str, ...] | None = None,
                 has_location: bool = True) -> None:
        self.name = self.argname = name
        self.func = func
        self.baseid = baseid
        self.params = params
        self.ids = ids
        self.autouse = autouse
        self.holder = holder  # instance of the class that defines it, if any
        self.has_location = has_location
        self._scope_spec = scope
        self.scope_index = SCOPES.index(scope) if isinstance(scope, str) else FUNCTION
        self.argnames = argnames if argnames is not None else getfuncargnames(func, name=name)
        self.is_async = asyncsupport.is_async(func)
        self.cached: tuple[Any, Any, BaseException | None] | None = None
        self._shown_param: Any = None
        self._finalizers: list[Callable[[], Any]] = []

    @property
    def scope(self) -> str:
        return SCOPES[self.scope_index]

    def resolve_dynamic_scope(self, config: Any) -> None:
        if callable(self._scope_spec):
            scope = self._scope_spec(fixture_name=self.name, config=config)
            if scope not in SCOPES:
                fail(f"Expected scope to be one of {SCOPES}, but got {scope!r} from {self.name}",
                     pytrace=False)
            self.scope_index = SCOPES.index(scope)

    def addfinalizer(self, fin: Callable[[], Any]) -> None:
        self._finalizers.append(fin)

    def finish(self, request: "SubRequest") -> None:
        errors: list[BaseException] = []
        wide = self.scope_index != FUNCTION and self.cached is not None
        with execution.fixture(self, self.cached[0]) if wide else execution.NOWHERE:  # type: ignore[index]
            while self._finalizers:
                fin = self._finalizers.pop()
                try:
                    fin()
                except BaseException as exc:  # noqa: BLE001 - reported as teardown errors
                    errors.append(exc)
        if setupshow.state.enabled and self.cached is not None:
            setupshow.fixture_line("TEARDOWN", self.scope, self.name, param=self._shown_param)
        self.cached = None
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise BaseExceptionGroup(f'errors while tearing down fixture "{self.name}" of {request.node!r}',
                                     errors)

    def execute(self, request: "SubRequest") -> Any:
        for argname in self.argnames:
            dependency = request._get_active_fixturedef(argname)
            if isinstance(dependency, FixtureDef):
                dependency.addfinalizer(functools.partial(self.finish, request=request))
        key = request.param_index
        # --changed: what a wider-scoped fixture ran counts for every test using it.
        wide = self.scope_index != FUNCTION
        if wide:
            execution.uses_fixture(self, key)
        if self.cached is not None:
            if self.cached[0] == key:
                error = self.cached[2]
                if error is not None:
                    raise error.with_traceback(error.__traceback__)
                return self.cached[1]
            self.finish(request)
        request.node.addfinalizer(functools.partial(self.finish, request=request))
        with execution.fixture(self, key) if wide else execution.NOWHERE:
            return self._setup(request, key)

    def _setup(self, request: "SubRequest", key: Any) -> Any:
        kwargs = {name: request._value_of(name) for name in self.argnames}
        func = self.func
        if self.holder is not None:
            instance = request.instance
            owner = type(self.holder)
            target = instance if instance is not None and isinstance(instance, owner) else self.holder
            func = func.__get__(target, type(target))
        try:
            if self.is_async:
                value, finish = asyncsupport.call_fixture(func, kwargs, request)
                if finish is not None:
                    request.addfinalizer(finish)
            elif inspect.isgeneratorfunction(func):
                generator = func(**kwargs)
                try:
                    value = next(generator)
                except StopIteration:
                    raise ValueError(f"{request.fixturename} did not yield a value") from None
                request.addfinalizer(functools.partial(_finish_generator, func, generator))
            else:
                value = func(**kwargs)
        except TEST_OUTCOME as exc:
            if isinstance(exc, Skipped):
                exc._use_item_location = True
            self.cached = (key, None, exc)
            if setupshow.state.enabled:
                self._show_setup(request)
            raise
        self.cached = (key, value, None)
        if setupshow.state.enabled:
            self._show_setup(request)
        return value

    def _show_setup(self, request: "SubRequest") -> None:
        self._shown_param = setupshow.shown_param(self, request)
        setupshow.fixture_line("SETUP", self.scope, self.name, self.argnames, self._shown_param)

    def __repr__(self) -> str:
        return f"<FixtureDef argname={self.name!r} scope={self.scope!r} baseid={self.baseid!r}>"


def _finish_generator(func: Callable, generator: Any) -> None:
    try:
        next(generator)
    except StopIteration:
        return
    path, lineno = func_location(func)
    try:
        source = inspect.getsource(get_real_func(func))
    except (OSError, TypeError):
        source = "???"
    indented = "\n".join("    " + line for line in source.rstrip("\n").splitlines())
    fail(f"fixture function has more than one 'yield':\n\n{indented}\n{path}:{lineno + 1}", pytrace=False)


def func_location(func: Any) -> tuple[str, int]:
    """(file, 0-based first line) of a function, decorators included."""
    real = get_real_func(func)
    code = getattr(real, "__code__", None)
    if code is None:
        return "<unknown>", -1
    return code.co_filename, code.co_firstlineno - 1


class FixtureManager:
    """Every fixture definition seen so far, by name, in registration order."""

    def __init__(self) -> None:
        self.defs: dict[str, list[FixtureDef]] = {}
        self.autouse: dict[str, list[str]] = {}
        self.parsed: set[tuple[int, str]] = set()

    def add(self, fixturedef: FixtureDef) -> None:
        bucket = self.defs.setdefault(fixturedef.name, [])
        if fixturedef.has_location:
            bucket.append(fixturedef)
        else:
            at = len([d for d in bucket if not d.has_location])
            bucket.insert(at, fixturedef)
        if fixturedef.autouse:
            names = self.autouse.setdefault(fixturedef.baseid, [])
            if fixturedef.name not in names:
                names.append(fixturedef.name)

    def parse(self, holder: Any, baseid: str, *, instance: Any = None, config: Any = None) -> None:
        """Register the fixtures defined on a module, class or plugin object."""
        key = (id(holder), baseid)
        if key in self.parsed:
            return
        self.parsed.add(key)
        if inspect.isclass(holder):
            namespace: dict[str, Any] = {}
            for klass in reversed(holder.__mro__):
                namespace.update(vars(klass))
        else:
            namespace = dict(vars(holder))
        for attr, value in namespace.items():
            if not isinstance(value, FixtureFunctionDefinition):
                continue
            spec = value._fastest_fixture
            func = value._fixture_function
            name = spec.name or attr
            argnames = getfuncargnames(func, name=name, cls=holder if inspect.isclass(holder) else None)
            fixturedef = FixtureDef(name, func, spec.scope, spec.params, spec.ids, spec.autouse, baseid,
                                    holder=instance, argnames=argnames)
            if config is not None:
                fixturedef.resolve_dynamic_scope(config)
            self.add(fixturedef)

    def getfixturedefs(self, argname: str, nodeid: str) -> list[FixtureDef]:
        return [d for d in self.defs.get(argname, ()) if visible(d.baseid, nodeid)]

    def autouse_names(self, chain_ids: list[str]) -> list[str]:
        names: list[str] = []
        for nodeid in chain_ids:
            names.extend(self.autouse.get(nodeid, ()))
        return names

    def available(self, nodeid: str) -> list[str]:
        return sorted(name for name, defs in self.defs.items() if any(visible(d.baseid, nodeid) for d in defs))


def visible(baseid: str, nodeid: str) -> bool:
    """Whether a fixture registered at ``baseid`` applies to ``nodeid``."""
    if not baseid or nodeid == baseid:
        return True
    if not nodeid.startswith(baseid):
        return False
    return nodeid[len(baseid)] in "/:"


def closure(manager: FixtureManager, initial: list[str], nodeid: str, direct: set[str]) -> tuple[list[str], dict]:
    """All fixture names a test needs, highest scope first, and their definitions."""
    names = list(dict.fromkeys(initial))
    arg2defs: dict[str, list[FixtureDef]] = {}
    depth: dict[str, int] = {}

    def visit(argname: str) -> None:
        if depth.get(argname) == -1:
            return
        if argname not in names:
            names.append(argname)
        if argname in direct:
            return
        defs = arg2defs.get(argname)
        if not defs:
            defs = manager.getfixturedefs(argname, nodeid)
            if not defs:
                return
            arg2defs[argname] = defs
        index = depth.get(argname, -1)
        if -index > len(defs):
            return
        # An overriding fixture may request the one it overrides: go one level up.
        depth[argname] = index - 1
        for dep in defs[index].argnames:
            visit(dep)
        depth[argname] = index

    for name in list(names):
        visit(name)

    def scope_of(name: str) -> int:
        defs = arg2defs.get(name)
        return defs[-1].scope_index if defs else FUNCTION

    names.sort(key=scope_of, reverse=True)
    return names, arg2defs
