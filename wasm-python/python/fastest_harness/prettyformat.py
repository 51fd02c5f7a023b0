"""The one-item-per-line pretty format pytest uses for ``-v`` full diffs."""

from __future__ import annotations

import dataclasses
from typing import Any

INDENT = 4


class _SortKey:
    """Orders mixed, unorderable values by type name, then id, as a fallback."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: "_SortKey") -> bool:
        try:
            return self.value < other.value
        except TypeError:
            return ((str(type(self.value)), id(self.value))
                    < (str(type(other.value)), id(other.value)))


def _items_block(parts: list[str], indent: int) -> str:
    if not parts:
        return ""
    pad = "\n" + " " * (indent + INDENT)
    return "".join(pad + part + "," for part in parts) + "\n" + " " * indent


def _fmt(obj: Any, indent: int, seen: set[int]) -> str:
    kind = type(obj).__repr__
    if id(obj) in seen and kind in (list.__repr__, dict.__repr__, tuple.__repr__, set.__repr__):
        return f"<Recursion on {type(obj).__name__} with id={id(obj)}>"
    inner = indent + INDENT
    if kind in (list.__repr__, tuple.__repr__):
        seen.add(id(obj))
        opener, closer = ("[", "]") if kind is list.__repr__ else ("(", ")")
        body = _items_block([_fmt(x, inner, seen) for x in obj], indent)
        seen.discard(id(obj))
        return opener + body + closer
    if kind is dict.__repr__:
        seen.add(id(obj))
        pairs = sorted(obj.items(), key=lambda kv: (_SortKey(kv[0]), _SortKey(kv[1])))
        body = _items_block([f"{k!r}: {_fmt(v, inner, seen)}" for k, v in pairs], indent)
        seen.discard(id(obj))
        return "{" + body + "}"
    if kind in (set.__repr__, frozenset.__repr__):
        if not obj:
            return repr(obj)
        opener, closer = ("{", "}") if type(obj) is set else (type(obj).__name__ + "({", "})")
        body = _items_block([_fmt(x, inner, seen) for x in sorted(obj, key=_SortKey)], indent)
        return opener + body + closer
    if (dataclasses.is_dataclass(obj) and not isinstance(obj, type)
            and "__create_fn__" in getattr(getattr(type(obj).__repr__, "__wrapped__", None), "__qualname__", "")):
        parts = []
        for field in dataclasses.fields(obj):
            if field.repr:
                parts.append(f"{field.name}=" + _fmt(getattr(obj, field.name), inner + len(field.name) + 1, seen))
        return type(obj).__name__ + "(" + _items_block(parts, indent) + ")"
    return repr(obj)


def pformat(obj: Any) -> str:
    return _fmt(obj, 0, set())
