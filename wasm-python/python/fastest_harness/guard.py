"""Put back what a test took from the harness.

Tests share one interpreter with the harness. A test that replaces a
builtin or a standard-library function for good (``builtins.print = None``,
``json.dumps = ...``, ``sys.excepthook = None``), removes the ``pytest``
module from ``sys.modules`` or overwrites ``pytest.raises`` would otherwise
break the reporting (or the tests) after it in the same worker. ``restore()`` runs after each test and
puts these few names back, and the harness's SIGINT handler (``sigint``);
everything else a test changes stays changed, as under pytest.
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import sys
import time
from typing import Any

from . import sigint

_NAMES: list[tuple[Any, str]] = [
    (builtins, name) for name in ("print", "repr", "str", "isinstance", "len", "open", "getattr", "hasattr")
] + [
    (sys, "excepthook"), (sys, "displayhook"), (sys, "unraisablehook"),
    (json, "dumps"), (json, "loads"), (time, "perf_counter"), (time, "time"), (os, "getcwd"), (os, "fspath"),
]
_SAVED = [(owner, name, getattr(owner, name)) for owner, name in _NAMES]
_MODULES: dict[str, tuple[Any, dict[str, Any]]] = {}


def keep_modules(*names: str) -> None:
    """Modules that must stay importable, with their public names as they are
    now (the ``pytest`` shim lives only in memory: nothing could import it again)."""
    for name in names:
        module = sys.modules[name]
        _MODULES[name] = (module, {k: v for k, v in vars(module).items() if not k.startswith("_")})


def restore() -> None:
    # Timeouts and Ctrl-C reach Python as SIGINT: a test that ignored it would make them kill the worker.
    if signal.getsignal(signal.SIGINT) is not sigint.handler:
        sigint.install()
    for owner, name, value in _SAVED:
        if getattr(owner, name, None) is not value:
            setattr(owner, name, value)
    for name, (module, public) in _MODULES.items():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
        names = vars(module)
        for key, value in public.items():
            if names.get(key) is not value:
                names[key] = value
