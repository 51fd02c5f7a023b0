"""Reordering items so that higher-scoped parametrized fixtures are set up
as few times as possible (pytest's ``reorder_items``): items sharing a
session/package/module/class-scoped parameter are grouped together."""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any

from .fixtures import CLASS, FUNCTION, MODULE, PACKAGE, SESSION

_HIGH = (SESSION, PACKAGE, MODULE, CLASS)


def _param_keys(item: Any, scope: int) -> list[tuple]:
    spec = item.callspec
    if spec is None:
        return []
    if scope == SESSION:
        where: Any = None
        cls = None
    elif scope == PACKAGE:
        where, cls = item.path.parent, None
    elif scope == MODULE:
        where, cls = item.path, None
    else:
        where, cls = item.path, item.cls
    return [(name, spec.indices[name], where, cls) for name in spec.indices
            if spec.scopes.get(name, FUNCTION) == scope]


def _has_high_scope_param(item: Any) -> bool:
    """Whether ``_param_keys`` has anything for the item at some scope above function."""
    spec = item.callspec
    if spec is None:
        return False
    scopes = spec.scopes
    for name in spec.indices:
        if scopes.get(name, FUNCTION) != FUNCTION:
            return True
    return False


def reorder_items(items: list[Any]) -> list[Any]:
    # Most suites parametrize at function scope only: then nothing moves.
    if not any(map(_has_high_scope_param, items)):
        return list(items)
    keys_by_item: dict[int, dict[Any, dict]] = {}
    items_by_key: dict[int, dict[tuple, OrderedDict]] = {}
    for scope in _HIGH:
        per_item = keys_by_item[scope] = {}
        per_key = items_by_key[scope] = {}
        for item in items:
            keys = dict.fromkeys(_param_keys(item, scope))
            if keys:
                per_item[item] = keys
                for key in keys:
                    per_key.setdefault(key, OrderedDict())[item] = None
    if not any(keys_by_item[s] for s in _HIGH):
        return list(items)
    return list(_reorder_at(dict.fromkeys(items), keys_by_item, items_by_key, SESSION))


def _reorder_at(items: dict, keys_by_item: dict, items_by_key: dict, scope: int) -> dict:
    if scope == FUNCTION or len(items) < 3:
        return items
    scoped_items_by_key = items_by_key[scope]
    scoped_keys_by_item = keys_by_item[scope]
    used: set[tuple] = set()
    queue = deque(items)
    done: dict = {}
    while queue:
        keyless: dict = {}
        slicing_key = None
        while queue:
            item = queue.popleft()
            if item in done or item in keyless:
                continue
            keys = dict.fromkeys(k for k in scoped_keys_by_item.get(item, ()) if k not in used)
            if not keys:
                keyless[item] = None
                continue
            slicing_key, _ = keys.popitem()
            # Pull every item sharing this parameter to the front, in order.
            matching = [i for i in scoped_items_by_key[slicing_key] if i in items]
            for other in reversed(matching):
                queue.appendleft(other)
                for any_scope in _HIGH:
                    for key in keys_by_item[any_scope].get(other, ()):
                        bucket = items_by_key[any_scope][key]
                        bucket[other] = None
                        bucket.move_to_end(other, last=False)
            break
        if keyless:
            done.update(_reorder_at(keyless, keys_by_item, items_by_key, scope - 1))
        if slicing_key is not None:
            used.add(slicing_key)
    return done
