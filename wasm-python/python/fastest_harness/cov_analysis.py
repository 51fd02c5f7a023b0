"""What coverage counts in a file: statements, excluded lines and branch
arcs, read from the code objects and the source as coverage.py reads them
(``cov_measure`` uses it at the end of a run).

Statements are the lines ``co_lines()`` names, folded onto the first line
of multi-line statements (from the token stream), minus docstrings and
lines the exclusion regex matches (``# pragma: no cover`` by default; an
excluded line ending a block header excludes the block, an excluded
decorator the decorated definition). Branches are the jumps
``co_branches()`` (3.14; ``cov_trace.code_branches`` on 3.11) lists, as
arcs between those first lines; a line
with arcs to two or more other lines (or out of its code object,
``-co_firstlineno``) is a branch line.
"""

from __future__ import annotations

import dis
import io
import re
import sys
import token
import tokenize
from types import CodeType
from typing import Any

from .cov_trace import code_branches

try:
    import _tokenize as _c_tokenize
except ImportError:  # before 3.12
    _c_tokenize = None

#: coverage.py's default ``exclude_lines``.
DEFAULT_EXCLUDE = re.compile(r"#\s*(pragma|PRAGMA)[:\s]?\s*(no|NO)\s*(cover|COVER)")


def analyse(source: str, filename: str, branch: bool, exclude: re.Pattern[str] = DEFAULT_EXCLUDE) -> dict[str, Any]:
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
    branches = _code_branches(code)
    if not branches:
        return
    listing, index = _instructions(code)
    for src, left, right in branches:
        at = index.get(src)
        if at is not None and any(ins[1] in _NOT_BRANCHES for ins in listing[max(0, at - 3):at]):
            continue
        yield src, left, right


# Without sys.monitoring (3.11) cov_trace records line arcs, and the
# branches come from the bytecode; 3.12 and 3.13 measure no branches.
_TRACED = not hasattr(sys, "monitoring")


def _code_branches(code: CodeType) -> list[tuple[int, int, int]]:
    if hasattr(code, "co_branches"):
        return list(code.co_branches())
    return code_branches(code) if _TRACED else []


_NOT_BRANCHES = {"CHECK_EXC_MATCH", "CHECK_EG_MATCH", "WITH_EXCEPT_START"}


def _all_jumps(code: CodeType):
    for src, left, right in _branches(code):
        yield src, left
        yield src, right


def jump_arcs(code: CodeType, jumps: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Arcs (raw lines) of the branches that ran in one code object."""
    if not hasattr(code, "co_branches"):
        return set()
    targets = {src: (left, right) for src, left, right in _branches(code)}
    # 3.14 reports some left sides (an `async for` going into its body) from
    # the NOT_TAKEN instruction after the jump rather than from the jump.
    listing, index = _instructions(code)
    for src in list(targets):
        at = index.get(src)
        if at is not None and at + 1 < len(listing) and listing[at + 1][1] == "NOT_TAKEN":
            targets.setdefault(listing[at + 1][0], targets[src])
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


def _line_at(listing: list[_Ins], at: int, index: dict[int, int]) -> int | None:
    """The line of the instruction at ``at``, or of the first after it that
    has one. A jump without a line of its own leads where it goes: 3.14 ends
    an ``if`` body nested in another one with such a jump, which is followed
    by the code of the outer statement's ``elif``, not run next."""
    for _hop in range(8):
        for i in range(at, len(listing)):
            line, target = listing[i][2], listing[i][3]
            if line:
                return line
            if target is not None:
                at = index.get(target, -1)
                break
        else:
            return None
        if at < 0:
            return None
    return None


def _arc(code: CodeType, src: int, dest: int, multiline: dict[int, int]) -> tuple[int, int] | None:
    """The arc (from line, to line) a jump makes; ``to`` is ``-co_firstlineno``
    when the jump leaves the code object (the implicit return after a loop
    or an ``if``), None when it stays on the same statement (``a and b``)."""
    listing, index = _instructions(code)
    if src not in index or dest not in index:
        return None
    first = lambda line: multiline.get(line, line)  # noqa: E731
    origin = _line_at(listing, index[src], index)
    if origin is None:
        return None
    origin = first(origin)
    at = index[dest]
    for _hop in range(4):
        line = _line_at(listing, at, index)
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
            if opname.startswith(("POP_JUMP", "JUMP_IF_", "FOR_ITER", "SEND", "CALL")):
                return None
        else:
            return None
    return None


def clear_cache() -> None:
    """Forget the decoded bytecode (it keeps code objects alive)."""
    _instructions_cache.clear()
