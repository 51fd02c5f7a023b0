"""The import hook that hands test modules and conftest files to the assertion
rewriter (see :mod:`fastest_harness.rewrite`). Rewritten code is memoised by
path and source digest; the host keeps the entries between runs (like
pytest's rewritten ``.pyc`` files) through :func:`preload` and
:func:`export_new`, because rewriting and compiling are the bulk of
collection inside WebAssembly."""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import sys
import types
from typing import Any

from . import execution
from .rewrite import rewrite_module

_code_cache: dict[str, tuple[str, types.CodeType]] = {}
_new_entries: set[str] = set()


def source_digest(source: bytes) -> str:
    """The cache key of a source file's content (the host computes the same)."""
    return hashlib.sha1(source).hexdigest()


def compile_rewritten(path: str) -> types.CodeType:
    """Read, rewrite and compile one source file (memoised by content)."""
    with open(path, "rb") as fh:
        source = fh.read()
    digest = source_digest(source)
    cached = _code_cache.get(path)
    if cached is not None and cached[0] == digest:
        return cached[1]
    tree = ast.parse(source, filename=path)
    rewrite_module(tree)
    code = compile(tree, path, "exec", dont_inherit=True)
    _code_cache[path] = (digest, code)
    _new_entries.add(path)
    return code


def preload(blobs: list[bytes]) -> None:
    """Take rewritten code the host kept from earlier runs (see export_new)."""
    for blob in blobs:
        try:
            path, digest, code = marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            continue  # a damaged entry is rewritten again
        if isinstance(code, types.CodeType):
            _code_cache[path] = (digest, code)


def export_new() -> list[tuple[str, str, bytes]]:
    """Entries rewritten since the last call: (path, digest, marshalled entry)."""
    out = [(path, _code_cache[path][0], marshal.dumps((path, *_code_cache[path])))
           for path in sorted(_new_entries) if path in _code_cache]
    _new_entries.clear()
    return out


class RewriteLoader(importlib.abc.Loader):
    def __init__(self, fullname: str, path: str) -> None:
        self.name = fullname
        self.path = path

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        code = compile_rewritten(self.path)
        with execution.module_body(self.path):
            exec(code, module.__dict__)

    def get_filename(self, fullname: str) -> str:
        return self.path

    def get_source(self, fullname: str) -> str:
        with open(self.path, encoding="utf-8") as fh:
            return fh.read()

    def is_package(self, fullname: str) -> bool:
        return os.path.basename(self.path) == "__init__.py"


class WatchedLoader(importlib.machinery.SourceFileLoader):
    """A project module's loader while ``--changed`` data is recorded: the
    standard one, with its code armed before its body runs."""

    def exec_module(self, module: types.ModuleType) -> None:
        code = self.get_code(module.__name__)
        if code is None:
            raise ImportError(f"cannot load {self.path}", name=self.name)
        with execution.module_code(code, self.path):
            exec(code, module.__dict__)


class RewriteFinder(importlib.abc.MetaPathFinder):
    """Hands test modules and conftest files to :class:`RewriteLoader`."""

    def __init__(self) -> None:
        self.patterns: list[str] = ["test_*.py", "*_test.py"]
        self.marked: set[str] = set()
        self.enabled = True

    def should_rewrite(self, fullname: str, path: str) -> bool:
        base = os.path.basename(path)
        if base == "conftest.py":
            return True
        for pattern in self.patterns:
            if fnmatch.fnmatch(base, pattern) or (os.sep in pattern and fnmatch.fnmatch(path, pattern)):
                return True
        return any(fullname == m or fullname.startswith(m + ".") for m in self.marked)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if not self.enabled or fullname.startswith(("fastest_harness", "pytest", "encodings")):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = spec.origin
        if not origin:
            return None
        if not self.should_rewrite(fullname, origin):
            if not execution.watches(origin):
                return None
            # --changed: the project module's functions are watched (execution.py).
            return importlib.util.spec_from_file_location(
                fullname, origin, loader=WatchedLoader(fullname, origin),
                submodule_search_locations=spec.submodule_search_locations)
        return importlib.util.spec_from_file_location(
            fullname, origin, loader=RewriteLoader(fullname, origin),
            submodule_search_locations=spec.submodule_search_locations)


finder = RewriteFinder()


def install() -> None:
    if finder not in sys.meta_path:
        sys.meta_path.insert(0, finder)


def uninstall() -> None:
    """Step aside (``--pytest-from-env``: real pytest's own rewriting hook takes over)."""
    while finder in sys.meta_path:
        sys.meta_path.remove(finder)


def register_assert_rewrite(*names: str) -> None:
    """``pytest.register_assert_rewrite``: rewrite these modules when imported."""
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"expected module names as *args, got {names!r}")
        finder.marked.add(name)




def invalidate_file_finders() -> None:
    """Forget cached directory listings of the path-based finders, so files
    written into the sandbox since are found. Cheaper than
    ``importlib.invalidate_caches()``, which also makes the stdlib's
    zipimporter re-read its whole archive directory."""
    for finder in list(sys.path_importer_cache.values()):
        if isinstance(finder, importlib.machinery.FileFinder):
            finder.invalidate_caches()


def forget(prefix: str) -> None:
    """Drop memoised code for files under ``prefix``."""
    for path in [p for p in _code_cache if p.startswith(prefix)]:
        del _code_cache[path]
        _new_entries.discard(path)
