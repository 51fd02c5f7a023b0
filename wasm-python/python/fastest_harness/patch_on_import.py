"""Patch a standard module right after its first import.

``sandbox_limits`` replaces entry points of modules (``subprocess``,
``multiprocessing.process``...) that the snapshot may not hold yet; importing
them at every boot to patch them would cost each worker their import. A
``PatchOnImport`` finder, first on ``sys.meta_path``, lets the usual finder
find the module and wraps its loader so that the patch runs once the
module's code has.
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any, Callable


class PatchOnImport(importlib.abc.MetaPathFinder):
    """Applies ``patches[name]`` to module ``name`` right after its first import."""

    def __init__(self) -> None:
        self.patches: dict[str, Callable[[Any], None]] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        patch = self.patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, patch: Callable[[Any], None]) -> None:
        self._loader, self._patch = loader, patch

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename...: the real loader's
        return getattr(self._loader, name)


def install(patches: dict[str, Callable[[Any], None]]) -> None:
    """Patch each module of ``patches`` now if it is imported already, else at its first import."""
    lazy = PatchOnImport()
    for name, patch in patches.items():
        if name in sys.modules:
            patch(sys.modules[name])
        else:
            lazy.patches[name] = patch
    if lazy.patches:
        sys.meta_path.insert(0, lazy)
