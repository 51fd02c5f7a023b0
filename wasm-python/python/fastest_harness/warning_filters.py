"""Warning filters per test (ini ``filterwarnings`` and ``@pytest.mark.filterwarnings``)
and the records sent to the host."""

from __future__ import annotations

import builtins
import importlib
import re
import sys
import warnings
from typing import Any


def _category(name: str) -> type[Warning]:
    if not name:
        return Warning
    if "." not in name:
        found = getattr(builtins, name, None)
        if found is None:
            import pytest
            found = getattr(pytest, name, None)
    else:
        module, _, attr = name.rpartition(".")
        found = getattr(importlib.import_module(module), attr, None)
    if not (isinstance(found, type) and issubclass(found, Warning)):
        raise ValueError(f"{name!r} is not a Warning subclass")
    return found


def parse(spec: str, escape: bool) -> tuple:
    parts = spec.split(":")
    if len(parts) > 5:
        raise ValueError(f"too many fields (max 5): {spec!r}")
    parts += [""] * (5 - len(parts))
    action, message, category, module, lineno = (p.strip() for p in parts)
    if action == "":
        action = "default"
    if escape:
        message = re.escape(message)
        module = re.escape(module) + r"\Z" if module else module
    return action, message, _category(category), module, int(lineno) if lineno else 0


def enabled(config: Any) -> bool:
    """False under ``-p no:warnings``: warnings are then neither caught nor
    reported, Python's own ``showwarning`` prints them (into the captured stderr)."""
    return "warnings" not in (config._raw.get("disabledPlugins") or [])


def from_config(config: Any) -> list[tuple]:
    """ini ``filterwarnings`` lines, then ``-W`` options (later ones win, as in pytest;
    ``-W`` message and module are literal text, not regular expressions)."""
    lines = config.getini("filterwarnings") or []
    if isinstance(lines, str):
        lines = [line for line in lines.splitlines() if line.strip()]
    cmdline = config._raw.get("pythonWarnings") or []
    return [parse(line, escape=False) for line in lines] + [parse(arg, escape=True) for arg in cmdline]


def apply(config_filters: list[tuple], item: Any) -> None:
    apply_run(config_filters)
    apply_item(item)


def apply_run(config_filters: list[tuple]) -> None:
    """The filters every test of a run gets: deprecations shown, then ini and ``-W``."""
    if not sys.warnoptions:
        warnings.filterwarnings("always", category=DeprecationWarning)
        warnings.filterwarnings("always", category=PendingDeprecationWarning)
    for action, message, category, module, lineno in config_filters:
        warnings.filterwarnings(action, message, category, module, lineno)


def apply_item(item: Any) -> None:
    """The item's ``filterwarnings`` marks, over the run's filters."""
    # Closest marks first, so a class's or module's mark, added later, takes precedence (as in pytest).
    for mark in item.iter_markers("filterwarnings"):
        for arg in mark.args:
            action, message, category, module, lineno = parse(arg, escape=False)
            warnings.filterwarnings(action, message, category, module, lineno)


def record(w: Any, nodeid: str) -> dict:
    # pytest prints warnings.formatwarning()'s text, source line included.
    formatted = warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line)
    return {"nodeid": nodeid, "category": w.category.__name__, "message": str(w.message),
            "filename": str(w.filename), "lineno": int(w.lineno or 0), "formatted": formatted}
