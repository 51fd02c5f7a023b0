"""The run's third-party packages (``--site-packages``, ``--wheels``).

The host copies their files into one sandbox folder; ``install`` puts it on
``sys.path`` the way Python's ``site`` module adds a site-packages folder
(``.pth`` files included, so editable installs pointing into the project
work). Modules the host left out because they are compiled for another
platform (``markupsafe._speedups`` built for x86_64 Linux) fail to import
with a message that names their package and how to provide a Pyodide build,
instead of a bare ``ModuleNotFoundError``. Packages that fall back to pure
Python when such a module is missing keep working: the error is a
``ModuleNotFoundError`` as before.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import site
import sys
from typing import Any

from .sandbox_limits import SandboxLimit


class CompiledModuleUnavailable(ModuleNotFoundError, SandboxLimit):
    """A dependency's module compiled for another platform was imported."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(f"{message}; or run this test outside the sandbox with plain pytest "
                         "(--sandbox-skip-unsupported reports such tests as skipped)", name=name)
        self.limit = f"{name} is compiled for another platform and cannot load in the WebAssembly sandbox"


CompiledModuleUnavailable.__module__ = "builtins"
CompiledModuleUnavailable.__name__ = CompiledModuleUnavailable.__qualname__ = "ModuleNotFoundError"


class UnavailableFinder(importlib.abc.MetaPathFinder):
    """Refuses the modules in ``messages`` with their message."""

    def __init__(self) -> None:
        self.messages: dict[str, str] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        message = self.messages.get(fullname)
        if message is not None:
            raise CompiledModuleUnavailable(message, fullname)
        return None


finder = UnavailableFinder()
# Site folders whose .pth files were read. A snapshot made by ``preimport``
# holds its folder on sys.path without them: their entries may point into
# the project, which is only written after the snapshot is restored.
_pth_read: set[str] = set()


def install(site_dir: str | None, unavailable: dict[str, str] | None) -> None:
    if site_dir and site_dir not in _pth_read:
        site.addsitedir(site_dir)
        _pth_read.add(site_dir)
    finder.messages = dict(unavailable or {})
    if finder.messages and finder not in sys.meta_path:
        sys.meta_path.insert(0, finder)


class _NoCompiledModules(importlib.abc.MetaPathFinder):
    """While a snapshot is made, refuses compiled (WebAssembly) modules of
    the dependencies: the snapshot holds the interpreter's memory but not the
    libraries loaded into it, so one imported there would be broken after
    the restore. Records that it refused one."""

    def __init__(self, site_dir: str) -> None:
        self.prefix = site_dir.rstrip("/") + "/"
        self.refused = False

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader) and str(spec.origin).startswith(self.prefix):
            self.refused = True
            raise ImportError(f"{fullname} is compiled: it is imported by the run, not into the snapshot", name=fullname)
        return None


def preimport(site_dir: str, unavailable: dict[str, str], names: list[str]) -> list[str]:
    """Import the dependencies' top-level modules before a snapshot is taken,
    so that a run restored from it finds them imported (compiling and running
    their module code inside WebAssembly is most of an import's cost). A name
    whose import fails, or reaches outside ``site_dir`` and the standard
    library, or needs a compiled module, is rolled back: its modules are
    forgotten and the run imports it itself. Returns the names that stayed
    imported."""
    install(None, unavailable)
    if site_dir not in sys.path:
        sys.path.append(site_dir)
    allowed = (site_dir.rstrip("/") + "/", "/lib/")
    compiled = _NoCompiledModules(site_dir)
    sys.meta_path.insert(0, compiled)
    kept: list[str] = []
    for name in names:
        before = set(sys.modules)
        compiled.refused = False
        try:
            __import__(name)
            added = [sys.modules[m] for m in set(sys.modules) - before]
            ok = not compiled.refused and all(str(getattr(m, "__file__", None) or "/lib/").startswith(allowed) for m in added)
        except BaseException:  # noqa: BLE001 - any failure: the run imports it as it would
            ok = False
        if ok:
            kept.append(name)
        else:
            for module in set(sys.modules) - before:
                del sys.modules[module]
    sys.meta_path.remove(compiled)
    # Folders that did not exist yet must be looked at again after the restore.
    for key in [k for k, v in sys.path_importer_cache.items() if v is None]:
        del sys.path_importer_cache[key]
    return kept
