"""Facts about a collected item that only the host's selection and
``--collect-only`` need: mark keyword arguments (``-m "name(key=value)"``)
and the parent chain (``CollectedItem.marks`` / ``.nodes`` in
``core/protocol.ts``)."""

from __future__ import annotations

import inspect
import math
from typing import Any

_PLAIN = (str, int, float, bool, type(None))


def marks(item: Any, found: list[Any] | None = None) -> list[dict]:
    """Every mark on the item (``found``, when already read) with its plain-valued keyword arguments."""
    result = []
    for mark in item.iter_markers() if found is None else found:
        kwargs = {k: v for k, v in mark.kwargs.items()
                  if isinstance(v, _PLAIN) and not (isinstance(v, float) and not math.isfinite(v))}
        result.append({"name": mark.name, "kwargs": kwargs})
    return result


def _doc(node: Any) -> str | None:
    if node.kind in ("dir", "package", "session"):
        return None
    if node.kind == "function":
        # The class attribute, not a bound method: no TestCase instance is made for a docstring.
        owner = node.parent.obj if node.parent.kind == "class" else None
        obj = getattr(owner, node.originalname, None) if owner is not None else node.function
    else:
        obj = getattr(node, "obj", None)
    if obj is None:
        return None
    try:
        return inspect.getdoc(obj)
    except Exception:  # noqa: BLE001 - a docstring is never worth a failure
        return None


def nodes(item: Any, with_docs: bool) -> list[dict]:
    """The item's chain below the session as ``{type, name[, doc]}``, outermost first."""
    chain = []
    for node in item.listchain():
        if node.kind == "session":
            continue
        entry: dict[str, Any] = {"type": type(node).__name__, "name": node.name}
        if with_docs:
            doc = _doc(node)
            if doc:
                entry["doc"] = doc
        chain.append(entry)
    return chain
