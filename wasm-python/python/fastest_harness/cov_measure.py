"""Line and branch coverage of the project's code (``HarnessConfig.coverage``).

Measured with ``sys.monitoring`` (Python 3.12+), the way coverage.py's
``sysmon`` core does it: the only global event is ``PY_START``; the first
time a code object of a measured file starts, its ``LINE`` (and, with
branches, ``BRANCH_LEFT``/``BRANCH_RIGHT``) events are switched on for that
code object alone, and every callback returns ``DISABLE``, so each location
reports once and then costs nothing. Code outside the measured files pays
one ``PY_START`` per code object, once.

What counts as a statement and as a branch is read from the code objects
and the source, as coverage.py reads them: statements are the lines
``co_lines()`` names, folded onto the first line of multi-line statements,
minus docstrings and lines excluded with ``# pragma: no cover`` (an excluded
line ending a block header excludes the block; an excluded decorator, the
decorated definition). Branches are the jumps ``co_branches()`` (3.14)
lists, as arcs between those first lines; a line with arcs to two or more
other lines (or out of its function, ``-firstlineno``) is a branch line.

The result goes to the host in ``finish()`` as plain data
(``CoverageData`` in ``core/protocol.ts``); the host merges workers and
writes the reports.
"""

from __future__ import annotations

import ast
import dis
import io
from fnmatch import fnmatchcase
import os
import re
import sys
import token
import tokenize
from types import CodeType
from typing import Any

try:
    import _tokenize as _c_tokenize
except ImportError:  # before 3.12
    _c_tokenize = None

_TOOL_ID = 3  # sys.monitoring.COVERAGE_ID
_EXCLUDE = re.compile(r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)")
_SKIP_DIRS = {"__pycache__", "node_modules", "build", "dist"}


class Measurement:
    """One run's measurement: what ran in the measured files, by code object."""

    def __init__(self, sources: list[str], branch: bool, rootdir: str, report_unexecuted: bool,
                 omit: list[str] | None = None, exclude: re.Pattern[str] = _EXCLUDE) -> None:
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
        self.jumps: dict[CodeType, set[tuple[int, int]]] = {}
        self._measured: dict[str, bool] = {}
        self.running = False

    def wanted(self, filename: str) -> bool:
        known = self._measured.get(filename)
        if known is None:
            path = os.path.normpath(filename)
            known = (path.endswith(".py") and any(path == s or path.startswith(s + os.sep) for s in self.sources)
                     and not any(fnmatchcase(path, pattern) for pattern in self.omit))
            self._measured[filename] = known
        return known

    def start(self) -> None:
        mon = getattr(sys, "monitoring", None)
        if mon is None:
            raise RuntimeError(f"--cov needs Python 3.12 or newer (sys.monitoring); this is {sys.version.split()[0]}")
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
            jumps.setdefault(code, set()).add((offset, 0))
            return disable

        def on_right(code: CodeType, offset: int, _dest: int) -> Any:
            jumps.setdefault(code, set()).add((offset, 1))
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
        mon = sys.monitoring
        mon.set_events(_TOOL_ID, 0)
        for event in (mon.events.PY_START, mon.events.LINE, getattr(mon.events, "BRANCH_LEFT", 0), getattr(mon.events, "BRANCH_RIGHT", 0)):
            if event:
                mon.register_callback(_TOOL_ID, event, None)
        mon.free_tool_id(_TOOL_ID)
        self.running = False

    def result(self) -> dict[str, Any]:
        """The measurement as ``CoverageData``: every measured file's statements and what ran."""
        files = set(self.lines) | {code.co_filename for code in self.jumps}
        names = {os.path.normpath(f): f for f in files}
        if self.report_unexecuted:
            for path in self._source_files():
                if not any(fnmatchcase(path, pattern) for pattern in self.omit):
                    names.setdefault(path, path)
        executed_arcs: dict[str, set[tuple[int, int]]] = {}
        for code, jumps in self.jumps.items():
            arcs = executed_arcs.setdefault(os.path.normpath(code.co_filename), set())
            arcs.update(_jump_arcs(code, jumps))
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
        _instructions_cache.clear()
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


