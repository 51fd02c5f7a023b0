"""``monkeypatch`` / ``pytest.MonkeyPatch``: temporary changes undone at teardown."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import sys
import warnings
from typing import Any, Iterator

from .warnings_types import PytestWarning


class _Notset:
    def __repr__(self) -> str:
        return "<notset>"


notset: Any = _Notset()


def _resolve(name: str) -> Any:
    parts = name.split(".")
    used = parts.pop(0)
    found = __import__(used)
    for part in parts:
        used += "." + part
        try:
            found = getattr(found, part)
            continue
        except AttributeError:
            pass
        try:
            __import__(used)
        except ImportError as exc:
            if str(exc).split()[-1] == used:
                raise
            raise ImportError(f"import error in {used}: {exc}") from exc
        found = _annotated_getattr(found, part, used)
    return found


def _annotated_getattr(obj: Any, name: str, ann: str) -> Any:
    try:
        return getattr(obj, name)
    except AttributeError as exc:
        raise AttributeError(f"{type(obj).__name__!r} object at {ann} has no attribute {name!r}") from exc


def _derive_importpath(import_path: Any, raising: bool) -> tuple[str, Any]:
    if not isinstance(import_path, str) or "." not in import_path:
        raise TypeError(f"must be absolute import path string, not {import_path!r}")
    module, attr = import_path.rsplit(".", 1)
    target = _resolve(module)
    if raising:
        _annotated_getattr(target, attr, ann=module)
    return attr, target


class MonkeyPatch:
    """Helper to patch attributes, items, environment variables, sys.path and the cwd."""

    __module__ = "_pytest.monkeypatch"  # reprs read as pytest's

    def __init__(self) -> None:
        self._setattr: list[tuple[Any, str, Any]] = []
        self._setitem: list[tuple[Any, Any, Any]] = []
        self._cwd: str | None = None
        self._savesyspath: list[str] | None = None

    @classmethod
    @contextlib.contextmanager
    def context(cls) -> Iterator["MonkeyPatch"]:
        patch = cls()
        try:
            yield patch
        finally:
            patch.undo()

    def setattr(self, target: Any, name: Any, value: Any = notset, raising: bool = True) -> None:
        __tracebackhide__ = True
        if value is notset:
            if not isinstance(target, str):
                raise TypeError("use setattr(target, name, value) or setattr(target, value) with target being "
                                "a dotted import string")
            value = name
            name, target = _derive_importpath(target, raising)
        elif not isinstance(name, str):
            raise TypeError("use setattr(target, name, value) with name being a string or setattr(target, value) "
                            "with target being a dotted import string")
        old = getattr(target, name, notset)
        if raising and old is notset:
            raise AttributeError(f"{target!r} has no attribute {name!r}")
        if inspect.isclass(target):
            old = target.__dict__.get(name, notset)
        self._setattr.append((target, name, old))
        setattr(target, name, value)

    def delattr(self, target: Any, name: Any = notset, raising: bool = True) -> None:
        __tracebackhide__ = True
        if name is notset:
            if not isinstance(target, str):
                raise TypeError("use delattr(target, name) or delattr(target) with target being a dotted import string")
            name, target = _derive_importpath(target, raising)
        if not hasattr(target, name):
            if raising:
                raise AttributeError(name)
            return
        old = getattr(target, name, notset)
        if inspect.isclass(target):
            old = target.__dict__.get(name, notset)
        self._setattr.append((target, name, old))
        delattr(target, name)

    def setitem(self, dic: Any, name: Any, value: Any) -> None:
        self._setitem.append((dic, name, dic.get(name, notset)))
        dic[name] = value

    def delitem(self, dic: Any, name: Any, raising: bool = True) -> None:
        if name not in dic:
            if raising:
                raise KeyError(name)
            return
        self._setitem.append((dic, name, dic.get(name, notset)))
        del dic[name]

    def setenv(self, name: str, value: Any, prepend: str | None = None) -> None:
        if not isinstance(value, str):
            warnings.warn(PytestWarning(
                f"Value of environment variable {name} type should be str, but got {value!r} "
                f"(type: {type(value).__name__}); converted to str implicitly"), stacklevel=2)
            value = str(value)
        if prepend and name in os.environ:
            value = value + prepend + os.environ[name]
        self.setitem(os.environ, name, value)

    def delenv(self, name: str, raising: bool = True) -> None:
        self.delitem(os.environ, name, raising=raising)

    def syspath_prepend(self, path: Any) -> None:
        if self._savesyspath is None:
            self._savesyspath = sys.path[:]
        sys.path.insert(0, str(path))
        importlib.invalidate_caches()

    def chdir(self, path: Any) -> None:
        if self._cwd is None:
            self._cwd = os.getcwd()
        os.chdir(path)

    def undo(self) -> None:
        for obj, name, value in reversed(self._setattr):
            if value is not notset:
                setattr(obj, name, value)
            else:
                delattr(obj, name)
        self._setattr[:] = []
        for dictionary, key, value in reversed(self._setitem):
            if value is notset:
                try:
                    del dictionary[key]
                except KeyError:
                    pass
            else:
                dictionary[key] = value
        self._setitem[:] = []
        if self._savesyspath is not None:
            sys.path[:] = self._savesyspath
            self._savesyspath = None
        if self._cwd is not None:
            os.chdir(self._cwd)
            self._cwd = None
