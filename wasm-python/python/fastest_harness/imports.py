"""Importing test modules and conftest files the way pytest's default
``prepend`` import mode does."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Any


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
    """Import ``path`` (prepending its root to sys.path) and return the module."""
    root, name = module_name_for(path)
    if is_conftest and "." not in name:
        # Standalone conftests are all called "conftest": forget the previous one.
        sys.modules.pop(name, None)
    if not sys.path or sys.path[0] != str(root):
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


def call_hook(func: Any, **available: Any) -> Any:
    """Call a conftest hook with the arguments it declares (as pluggy does)."""
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return func(**available)
    return func(**{name: available[name] for name in params if name in available})
