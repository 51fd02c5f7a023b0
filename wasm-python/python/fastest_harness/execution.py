"""Which project functions each test executed (``HarnessConfig.recordExecution``),
for ``--changed``: a change inside a function's body only affects the tests
that ran that function.

How it is measured, cheaply: when a project module (a ``.py`` file under the
rootdir, outside site-packages, not a test file or conftest) is imported, its
code objects get *local* ``PY_START`` and ``PY_RESUME`` events on tool 4
(coverage uses tool 3, so both can run together; a generator created in
one test and resumed in another counts for both). The first event of a
function records it in the current bucket and returns ``DISABLE``, so a
function costs a callback or two per bucket however often it runs. When the bucket changes (next test, next
file's collection...) only the functions that fired since are re-armed, by
switching their local event off and on again; ``restart_events()`` is not
used because it would re-arm every code object of every tool.

Buckets, each a set of code objects plus the buckets it depends on:

* a test: its setup, call and teardown;
* a test file's collection (decorators, parametrize data, module body);
* a project module's import (its module-level code, whoever imported it);
* a fixture of a wider scope than ``function``: its setup and teardown,
  included in every test that used it, including from the cache;
* the session: anything outside the others (``pytest_collection_modifyitems``,
  session teardown in ``finish``), which the host counts for every test.

``take()`` flattens them into plain data for ``RunFinish.execution``.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from types import CodeType
from typing import Any

_TOOL_ID = 4
# A site-packages folder inside the project (a .venv) is third-party code.
_THIRD_PARTY = re.compile(r"(^|/)(site|dist)-packages/")
# Code objects of functions, lambdas and comprehensions (not of module or class bodies).
_FUNCTION = inspect.CO_OPTIMIZED
_EVENTS = lambda: sys.monitoring.events.PY_START | sys.monitoring.events.PY_RESUME  # noqa: E731
# Code objects that are parts of the function around them: a change to them is
# a change to that function's body (lambda, generator expression, comprehension).
_INNER = ("<lambda>", "<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>")


class Bucket:
    __slots__ = ("codes", "includes")

    def __init__(self) -> None:
        # (file, code object): code objects compare equal whatever their file, so
        # the same function in two modules would otherwise count for one of them.
        self.codes: set[tuple[str, CodeType]] = set()
        self.includes: list[Bucket] = []


class Recorder:
    def __init__(self, rootdir: str) -> None:
        self.prefix = os.path.normpath(rootdir).rstrip("/") + "/"
        self.session = Bucket()
        self.stack: list[Bucket] = [self.session]
        self.fired: list[CodeType] = []
        self.tests: dict[str, Bucket] = {}
        self.files: dict[str, Bucket] = {}
        self.modules: dict[str, Bucket] = {}
        self.armed_files: set[str] = set()
        self.running = False
        self._relative: dict[str, str | None] = {}
        # Each recorded code object's (file, function), worked out once.
        self.named: dict[tuple[str, CodeType], tuple[str, str]] = {}

    def relative(self, filename: Any) -> str | None:
        """A project file's rootdir-relative path, or None for any other file."""
        if not isinstance(filename, str):
            return None
        known = self._relative.get(filename, False)
        if known is not False:
            return known  # type: ignore[return-value]
        rel: str | None = None
        path = os.path.normpath(filename)
        if filename.endswith(".py") and path.startswith(self.prefix):
            rel = path[len(self.prefix):].replace(os.sep, "/")
            if _THIRD_PARTY.search(rel):
                rel = None
        self._relative[filename] = rel
        return rel

    def start(self) -> None:
        mon = sys.monitoring
        if mon.get_tool(_TOOL_ID) is not None:
            mon.free_tool_id(_TOOL_ID)
        mon.use_tool_id(_TOOL_ID, "fastest changed")
        stack, fired, disable = self.stack, self.fired, mon.DISABLE

        def on_start(code: CodeType, _offset: int) -> Any:
            stack[-1].codes.add((code.co_filename, code))
            fired.append(code)
            return disable

        mon.register_callback(_TOOL_ID, mon.events.PY_START, on_start)
        mon.register_callback(_TOOL_ID, mon.events.PY_RESUME, on_start)
        self.running = True

    def stop(self) -> None:
        if not self.running:
            return
        mon = sys.monitoring
        mon.register_callback(_TOOL_ID, mon.events.PY_START, None)
        mon.register_callback(_TOOL_ID, mon.events.PY_RESUME, None)
        mon.free_tool_id(_TOOL_ID)
        self.running = False

    def arm(self, code: CodeType, rel: str) -> None:
        """Watch every function of a project module about to run."""
        self.armed_files.add(rel)
        set_local, start = sys.monitoring.set_local_events, _EVENTS()
        todo = [code]
        while todo:
            current = todo.pop()
            # Functions only: the module's and class bodies' code runs at import (the module bucket).
            if current.co_flags & _FUNCTION:
                set_local(_TOOL_ID, current, start)
            todo.extend(c for c in current.co_consts if isinstance(c, CodeType))

    def _rearm(self) -> None:
        """Functions that fired since the last switch report again in the next bucket."""
        if not self.fired:
            return
        set_local, start = sys.monitoring.set_local_events, _EVENTS()
        for code in self.fired:
            set_local(_TOOL_ID, code, 0)
            set_local(_TOOL_ID, code, start)
        self.fired.clear()

    def push(self, bucket: Bucket) -> None:
        self._rearm()
        top = self.stack[-1]
        # The session's own bucket counts for every test already; it needs no list of them.
        if top is not self.session:
            top.includes.append(bucket)
        self.stack.append(bucket)

    def pop(self) -> None:
        self._rearm()
        self.stack.pop()

    def take(self) -> dict[str, Any]:
        """Every bucket as ``{file: [qualnames]}``, with what it includes folded in."""
        self._rearm()
        flat = lambda bucket: _names(self, _closure(bucket))  # noqa: E731
        # Project modules that ran without being watched (loaded another way):
        # a change to them cannot be narrowed to functions.
        unwatched = sorted({rel for module in list(sys.modules.values())
                            if (rel := self.relative(getattr(module, "__file__", None))) is not None
                            and rel not in self.armed_files})
        return {
            "tests": {nodeid: flat(b) for nodeid, b in self.tests.items()},
            "files": {rel: flat(b) for rel, b in self.files.items()},
            "modules": {rel: flat(b) for rel, b in self.modules.items()},
            "session": _names(self, self.session.codes),
            "unwatched": unwatched,
        }


