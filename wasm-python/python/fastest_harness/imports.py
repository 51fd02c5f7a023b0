"""Importing test modules and conftest files the way pytest's import modes
do (``--import-mode``): ``prepend`` (the default) and ``append`` put the
file's root folder on ``sys.path`` and import it by name; ``importlib``
leaves ``sys.path`` alone and names a file outside any package after its
rootdir-relative path, so two ``tests/test_x.py`` in different folders can
both load. The ``pythonpath`` ini option's folders go first on ``sys.path``."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import shlex
import sys
import types
from pathlib import Path
from typing import Any


class _Settings:
    mode = "prepend"
    rootdir: Path | None = None
    # The ``pythonpath`` folders this harness put on sys.path (taken off on the next configure).
    added_paths: list[str] = []


settings = _Settings()


def configure(mode: str, rootdir: str, ini: dict[str, Any], inipath: str | None) -> None:
    """Take the run's import mode and put its ``pythonpath`` folders first on ``sys.path``."""
    settings.mode = mode if mode in ("prepend", "append", "importlib") else "prepend"
    settings.rootdir = Path(rootdir)
    for entry in settings.added_paths:
        if entry in sys.path:
            sys.path.remove(entry)
    raw = ini.get("pythonpath") or []
    entries = shlex.split(raw) if isinstance(raw, str) else list(raw)
    # Relative to the config file's folder, as pytest resolves ``paths`` options.
    base = Path(inipath).parent if inipath else Path(rootdir)
    settings.added_paths = [str(base / entry) for entry in entries]
    for entry in reversed(settings.added_paths):
        sys.path.insert(0, entry)


class ImportPathMismatchError(ImportError):
    """A module of the same name was already imported from another file."""


def package_root(path: Path) -> Path | None:
    """The outermost directory of the package chain ``path`` lives in, if any."""
    result = None
    for parent in (path, *path.parents):
        if parent.is_dir():
            if not (parent / "__init__.py").is_file() or not parent.name.isidentifier():
                break
            result = parent
    return result


def module_name_for(path: Path) -> tuple[Path, str]:
    """(directory to put on sys.path, dotted module name) for a file."""
    pkg = package_root(path.parent) if path.name != "__init__.py" else package_root(path.parent)
    if pkg is None:
        return path.parent, path.stem
    root = pkg.parent
    parts = list(path.with_suffix("").relative_to(root).parts)
    if parts[-1] == "__init__":
        parts.pop()
    return root, ".".join(parts)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def import_path(path: Path, *, is_conftest: bool = False) -> Any:
    """Import ``path`` by the run's import mode and return the module."""
    if settings.mode == "importlib":
        return _import_importlib(path)
    root, name = module_name_for(path)
    if is_conftest and "." not in name:
        # Standalone conftests are all called "conftest": forget the previous one.
        sys.modules.pop(name, None)
    if settings.mode == "append":
        if str(root) not in sys.path:
            sys.path.append(str(root))
    elif not sys.path or sys.path[0] != str(root):
        sys.path.insert(0, str(root))
    importlib.import_module(name)
    module = sys.modules[name]
    if path.name == "__init__.py":
        return module
    module_file = getattr(module, "__file__", None)
    if module_file is None or not _same_file(module_file, str(path)):
        if module_file and module_file.endswith((".pyc", ".pyo")):
            module_file = module_file[:-1]
        if module_file is None or not _same_file(module_file, str(path)):
            raise ImportPathMismatchError(name, module_file, str(path))
    return module


def _import_importlib(path: Path) -> Any:
    """pytest's ``importlib`` mode: a file inside a package is imported under its
    package name from the package's root folder, without touching sys.path;
    any other file under a name made of its rootdir-relative path
    (``tests/a/test_x.py`` is ``tests.a.test_x``), with empty parent modules."""
    if package_root(path.parent if path.name != "__init__.py" else path.parent) is not None:
        root, name = module_name_for(path)
        if name in sys.modules:
            return sys.modules[name]
        module = _import_from_spec(name, path, root, insert_parents=False)
        if module is not None:
            return module
    name = module_name_from_path(path, settings.rootdir or path.parent)
    if name in sys.modules:
        return sys.modules[name]
    module = _import_from_spec(name, path, path.parent, insert_parents=True)
    if module is None:
        raise ImportError(f"Can't find module {name} at location {path}")
    return module


def module_name_from_path(path: Path, root: Path) -> str:
    """A dotted name made of ``path`` relative to ``root`` (dots in folder names become ``_``)."""
    stem = path.with_suffix("")
    try:
        parts = stem.relative_to(root).parts
    except ValueError:
        parts = stem.parts[1:]
    if len(parts) >= 2 and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(part.replace(".", "_") for part in parts)


def _import_from_spec(name: str, path: Path, location: Path, *, insert_parents: bool) -> Any:
    parent_name, _, child = name.rpartition(".")
    parent = None
    if parent_name:
        parent = sys.modules.get(parent_name)
        if parent is None or not hasattr(parent, "__path__"):
            parent_path = path.parent.parent if path.name == "__init__.py" else path.parent
            if (parent_path / "__init__.py").is_file():
                parent_path = parent_path / "__init__.py"
            parent = _import_from_spec(parent_name, parent_path, parent_path.parent, insert_parents=insert_parents)
    spec = None
    # The meta path first, so that the assertion rewriter sees test files and
    # conftests; the file's own folder too, where a finder looks for its last name part.
    search = [str(location), str(path.parent)] if path.is_file() else [str(location)]
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        candidate = find_spec(name, search) if find_spec is not None else None
        if _spec_matches(candidate, path):
            spec = candidate
            break
    else:
        if path.is_dir():
            return None
        spec = importlib.util.spec_from_file_location(name, str(path))
    if not _spec_matches(spec, path):
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    if parent is not None:
        setattr(parent, child, module)
    if insert_parents:
        _insert_missing_parents(name)
    return module


def _spec_matches(spec: Any, path: Path) -> bool:
    if spec is None:
        return False
    if spec.origin:
        return Path(spec.origin) == path
    return any(Path(p) == path for p in (spec.submodule_search_locations or ()))


def _insert_missing_parents(name: str) -> None:
    """Empty modules for the parents of ``name`` that cannot be imported, so it is reachable by import."""
    parts = name.split(".")
    while len(parts) > 1:
        child_name = ".".join(parts)
        parent_name, _, child = child_name.rpartition(".")
        parent = sys.modules.get(parent_name)
        if parent is None:
            try:
                parent = importlib.import_module(parent_name)
            except ImportError:
                parent = types.ModuleType(parent_name, "Empty module created by pytest's importmode=importlib.")
            sys.modules[parent_name] = parent
        if not hasattr(parent, child):
            setattr(parent, child, sys.modules[child_name])
        parts.pop()


def call_hook(func: Any, **available: Any) -> Any:
    """Call a conftest hook with the arguments it declares (as pluggy does)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return func(**available)
    return func(**{name: available[name] for name in params if name in available})