def analyse(source: str, filename: str, branch: bool, exclude: re.Pattern[str] = _EXCLUDE) -> dict[str, Any]:
    """Statements, excluded lines and (with ``branch``) possible arcs of one
    file; ``exclude`` matches the lines to leave out."""
    multiline, excluded_raw, docstrings = _scan_tokens(source, exclude)
    code = compile(source, filename, "exec", dont_inherit=True)
    codes = list(_code_objects(code))
    raw: set[int] = set()
    for co in codes:
        raw.update(line for _, _, line in co.co_lines() if line)
    first = lambda line: multiline.get(line, line)  # noqa: E731
    excluded = {first(line) for line in excluded_raw}
    ignore = excluded | docstrings
    statements = {first(line) for line in raw - ignore} - ignore
    facts: dict[str, Any] = {"statements": sorted(statements), "excluded": sorted(excluded), "multiline": multiline}
    if branch:
        exits: dict[int, set[int]] = {}
        for co in codes:
            if not hasattr(co, "co_branches"):
                continue
            for src, dest in _all_jumps(co):
                arc = _arc(co, src, dest, multiline)
                if arc is not None and arc[0] in statements and (arc[1] < 0 or arc[1] in statements):
                    exits.setdefault(arc[0], set()).add(arc[1])
        facts["arcs"] = sorted([a, b] for a, ends in exits.items() if len(ends) > 1 for b in ends)
    return facts


def _scan_tokens(source: str, exclude: re.Pattern[str]) -> tuple[dict[int, int], set[int], set[int]]:
    """Multi-line statements (each line to its statement's first line), lines
    excluded by the pragma (with the blocks and definitions they start), and
    docstring lines, from the token stream."""
    lines = source.splitlines()
    pragma = {i for i, text in enumerate(lines, 1) if exclude.search(text)}
    multiline: dict[int, int] = {}
    excluded: set[int] = set()
    docstrings: set[int] = set()
    depth = nesting = 0
    block_depth: int | None = None
    decorated = False
    statement_start: int | None = None
    previous = token.INDENT
    for kind, text, (start, _), (end, _), _line in _tokens(source):
        if kind == token.INDENT:
            depth += 1
        elif kind == token.DEDENT:
            depth -= 1
        elif kind == token.STRING and previous == token.INDENT:
            docstrings.update(range(start, end + 1))
        elif kind == token.OP:
            if text in "([{":
                nesting += 1
            elif text in ")]}":
                nesting -= 1
            elif text == ":" and nesting == 0 and block_depth is None and (end in pragma or decorated):
                # A block header the pragma excludes: the whole block goes.
                excluded.add(end)
                block_depth, decorated = depth, False
            elif text == "@" and statement_start is None:
                if start in pragma:
                    decorated = True
                if decorated:
                    excluded.add(start)
        elif kind == token.NEWLINE:
            if statement_start is not None and end != statement_start:
                for line in range(statement_start, end + 1):
                    multiline[line] = statement_start
            statement_start = None
        if text.strip() and kind not in (tokenize.COMMENT, tokenize.NL, token.NEWLINE) and statement_start is None:
            statement_start = start
            if block_depth is not None and depth <= block_depth:
                block_depth = None
            if block_depth is not None:
                excluded.add(start)
        if kind not in (tokenize.COMMENT, tokenize.NL):
            previous = kind
    excluded |= pragma
    # Every line of an excluded statement is excluded.
    for line in list(excluded):
        head = multiline.get(line)
        if head is not None:
            excluded.update(other for other, first in multiline.items() if first == head)
    return multiline, excluded, docstrings


def _tokens(source: str) -> Any:
    """The token stream as plain tuples: the C tokenizer's own iterator when
    there is one (3.12+), which spares a named tuple per token."""
    readline = io.StringIO(source).readline
    iterator = getattr(_c_tokenize, "TokenizerIter", None)
    if iterator is not None:
        try:
            return iterator(readline, extra_tokens=True)
        except TypeError:
            pass
    return tokenize.generate_tokens(readline)


