"""Line and branch coverage of the project's code (``HarnessConfig.coverage``).

Measured with ``sys.monitoring`` (Python 3.12+), the way coverage.py's
``sysmon`` core does it: the only global event is ``PY_START``; the first
time a code object of a measured file starts, its ``LINE`` (and, with
branches, ``BRANCH_LEFT``/``BRANCH_RIGHT``) events are switched on for that
code object alone, and every callback returns ``DISABLE``, so each location
reports once and then costs nothing. Code outside the measured files pays
one ``PY_START`` per code object, once. Pythons without ``sys.monitoring``
(3.11, the WASI engine) measure the same data with ``sys.settrace``
(``cov_trace``).

What counts as a statement and as a branch comes from ``cov_analysis``.

The result goes to the host in ``finish()`` as plain data
(``CoverageData`` in ``core/protocol.ts``); the host merges workers and
writes the reports.
"""

from __future__ import annotations

import os
import re
import sys
from fnmatch import fnmatchcase
from types import CodeType
from typing import Any

from .cov_analysis import DEFAULT_EXCLUDE, analyse, clear_cache, jump_arcs
from .cov_trace import Tracer

_TOOL_ID = 3  # sys.monitoring.COVERAGE_ID
_SKIP_DIRS = {"__pycache__", "node_modules"}


class Measurement:
    """One run's measurement: what ran in the measured files, by code object."""

    def __init__(self, sources: list[str], branch: bool, rootdir: str, report_unexecuted: bool,
                 omit: list[str] | None = None, exclude: re.Pattern[str] = DEFAULT_EXCLUDE) -> None:
        self.sources = [os.path.normpath(s) for s in sources]
        # coverage.py's `omit`: fnmatch patterns over absolute paths (`*` crosses folders).
        self.omit = list(omit or [])
        self.exclude = exclude
        self.warnings: list[str] = []
        self.branch = branch
        self.rootdir = os.path.normpath(rootdir)
        self.report_unexecuted = report_unexecuted
        self.lines: dict[str, set[int]] = {}
        # Code objects whose branches ran, with (instruction offset, 0 left / 1 right).
        # Keyed with the file too: code objects compare equal whatever their file,
        # so the same function in two files would otherwise count for the first.
        self.jumps: dict[tuple[str, CodeType], set[tuple[int, int]]] = {}
        # Line arcs that ran, by file (the sys.settrace path records these instead of jumps).
        self.arcs: dict[str, set[tuple[int, int]]] = {}
        self._tracer: Tracer | None = None
        self._measured: dict[str, bool] = {}
        self.running = False

    def wanted(self, filename: str) -> bool:
        known = self._measured.get(filename)
        if known is None:
            path = os.path.normpath(filename)
            known = (path.endswith(".py") and any(_inside(path, s) for s in self.sources)
                     and not any(fnmatchcase(path, pattern) for pattern in self.omit))
            self._measured[filename] = known
        return known

    def start(self) -> None:
        mon = getattr(sys, "monitoring", None)
        if mon is None:
            self._tracer = Tracer(self.wanted, self.lines, self.arcs if self.branch else None)
            self._tracer.start()
            self.running = True
            return
        if mon.get_tool(_TOOL_ID) is not None:
            mon.free_tool_id(_TOOL_ID)
        mon.use_tool_id(_TOOL_ID, "fastest coverage")
        # Locations an earlier measurement disabled report again.
        mon.restart_events()
        events = mon.events
        local = events.LINE
        branch_events = self.branch and hasattr(events, "BRANCH_LEFT")
        if branch_events:
            local |= events.BRANCH_LEFT | events.BRANCH_RIGHT
        disable = mon.DISABLE
        wanted, set_local, lines, jumps = self.wanted, mon.set_local_events, self.lines, self.jumps

        def on_start(code: CodeType, _offset: int) -> Any:
            if wanted(code.co_filename):
                set_local(_TOOL_ID, code, local)
            return disable

        def on_line(code: CodeType, line: int) -> Any:
            found = lines.get(code.co_filename)
            if found is None:
                found = lines[code.co_filename] = set()
            found.add(line)
            return disable

        def on_left(code: CodeType, offset: int, _dest: int) -> Any:
            jumps.setdefault((code.co_filename, code), set()).add((offset, 0))
            return disable

        def on_right(code: CodeType, offset: int, _dest: int) -> Any:
            jumps.setdefault((code.co_filename, code), set()).add((offset, 1))
            return disable

        mon.register_callback(_TOOL_ID, events.PY_START, on_start)
        mon.register_callback(_TOOL_ID, events.LINE, on_line)
        if branch_events:
            mon.register_callback(_TOOL_ID, events.BRANCH_LEFT, on_left)
            mon.register_callback(_TOOL_ID, events.BRANCH_RIGHT, on_right)
        mon.set_events(_TOOL_ID, events.PY_START)
        self.running = True

    def stop(self) -> None:
        if not self.running:
            return
        if self._tracer is not None:
            self._tracer.stop()
            self.running = False
            return
        mon = sys.monitoring
        mon.set_events(_TOOL_ID, 0)
        for event in (mon.events.PY_START, mon.events.LINE, getattr(mon.events, "BRANCH_LEFT", 0), getattr(mon.events, "BRANCH_RIGHT", 0)):
            if event:
                mon.register_callback(_TOOL_ID, event, None)
        mon.free_tool_id(_TOOL_ID)
        self.running = False

    def result(self) -> dict[str, Any]:
        """The measurement as ``CoverageData``: every measured file's statements and what ran."""
        files = set(self.lines) | {filename for filename, _ in self.jumps} | set(self.arcs)
        names = {os.path.normpath(f): f for f in files}
        if self.report_unexecuted:
            for path in self._source_files():
                if not any(fnmatchcase(path, pattern) for pattern in self.omit):
                    names.setdefault(path, path)
        executed_arcs: dict[str, set[tuple[int, int]]] = {}
        for (filename, code), jumps in self.jumps.items():
            arcs = executed_arcs.setdefault(os.path.normpath(filename), set())
            arcs.update(jump_arcs(code, jumps))
        for filename, ran in self.arcs.items():
            executed_arcs.setdefault(os.path.normpath(filename), set()).update(ran)
        out: list[dict[str, Any]] = []
        warnings: list[str] = list(self.warnings)
        for path in sorted(names):
            try:
                with open(path, "rb") as handle:
                    source = handle.read().decode("utf-8")
                facts = analyse(source, path, self.branch, self.exclude)
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
                warnings.append(f"Couldn't parse Python file '{self._relative(path)}' ({type(exc).__name__}: {exc})")
                continue
            multiline = facts.pop("multiline")
            ran = {multiline.get(line, line) for line in self.lines.get(names[path], ())}
            entry = {"path": self._relative(path), **facts, "executed": sorted(ran & set(facts["statements"]))}
            if self.branch:
                possible = {tuple(arc) for arc in facts["arcs"]}
                folded = {(multiline.get(a, a), multiline.get(b, b) if b > 0 else b) for a, b in executed_arcs.get(path, ())}
                entry["executedArcs"] = sorted([a, b] for a, b in folded & possible)
            out.append(entry)
        clear_cache()
        return {"files": out, "warnings": warnings}

    def _relative(self, path: str) -> str:
        prefix = self.rootdir + os.sep
        return path[len(prefix):].replace(os.sep, "/") if path.startswith(prefix) else path

    def _source_files(self) -> list[str]:
        """Python files under the source folders that an import could reach
        (the folder itself, and below it packages with an ``__init__.py``), as
        coverage.py lists the files that never ran."""
        found: list[str] = []
        for source in self.sources:
            if os.path.isfile(source):
                found.append(source)
                continue
            for folder, dirs, files in os.walk(source):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                                 and os.path.exists(os.path.join(folder, d, "__init__.py")))
                found.extend(os.path.join(folder, f) for f in sorted(files)
                             if f.endswith(".py") and re.fullmatch(r"[A-Za-z_][\w]*\.py", f))
        return found


