"""Marks (``pytest.mark.*``), ``pytest.param`` and helpers to read marks off objects."""

from __future__ import annotations

import inspect
import warnings
from typing import Any, NamedTuple

from .warnings_types import PytestUnknownMarkWarning

__all__ = ["Mark", "MarkDecorator", "MarkGenerator", "mark", "ParameterSet", "param",
           "get_unpacked_marks", "store_mark", "NOTSET"]


class _NotSet:
    def __repr__(self) -> str:
        return "NOTSET"


NOTSET: Any = _NotSet()


class Mark:
    """A mark: a name plus the positional and keyword arguments it was given."""

    __slots__ = ("name", "args", "kwargs", "_param_ids_from")

    def __init__(self, name: str, args: tuple = (), kwargs: dict | None = None) -> None:
        self.name = name
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self._param_ids_from = None

    def combined_with(self, other: "Mark") -> "Mark":
        return Mark(self.name, self.args + other.args, {**self.kwargs, **other.kwargs})

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Mark) and self.name == other.name
                and self.args == other.args and self.kwargs == other.kwargs)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Mark(name={self.name!r}, args={self.args!r}, kwargs={self.kwargs!r})"


def _is_decoratable(obj: object) -> bool:
    return inspect.isclass(obj) or callable(obj) and getattr(obj, "__name__", "<lambda>") != "<lambda>"


class MarkDecorator:
    """Applies a mark to a test function or class when called on one."""

    __slots__ = ("mark",)

    def __init__(self, mark: Mark) -> None:
        self.mark = mark

    name = property(lambda self: self.mark.name)
    args = property(lambda self: self.mark.args)
    kwargs = property(lambda self: self.mark.kwargs)
    markname = name

    def with_args(self, *args: Any, **kwargs: Any) -> "MarkDecorator":
        return MarkDecorator(self.mark.combined_with(Mark(self.mark.name, args, kwargs)))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and not kwargs and len(args) == 1 and _is_decoratable(args[0]):
            func = args[0]
            store_mark(func, self.mark)
            return func
        return self.with_args(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MarkDecorator) and self.mark == other.mark

    def __hash__(self) -> int:
        return hash(self.mark)

    def __repr__(self) -> str:
        return f"<MarkDecorator {self.mark!r}>"


# Marks pytest's own plugins register: known even under --strict-markers.
_BUILTIN_MARKERS = frozenset(("filterwarnings", "skip", "skipif", "xfail", "parametrize", "usefixtures",
                              "tryfirst", "trylast", "timeout"))


class MarkGenerator:
    """``pytest.mark``: any attribute is a mark decorator of that name."""

    def __init__(self) -> None:
        self._cache: dict[str, MarkDecorator] = {}
        # The run's Config, set by the harness: it knows the registered markers.
        self._config: Any = None

    def _check(self, name: str) -> None:
        config = self._config
        lines = config.getini("markers") or []
        if isinstance(lines, str):
            lines = lines.splitlines()
        # Registered in the ini-file (host-parsed) or by conftests (addinivalue_line).
        lines = [*config._raw.get("markers", []), *lines]
        known = {line.split(":")[0].split("(")[0].strip() for line in lines}
        if name in known or name in _BUILTIN_MARKERS:
            return
        from .outcomes import fail
        if name in ("parameterize", "parametrise", "parameterise"):
            fail(f"Unknown '{name}' mark, did you mean 'parametrize'?")
        if config.option.strict_markers:
            fail(f"{name!r} not found in `markers` configuration option", pytrace=False)
        # Attributed to the line that spelled pytest.mark.<name> (two frames up).
        warnings.warn(f"Unknown pytest.mark.{name} - is this a typo?  You can register custom marks to "
                      "avoid this warning - for details, see https://docs.pytest.org/en/stable/how-to/mark.html",
                      PytestUnknownMarkWarning, stacklevel=3)

    def __getattr__(self, name: str) -> MarkDecorator:
        if name.startswith("_"):
            raise AttributeError("Marker name must NOT start with underscore")
        if self._config is not None:
            self._check(name)
        deco = self._cache.get(name)
        if deco is None:
            deco = self._cache[name] = MarkDecorator(Mark(name))
        return deco


mark = MarkGenerator()


class ParameterSet(NamedTuple):
    values: tuple
    marks: tuple
    id: str | None

    @classmethod
    def extract(cls, value: Any, force_tuple: bool) -> "ParameterSet":
        if isinstance(value, ParameterSet):
            return value
        if force_tuple:
            return cls((value,), (), None)
        return cls(tuple(value), (), None)


def param(*values: Any, marks: Any = (), id: str | None = None) -> ParameterSet:
    """One parameter set for ``parametrize``, with its own marks and id."""
    if isinstance(marks, (MarkDecorator, Mark)):
        marks = (marks,)
    else:
        marks = tuple(marks)
    if id is not None and not isinstance(id, str) and id is not HIDDEN_PARAM:
        raise TypeError("Expected id to be a string or a `pytest.HIDDEN_PARAM` sentinel, "
                        f"got {type(id)}: {id!r}")
    return ParameterSet(values, marks, id)


HIDDEN_PARAM: Any = object()


def _normalize(items: Any) -> list[Mark]:
    if items is None:
        return []
    if not isinstance(items, list):
        items = [items]
    out = []
    for item in items:
        item = getattr(item, "mark", item)
        if isinstance(item, Mark):
            out.append(item)
    return out


def get_unpacked_marks(obj: object, *, consider_mro: bool = True) -> list[Mark]:
    """Marks stored on a function, class or module (``pytestmark``)."""
    if inspect.isclass(obj):
        if consider_mro:
            found: list[Mark] = []
            for klass in reversed(obj.__mro__):
                found.extend(_normalize(klass.__dict__.get("pytestmark")))
            return found
        return _normalize(obj.__dict__.get("pytestmark"))
    try:
        return _normalize(getattr(obj, "pytestmark", None))
    except Exception:
        return []


def store_mark(obj: Any, new: Mark) -> None:
    obj.pytestmark = [*get_unpacked_marks(obj, consider_mro=False), new]
