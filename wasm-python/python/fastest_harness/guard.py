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
import operator
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
# restore() runs after every test phase: it first checks, at C speed (map,
# operator.is_), that everything is still in place, and loops only when not.
# Its tools are bound here, so a test that replaces the builtins cannot break it.
_OWNERS, _ATTRS, _VALUES = (tuple(column) for column in zip(*_SAVED))
_NONES = (None,) * len(_SAVED)
_all, _map, _getattr, _setattr, _is = all, map, getattr, setattr, operator.is_


def keep_modules(*names: str) -> None:
    """Modules that must stay importable, with their public names as they are
    now (the ``pytest`` shim lives only in memory: nothing could import it again)."""
    for name in names:
        module = sys.modules[name]
        _MODULES[name] = (module, {k: v for k, v in vars(module).items() if not k.startswith("_")})


def release_module(name: str) -> None:
    """Stop keeping a module (``--pytest-from-env`` replaces the ``pytest`` shim)."""
    _MODULES.pop(name, None)


def restore(modules: bool = True) -> None:
    """Put the names back; ``modules``: the kept modules' public names too (the
    runner asks for those once per test, after its teardown: checking every
    name of ``pytest`` after each phase was a tenth of an empty test's cost)."""
    # Timeouts and Ctrl-C reach Python as SIGINT: a test that ignored it would make them kill the worker.
    if signal.getsignal(signal.SIGINT) is not sigint.handler:
        sigint.install()
    if not _all(_map(_is, _map(_getattr, _OWNERS, _ATTRS, _NONES), _VALUES)):
        for owner, name, value in _SAVED:
            if _getattr(owner, name, None) is not value:
                _setattr(owner, name, value)
    for name, (module, public) in _MODULES.items() if modules else ():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
        names = vars(module)
        if _all(_map(_is, _map(names.get, public), public.values())):
            continue
        for key, value in public.items():
            if names.get(key) is not value:
                names[key] = value
