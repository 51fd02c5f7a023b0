"""Which project files import which, recorded while ``collect`` imports test
files and conftests (``HarnessConfig.recordImports``). Watch mode uses it to
rerun the test files that import a changed module, directly or through other
project modules.

Every ``import`` statement goes through ``builtins.__import__``, even when
the module was imported before, so wrapping it sees each edge of a module
whose body runs. Only files under the rootdir count; imports made later,
while tests run, are not recorded.
"""

from __future__ import annotations

import builtins
import os
import sys
from importlib.util import resolve_name
from typing import Any

_original_import = builtins.__import__


class ImportGraph:
    """Edges between project files (paths relative to the rootdir, with ``/``)."""

    def __init__(self, rootdir: str) -> None:
        self.prefix = rootdir.rstrip("/") + "/"
        self.edges: dict[str, set[str]] = {}
        self._before: set[str] = set()

    def relative(self, filename: Any) -> str | None:
        if not isinstance(filename, str):
            return None
        # sys.path entries such as tests/../src leave `..` in __file__.
        filename = os.path.normpath(filename)
        if not filename.startswith(self.prefix):
            return None
        if filename.endswith((".pyc", ".pyo")):
            filename = filename[:-1]
        return filename[len(self.prefix):].replace(os.sep, "/")

    def record(self, name: str, globals_: Any, fromlist: Any, level: int) -> None:
        if not isinstance(globals_, dict):
            return
        importer = self.relative(globals_.get("__file__"))
        if importer is None:
            return
        if level > 0:
            package = globals_.get("__package__")
            if not package:
                module_name = str(globals_.get("__name__", ""))
                package = module_name if "__path__" in globals_ else module_name.rpartition(".")[0]
            absolute = resolve_name("." * level + name, package)
        else:
            absolute = name
        parts = absolute.split(".")
        # `import a.b.c` runs a/__init__.py and a/b/__init__.py too.
        targets = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
        for item in fromlist or ():
            if isinstance(item, str) and item != "*":
                targets.append(f"{absolute}.{item}")
        found = self.edges.setdefault(importer, set())
        for target in targets:
            module = sys.modules.get(target)
            path = self.relative(getattr(module, "__file__", None)) if module is not None else None
            if path is not None and path != importer:
                found.add(path)

    def stop(self) -> None:
        builtins.__import__ = _original_import
        for name in set(sys.modules) - self._before:
            path = self.relative(getattr(sys.modules.get(name), "__file__", None))
            if path is not None:
                self.edges.setdefault(path, set())

    def record_failure(self, globals_: Any, exc: BaseException) -> None:
        """An import that raised: the project files its traceback went
        through (and a SyntaxError's file) are what fixing it takes."""
        if not isinstance(globals_, dict):
            return
        importer = self.relative(globals_.get("__file__"))
        if importer is None:
            return
        files = [getattr(exc, "filename", None)] if isinstance(exc, SyntaxError) else []
        tb = exc.__traceback__
        while tb is not None:
            files.append(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        found = self.edges.setdefault(importer, set())
        for filename in files:
            path = self.relative(filename)
            if path is not None and path != importer:
                found.add(path)

    def result(self) -> dict[str, list[str]]:
        return {importer: sorted(imported) for importer, imported in sorted(self.edges.items())}


def start(rootdir: str) -> ImportGraph:
    """Record project imports until ``stop``: every ``import`` statement run
    by a project file adds its edges, and every project module first
    imported meanwhile is listed (with no edges when it imports no project
    file), so the host can tell "imports nothing" from "not seen"."""
    graph = ImportGraph(rootdir)
    graph._before = set(sys.modules)

    def recording_import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        try:
            module = _original_import(name, globals, locals, fromlist, level)
        except BaseException as exc:
            try:
                graph.record_failure(globals, exc)
            except Exception:  # noqa: BLE001 - recording never breaks an import
                pass
            raise
        try:
            graph.record(name, globals, fromlist, level)
        except Exception:  # noqa: BLE001 - recording never breaks an import
            pass
        return module

    builtins.__import__ = recording_import
    return graph
