"""``Metafunc``: parametrization of one test function and the ids of its variants."""

from __future__ import annotations

import enum
import re
from collections import Counter
from typing import Any, Callable, Sequence

from .fixtures import SCOPES, FUNCTION, func_location
from .marks import HIDDEN_PARAM, NOTSET, MarkDecorator, Mark, ParameterSet, mark as MARK
from .nodes import CallSpec
from .outcomes import fail
from .saferepr import saferepr

_UNPRINTABLE = {i: f"\\x{i:02x}" for i in range(128) if i not in range(32, 127)}
_UNPRINTABLE.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})


class CollectError(Exception):
    """A collector failed with a message that is the whole report."""


def ascii_escaped(value: str | bytes) -> str:
    if isinstance(value, bytes):
        text = value.decode("ascii", "backslashreplace")
    elif type(value) is str and value.isascii() and value.isprintable() and "\\" not in value:
        return value  # what most ids are: nothing to escape
    else:
        text = value.encode("unicode_escape").decode("ascii")
    return text.translate(_UNPRINTABLE)


def _id_from_value(value: Any) -> str | None:
    if isinstance(value, (str, bytes)):
        return ascii_escaped(value)
    if value is None or isinstance(value, (float, int, bool, complex)):
        return str(value)
    if isinstance(value, re.Pattern):
        return ascii_escaped(value.pattern)
    if value is NOTSET:
        return None
    if isinstance(value, enum.Enum):
        return str(value)
    name = getattr(value, "__name__", None)
    if isinstance(name, str):
        return name
    return None


def make_ids(argnames: Sequence[str], parametersets: Sequence[ParameterSet], ids: Any,
             nodeid: str, func_name: str) -> list[Any]:
    """One unique id per parameter set, as pytest builds them."""
    idfn: Callable | None = ids if callable(ids) else None
    id_list = None if idfn is not None or ids is None else list(ids)
    resolved: list[Any] = []
    for idx, pset in enumerate(parametersets):
        if pset.id is not None:
            resolved.append(pset.id if pset.id is HIDDEN_PARAM else ascii_escaped(pset.id))
            continue
        if id_list is not None and idx < len(id_list) and id_list[idx] is not None:
            given = id_list[idx]
            if given is HIDDEN_PARAM:
                resolved.append(given)
                continue
            text = _id_from_value(given)
            if text is None:
                fail(f"In {func_name}: ids contains unsupported value {saferepr(given)} "
                     f"(type: {type(given)!r}) at index {idx}. Supported types are: str, bytes, "
                     "int, float, complex, bool, enum, regex or anything with a __name__.",
                     pytrace=False)
            resolved.append(text)
            continue
        parts = []
        for value, argname in zip(pset.values, argnames):
            text = None
            if idfn is not None:
                try:
                    from_fn = idfn(value)
                except Exception as exc:
                    raise ValueError(f"{nodeid}: error raised while trying to determine id of parameter "
                                     f"'{argname}' at position {idx}") from exc
                if from_fn is not None:
                    text = _id_from_value(from_fn)
            if text is None:
                text = _id_from_value(value)
            if text is None:
                text = f"{argname}{idx}"
            parts.append(text)
        resolved.append("-".join(parts))
    counts = Counter(resolved)
    if len(counts) != len(resolved):
        taken = set(resolved)
        suffixes: dict[Any, int] = {}
        for index, ident in enumerate(resolved):
            if counts[ident] <= 1 or ident is HIDDEN_PARAM:
                continue
            joiner = "_" if ident and ident[-1].isdigit() else ""
            n = suffixes.get(ident, 0)
            candidate = f"{ident}{joiner}{n}"
            while candidate in taken:
                n += 1
                candidate = f"{ident}{joiner}{n}"
            resolved[index] = candidate
            suffixes[ident] = n + 1
    return resolved


def parse_argnames(argnames: Any) -> tuple[list[str], bool]:
    if isinstance(argnames, str):
        names = [x.strip() for x in argnames.split(",") if x.strip()]
        return names, len(names) == 1
    return list(argnames), False