def _closure(bucket: Bucket) -> set[tuple[str, CodeType]]:
    codes: set[tuple[str, CodeType]] = set()
    seen: set[int] = set()
    todo = [bucket]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        codes |= current.codes
        todo.extend(current.includes)
    return codes


def _names(recorder: Recorder, codes: set[tuple[str, CodeType]]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    named = recorder.named
    for entry in codes:
        key = named.get(entry)
        if key is None:
            rel = recorder.relative(entry[0])
            key = named[entry] = (rel, function_name(entry[1].co_qualname)) if rel is not None else ("", "")
        if key[0]:
            out.setdefault(key[0], set()).add(key[1])
    return {rel: sorted(names) for rel, names in sorted(out.items())}


def function_name(qualname: str) -> str:
    """The qualified name of the ``def`` whose body holds a code object:
    ``f.<locals>.<lambda>`` is part of ``f``."""
    parts = qualname.split(".")
    while len(parts) > 1 and parts[-1] in _INNER:
        parts.pop()
        if parts and parts[-1] == "<locals>":
            parts.pop()
    return ".".join(parts)


_state: dict[str, Recorder | None] = {"current": None}


def begin(rootdir: str) -> None:
    """Start recording for a run (``configure``)."""
    end()
    if getattr(sys, "monitoring", None) is None:
        return
    recorder = Recorder(rootdir)
    recorder.start()
    _state["current"] = recorder


def end() -> None:
    current = _state["current"]
    if current is not None:
        current.stop()
    _state["current"] = None


def take() -> dict[str, Any] | None:
    """What was recorded since ``begin`` (None when not recording); recording goes on."""
    current = _state["current"]
    return current.take() if current is not None else None


def watches(filename: str) -> bool:
    """Is this a project module whose functions are recorded?"""
    current = _state["current"]
    return current is not None and current.relative(filename) is not None


def module_code(code: CodeType, filename: str) -> "_Inside":
    """Around running a module's body: arm its functions (project modules
    only) and record what the body runs in the module's bucket."""
    current = _state["current"]
    if current is None:
        return NOWHERE
    rel = current.relative(filename)
    if rel is None:
        return NOWHERE
    current.arm(code, rel)
    return _Inside(current, current.modules.setdefault(rel, Bucket()))


def module_body(filename: str) -> "_Inside":
    """Around a test file's or conftest's body: recorded in the module's bucket, not watched."""
    current = _state["current"]
    rel = current.relative(filename) if current is not None else None
    if current is None or rel is None:
        return NOWHERE
    current.armed_files.add(rel)  # a test file: the host never narrows a change to it
    return _Inside(current, current.modules.setdefault(rel, Bucket()))


def test(nodeid: str) -> "_Inside":
    current = _state["current"]
    return NOWHERE if current is None else _Inside(current, current.tests.setdefault(nodeid, Bucket()))


def collecting(path: str) -> "_Inside":
    """Around collecting one path given to ``collect`` (a test file, absolute)."""
    current = _state["current"]
    if current is None or not os.path.normpath(path).startswith(current.prefix):
        return NOWHERE
    rel = os.path.normpath(path)[len(current.prefix):].replace(os.sep, "/")
    return _Inside(current, current.files.setdefault(rel, Bucket()))


def fixture(holder: Any, key: Any) -> "_Inside":
    """A wider-scoped fixture's setup or teardown; ``holder`` keeps its bucket
    per param key. Entering it also counts it for the test now running."""
    current = _state["current"]
    if current is None:
        return NOWHERE
    buckets = getattr(holder, "_execution_buckets", None)
    if buckets is None:
        buckets = holder._execution_buckets = {}
    bucket = buckets.setdefault(key, Bucket())
    return _Inside(current, bucket)


def uses_fixture(holder: Any, key: Any) -> None:
    """The running test (or fixture) uses a wider-scoped fixture's cached value."""
    current = _state["current"]
    buckets = getattr(holder, "_execution_buckets", None) if current is not None else None
    if current is not None and buckets is not None and key in buckets:
        current.stack[-1].includes.append(buckets[key])


class _Inside:
    __slots__ = ("recorder", "bucket")

    def __init__(self, recorder: Recorder | None, bucket: Bucket | None) -> None:
        self.recorder, self.bucket = recorder, bucket

    def __enter__(self) -> None:
        if self.recorder is not None and self.bucket is not None:
            self.recorder.push(self.bucket)

    def __exit__(self, *exc: Any) -> None:
        if self.recorder is not None and self.bucket is not None:
            self.recorder.pop()


NOWHERE = _Inside(None, None)
