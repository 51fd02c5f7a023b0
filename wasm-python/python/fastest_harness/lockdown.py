"""The Python half of the sandbox's lockdown (the JavaScript half is
``wasm-python/pyodide/lockdown.ts``), run in every interpreter restored
from the snapshot before any project file is read.

``apply(environment)``:

* removes the ``js`` and ``pyodide_js`` modules and their submodules
  (``pyodide_js._api`` is Pyodide's internal API object) from
  ``sys.modules``, and empties what stays reachable of them: a module
  object, its loader and its spec each hold the JavaScript object the module
  was made from, and through ``pyodide_js`` that is Pyodide's whole API,
  file system mounts included. ``gc.get_objects()`` would find them;
* makes the network fail with a clear message (``nonetwork``);
* makes threads, processes, signal timers and the standard library's
  missing compiled modules fail with one message naming the limit and the
  way out (``sandbox_limits``);
* installs the SIGINT handler that tells Ctrl-C from a test's own
  ``raise KeyboardInterrupt`` (``sigint``);
* resets ``os.environ`` to exactly ``environment``.
"""

from __future__ import annotations

import os
import sys
import types

from . import nonetwork, sandbox_limits, sigint

_JS_MODULES = ("js", "pyodide_js")


def apply(environment: dict[str, str]) -> list[str]:
    """Lock the interpreter down; returns the modules this had to import.

    Every boot pays for those (compiled from source inside WebAssembly), so
    the list should stay empty: ``preload`` puts them into the snapshot.
    """
    before = set(sys.modules)
    cut_js_modules()
    nonetwork.install()
    sandbox_limits.install()
    sigint.install()
    # Emscripten adds variables of its own (one names the host's script).
    os.environ.clear()
    os.environ.update(environment)
    return sorted(set(sys.modules) - before)


def preload() -> None:
    """Import what ``apply`` patches, so that a snapshot taken afterwards holds it."""
    nonetwork.preload()


def cut_js_modules() -> None:
    try:
        from _pyodide._importhook import JsLoader
    except ImportError:
        return  # not Pyodide (the WASI engine): there is no JavaScript to cut off

    prefixes = tuple(f"{name}." for name in _JS_MODULES)
    for name in [n for n in sys.modules if n in _JS_MODULES or n.startswith(prefixes)]:
        module = sys.modules.pop(name)
        for loader in (_attribute(module, "__loader__"), _attribute(_attribute(module, "__spec__"), "loader")):
            if isinstance(loader, JsLoader):
                loader.jsproxy = None
        if isinstance(module, types.ModuleType):
            module.__dict__.clear()
            module.__name__ = name


def _attribute(obj: object, name: str) -> object:
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - a JS object can throw from any property read
        return None