class Metafunc:
    """What ``pytest_generate_tests`` hooks receive."""

    def __init__(self, definition: Any, fixturenames: list[str], config: Any, cls: Any, module: Any,
                 arg2fixturedefs: dict) -> None:
        self.definition = definition
        self.function = definition.obj
        self.fixturenames = fixturenames
        self.config = config
        self.cls = cls
        self.module = module
        self._arg2fixturedefs = arg2fixturedefs
        self._calls: list[CallSpec] = []
        self._direct: set[str] = set()

    def parametrize(self, argnames: Any, argvalues: Any, indirect: Any = False, ids: Any = None,
                    scope: str | None = None, *, _param_mark: Mark | None = None) -> None:
        __tracebackhide__ = True
        names, force_tuple = parse_argnames(argnames)
        func_name = self.definition.name
        nodeid = self.definition.nodeid
        psets = [ParameterSet.extract(v, force_tuple) for v in argvalues]
        if not psets:
            _path, lineno = func_location(self.function)
            reason = f"got empty parameter set for ({', '.join(names)})"
            empty_mark = self.config.getini("empty_parameter_set_mark")
            if empty_mark == "xfail":
                deco: MarkDecorator = MARK.xfail(reason=reason, run=False)
            elif empty_mark == "fail_at_collect":
                raise CollectError(f"Empty parameter set in '{func_name}' at line {lineno + 1}")
            else:
                deco = MARK.skip(reason=reason)
            psets = [ParameterSet((NOTSET,) * len(names), (deco,), "NOTSET")]
        for pset in psets:
            if len(pset.values) != len(names):
                fail(f'{nodeid}: in "parametrize" the number of names ({len(names)}):\n  {names}\n'
                     f"must be equal to the number of values ({len(pset.values)}):\n  {pset.values}",
                     pytrace=False)
        if "request" in names:
            fail("'request' is a reserved name and cannot be used in @pytest.mark.parametrize", pytrace=False)
        if indirect is True:
            indirect_names = set(names)
        elif indirect is False or indirect is None:
            indirect_names = set()
        else:
            indirect_names = set(indirect)
            for name in indirect_names:
                if name not in names:
                    fail(f"In {func_name}: indirect fixture '{name}' doesn't exist", pytrace=False)
        for name in names:
            if name not in self.fixturenames:
                kind = "fixture" if name in indirect_names else "argument"
                if name in _defaulted_args(self.function):
                    fail(f"In {func_name}: function already takes an argument '{name}' with a default value",
                         pytrace=False)
                fail(f"In {func_name}: function uses no {kind} '{name}'", pytrace=False)
        if ids is not None and not callable(ids):
            ids = list(ids)
            if len(ids) != len(psets) and psets[0].id != "NOTSET":
                fail(f"In {func_name}: {len(psets)} parameter sets specified, with different number of ids: "
                     f"{len(ids)}", pytrace=False)
        if scope is not None:
            scope_index = SCOPES.index(scope)
        elif names and all(n in indirect_names for n in names):
            scopes = [self._arg2fixturedefs[n][-1].scope_index for n in names if self._arg2fixturedefs.get(n)]
            scope_index = min(scopes) if scopes else FUNCTION
        else:
            scope_index = FUNCTION
        ident_list = make_ids(names, psets, ids, nodeid, func_name)
        for name in names:
            if name not in indirect_names:
                self._direct.add(name)
        new_calls = []
        for base in self._calls or [CallSpec()]:
            for index, (ident, pset) in enumerate(zip(ident_list, psets)):
                spec = base.copy()
                for name, value in zip(names, pset.values):
                    if name in spec.params:
                        raise CollectError(f"{nodeid}: duplicate parametrization of {name!r}")
                    spec.params[name] = value
                    spec.indices[name] = index
                    spec.scopes[name] = scope_index
                    if name in indirect_names:
                        spec.indirect.add(name)
                if ident is not HIDDEN_PARAM:
                    spec._idlist.append(ident)
                for m in pset.marks:
                    m = getattr(m, "mark", m)
                    if isinstance(m, Mark):
                        spec.marks.append(m)
                new_calls.append(spec)
        self._calls = new_calls


def _defaulted_args(func: Any) -> set[str]:
    import inspect
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return set()
    return {p.name for p in params if p.default is not inspect.Parameter.empty}


def direct_parametrize_args(marks: list[Mark]) -> set[str]:
    """Argument names that ``parametrize`` marks provide directly (not via fixtures)."""
    found: set[str] = set()
    for m in marks:
        if m.name != "parametrize":
            continue
        argnames = m.args[0] if m.args else m.kwargs.get("argnames", ())
        names, _ = parse_argnames(argnames)
        indirect = m.kwargs.get("indirect", False)
        if indirect is True:
            continue
        if indirect is False or indirect is None:
            found.update(names)
        else:
            found.update(n for n in names if n not in indirect)
    return found