def _code_objects(code: CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_objects(const)


def _branches(code: CodeType):
    """``co_branches()`` minus the jumps coverage.py does not count as
    branches: whether an ``except`` clause matches, and how a ``with`` block
    leaves on an exception."""
    branches = list(code.co_branches())
    if not branches:
        return
    listing, index = _instructions(code)
    for src, left, right in branches:
        at = index.get(src)
        if at is not None and any(ins[1] in _NOT_BRANCHES for ins in listing[max(0, at - 3):at]):
            continue
        yield src, left, right


_NOT_BRANCHES = {"CHECK_EXC_MATCH", "CHECK_EG_MATCH", "WITH_EXCEPT_START"}


def _all_jumps(code: CodeType):
    for src, left, right in _branches(code):
        yield src, left
        yield src, right


def _jump_arcs(code: CodeType, jumps: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Arcs (raw lines) of the branches that ran in one code object."""
    if not hasattr(code, "co_branches"):
        return set()
    targets = {src: (left, right) for src, left, right in _branches(code)}
    arcs: set[tuple[int, int]] = set()
    for offset, side in jumps:
        dests = targets.get(offset)
        if dests is None:
            continue
        arc = _arc(code, offset, dests[side], {})
        if arc is not None:
            arcs.add(arc)
    return arcs


# An instruction: (offset, opname, line or None, where an unconditional jump goes or None).
_Ins = tuple[int, str, "int | None", "int | None"]


_CACHE = dis.opmap.get("CACHE", 0)
_instructions_cache: dict[CodeType, tuple[list[_Ins], dict[int, int]]] = {}


def _instructions(code: CodeType) -> tuple[list[_Ins], dict[int, int]]:
    """The code's instructions (without inline caches) and their index by
    offset. Decoded here: ``dis.get_instructions`` took most of the
    analysis's time."""
    found = _instructions_cache.get(code)
    if found is not None:
        return found
    raw, positions, names = code.co_code, list(code.co_positions()), dis.opname
    size = len(raw)
    listing: list[_Ins] = []
    extended = 0
    at = 0
    while at < size:
        name = names[raw[at]]
        arg = raw[at + 1] | extended
        after = at + 2
        while after < size and raw[after] == _CACHE:
            after += 2
        target = None
        if name == "JUMP_FORWARD":
            target = after + 2 * arg
        elif name in ("JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"):
            target = after - 2 * arg
        extended = arg << 8 if name == "EXTENDED_ARG" else 0
        listing.append((at, name, positions[at // 2][0], target))
        at = after
    found = _instructions_cache[code] = (listing, {ins[0]: i for i, ins in enumerate(listing)})
    return found


def _line_at(listing: list[_Ins], index: int) -> int | None:
    for ins in listing[index:]:
        if ins[2]:
            return ins[2]
    return None


def _arc(code: CodeType, src: int, dest: int, multiline: dict[int, int]) -> tuple[int, int] | None:
    """The arc (from line, to line) a jump makes; ``to`` is ``-co_firstlineno``
    when the jump leaves the code object (the implicit return after a loop
    or an ``if``), None when it stays on the same statement (``a and b``)."""
    listing, index = _instructions(code)
    if src not in index or dest not in index:
        return None
    first = lambda line: multiline.get(line, line)  # noqa: E731
    origin = _line_at(listing, index[src])
    if origin is None:
        return None
    origin = first(origin)
    at = index[dest]
    for _hop in range(4):
        line = _line_at(listing, at)
        if line is None:
            return None
        if first(line) != origin:
            return origin, first(line)
        # Still on the jump's own statement: past a loop's cleanup, either
        # the function returns (the implicit `return None`) or jumps on.
        for _offset, opname, line, target in listing[at:]:
            if line and first(line) != origin:
                return origin, first(line)
            if opname in ("RETURN_VALUE", "RETURN_CONST"):
                return origin, -code.co_firstlineno
            if target is not None and target in index:
                at = index[target]
                break
            if opname.startswith(("POP_JUMP", "FOR_ITER", "SEND", "CALL")):
                return None
        else:
            return None
    return None


_state: dict[str, Measurement | None] = {"current": None}


def begin(options: dict[str, Any], rootdir: str) -> None:
    """Start measuring for a run (``configure``); a measurement already running is dropped."""
    end()
    warnings: list[str] = []
    exclude = _EXCLUDE
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
    measurement = Measurement(list(options.get("sources") or [rootdir]), bool(options.get("branch")), rootdir,
                              bool(options.get("reportUnexecuted")), list(options.get("omit") or []), exclude)
    measurement.warnings = warnings
    measurement.start()
    _state["current"] = measurement


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
