"""``--fixtures`` and ``--fixtures-per-test``: the listings pytest prints
instead of running, built from the fixtures known after collection.

Built-in fixtures come first, in pytest's order, with pytest's summaries;
their location is where the harness defines them (pytest prints its own
``.../_pytest/...`` files there). Then the project's fixtures grouped by
module, as pytest sorts them: by how deep they are defined, module name,
``path:line`` as text, then name."""

from __future__ import annotations

import inspect
import os
from typing import Any, Union

# A listing line: text, or a ``{"sep": title}`` line the host draws with ``-`` to the terminal width.
Line = Union[str, dict]

from .fixtures import get_real_func

# pytest 9's built-in fixtures in its listing order, with the first paragraph of their docs.
BUILTINS: dict[str, str] = {
    "cache": "Return a cache object that can persist state between testing sessions.",
    "capsys": "Enable text capturing of writes to ``sys.stdout`` and ``sys.stderr``.",
    "capteesys": "Enable simultaneous text capturing and pass-through of writes\n"
                 "to ``sys.stdout`` and ``sys.stderr`` as defined by ``--capture=``.",
    "capsysbinary": "Enable bytes capturing of writes to ``sys.stdout`` and ``sys.stderr``.",
    "capfd": "Enable text capturing of writes to file descriptors ``1`` and ``2``.",
    "capfdbinary": "Enable bytes capturing of writes to file descriptors ``1`` and ``2``.",
    "doctest_namespace": "Fixture that returns a :py:class:`dict` that will be injected into the\n"
                         "namespace of doctests.",
    "pytestconfig": "Session-scoped fixture that returns the session's :class:`pytest.Config`\nobject.",
    "record_property": "Add extra properties to the calling test.",
    "record_xml_attribute": "Add extra xml attributes to the tag for the calling test.",
    "record_testsuite_property": "Record a new ``<property>`` tag as child of the root ``<testsuite>``.",
    "tmpdir_factory": "Return a :class:`pytest.TempdirFactory` instance for the test session.",
    "tmpdir": "Return a temporary directory (as `legacy_path`_ object)\n"
              "which is unique to each test function invocation.\n"
              "The temporary directory is created as a subdirectory\n"
              "of the base temporary directory, with configurable retention,\n"
              "as discussed in :ref:`temporary directory location and retention`.",
    "caplog": "Access and control log capturing.",
    "monkeypatch": "A convenient fixture for monkey-patching.",
    "recwarn": "Return a :class:`WarningsRecorder` instance that records all warnings emitted by test functions.",
    "subtests": "Provides subtests functionality.",
    "tmp_path_factory": "Return a :class:`pytest.TempPathFactory` instance for the test session.",
    "tmp_path": "Return a temporary directory (as :class:`pathlib.Path` object)\n"
                "which is unique to each test function invocation.\n"
                "The temporary directory is created as a subdirectory\n"
                "of the base temporary directory, with configurable retention,\n"
                "as discussed in :ref:`temporary directory location and retention`.",
}
_ORDER = {name: i for i, name in enumerate(BUILTINS)}


def _def_line(func: Any) -> tuple[str, int]:
    """File and line pytest shows for a function: one past ``co_firstlineno``
    (the ``def`` line under one decorator)."""
    code = getattr(get_real_func(func), "__code__", None)
    if code is None:
        return "?", 0
    return code.co_filename, code.co_firstlineno + 1


def _location(func: Any, invocation_dir: str, builtin: bool) -> str:
    path, line = _def_line(func)
    if builtin:
        return f".../fastest_harness/{os.path.basename(path)}:{line}"
    return f"{os.path.relpath(path, invocation_dir)}:{line}"


def _entry(fixturedef: Any, location: str, doc: str | None, verbose: int) -> list[str]:
    head = fixturedef.argname
    if fixturedef.scope != "function":
        head += f" [{fixturedef.scope} scope]"
    lines = [f"{head} -- {location}"]
    if doc:
        text = doc if verbose > 0 else doc.split("\n\n")[0]
        lines.extend(f"    {line}" if line else "    " for line in text.split("\n"))
    else:
        lines.append("    no docstring available")
    lines.append("")
    return lines


def _generated(fixturedef: Any) -> bool:
    # Fixtures the harness makes for xunit and unittest setup methods.
    return fixturedef.argname.startswith(("_xunit_", "_unittest_"))


def _doc(fixturedef: Any, builtin: bool) -> str | None:
    if builtin:
        return BUILTINS.get(fixturedef.argname)
    return inspect.getdoc(get_real_func(fixturedef.func))


def fixtures(manager: Any, invocation_dir: str, verbose: int) -> list[Line]:
    """pytest's ``--fixtures`` listing (without the session header and summary)."""
    available = []
    seen: set[tuple[str, str]] = set()
    for defs in manager.defs.values():
        for fixturedef in defs:
            if _generated(fixturedef):
                continue
            builtin = not fixturedef.has_location
            location = _location(fixturedef.func, invocation_dir, builtin)
            if (fixturedef.argname, location) in seen:
                continue
            seen.add((fixturedef.argname, location))
            module = "_pytest" if builtin else getattr(get_real_func(fixturedef.func), "__module__", "")
            order = _ORDER.get(fixturedef.argname, len(_ORDER)) if builtin else 0
            available.append((len(fixturedef.baseid), module, order, location, fixturedef.argname, fixturedef, builtin))
    available.sort(key=lambda entry: entry[:5])
    lines: list[Line] = []
    current = None
    for _depth, module, _order, location, argname, fixturedef, builtin in available:
        if module != current:
            if not builtin:
                lines.append("")
                lines.append({"sep": f"fixtures defined from {module}"})
            current = module
        if verbose <= 0 and argname.startswith("_"):
            continue
        lines.extend(_entry(fixturedef, location, _doc(fixturedef, builtin), verbose))
    return lines


def fixtures_per_test(items: list[Any], invocation_dir: str, verbose: int) -> list[Line]:
    """pytest's ``--fixtures-per-test`` listing: for each test, the fixtures it uses."""
    lines: list[Line] = []
    for item in items:
        defs = getattr(item, "_arg2fixturedefs", None) or {}
        used = [d[-1] for name, d in sorted(defs.items()) if d and not _generated(d[-1])]
        if verbose <= 0:
            used = [d for d in used if not d.argname.startswith("_")]
        if not used:
            continue
        path, line = _def_line(item.function)
        lines.append("")
        lines.append({"sep": f"fixtures used by {item.name}"})
        lines.append({"sep": f"({os.path.relpath(path, invocation_dir)}:{line})"})
        for fixturedef in used:
            builtin = not fixturedef.has_location
            location = _location(fixturedef.func, invocation_dir, builtin)
            doc = _doc(fixturedef, builtin)
            lines.append(f"{fixturedef.argname} -- {location}")
            if doc:
                text = doc if verbose > 0 else doc.split("\n\n")[0]
                lines.extend(f"    {part}" for part in text.split("\n"))
            else:
                lines.append("    no docstring available")
    return lines