_THIRD_PARTY = re.compile(r"(^|/)(site|dist)-packages/")


def _inside(path: str, source: str) -> bool:
    """Is ``path`` the source or under it, and not in a site-packages folder
    below it? (A virtualenv in the project is third-party code, which
    coverage.py leaves out unless a source names it.)"""
    if path == source:
        return True
    if not path.startswith(source + os.sep):
        return False
    return not _THIRD_PARTY.search(path[len(source) + 1:].replace(os.sep, "/"))


_state: dict[str, Measurement | None] = {"current": None}


def begin(options: dict[str, Any], rootdir: str) -> None:
    """Start measuring for a run (``configure``); a measurement already running is dropped."""
    end()
    warnings: list[str] = []
    exclude = DEFAULT_EXCLUDE
    if options.get("excludeLines") is not None:
        valid = []
        for pattern in options["excludeLines"]:
            try:
                re.compile(pattern)
                valid.append(pattern)
            except re.error as exc:
                warnings.append(f"exclude_lines: {pattern!r} is not a valid regular expression ({exc}); ignored")
        # No pattern at all must match nothing (an empty alternation would match every line).
        exclude = re.compile("|".join(f"(?:{p})" for p in valid) if valid else r"(?!)")
    # An empty list (every --cov value named nothing) measures nothing.
    sources = options.get("sources")
    measurement = Measurement(list(sources) if sources is not None else [rootdir], bool(options.get("branch")), rootdir,
                              bool(options.get("reportUnexecuted")), list(options.get("omit") or []), exclude)
    measurement.warnings = warnings
    measurement.start()
    _state["current"] = measurement


def resume() -> None:
    """After a test: put the ``sys.settrace`` measurement back if the test
    replaced or removed the trace function (no-op with ``sys.monitoring``)."""
    current = _state["current"]
    if current is not None and current._tracer is not None:
        current._tracer.reinstall()


def end() -> None:
    current = _state["current"]
    if current is not None:
        current.stop()
    _state["current"] = None


def take() -> dict[str, Any] | None:
    """Stop measuring and return the run's ``CoverageData`` (None when not measuring)."""
    current = _state["current"]
    if current is None:
        return None
    current.stop()
    _state["current"] = None
    return current.result()
