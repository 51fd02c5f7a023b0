"""Failure reports formatted like pytest's (``--tb`` auto/long/short/line/native/no).

The text is what pytest writes under a ``____ name ____`` header: for long
entries that starts with an empty line; entries of one traceback are
separated by ``_ _ _`` lines; chained exceptions by pytest's "The above
exception ..." lines.
"""

from __future__ import annotations

import ast
import linecache
import os
import sys
import textwrap
import traceback as tb_module
from types import TracebackType
from typing import Any

from .outcomes import Failed
from .saferepr import saferepr

WIDTH = 80
_HERE = os.path.dirname(os.path.abspath(__file__))
_HIDDEN_DIRS = (_HERE + os.sep, os.path.join(os.path.dirname(_HERE), "pytest") + os.sep)
_CHAIN_CAUSE = "The above exception was the direct cause of the following exception:"
_CHAIN_CONTEXT = "During handling of the above exception, another exception occurred:"


class Entry:
    __slots__ = ("tb", "frame", "lineno", "style")

    def __init__(self, tb: TracebackType) -> None:
        self.tb = tb
        self.frame = tb.tb_frame
        self.lineno = (tb.tb_lineno or 1) - 1
        self.style: str | None = None

    @property
    def filename(self) -> str:
        return self.frame.f_code.co_filename


def entries_of(exc: BaseException) -> list[Entry]:
    out = []
    tb = exc.__traceback__
    while tb is not None:
        out.append(Entry(tb))
        tb = tb.tb_next
    return out


def is_harness(entry: Entry) -> bool:
    return entry.filename.startswith(_HIDDEN_DIRS)


def is_generated(entry: Entry) -> bool:
    name = entry.filename
    return "<" in name and ">" in name


def is_hidden(entry: Entry) -> bool:
    for namespace in (entry.frame.f_locals, entry.frame.f_globals):
        try:
            flag = namespace["__tracebackhide__"]
        except Exception:  # noqa: BLE001
            continue
        if callable(flag):
            try:
                return bool(flag(None))
            except Exception:  # noqa: BLE001
                return True
        return bool(flag)
    return False


def prune(entries: list[Entry], code: Any = None, path: str | None = None) -> list[Entry]:
    """Cut to the test function (or file), drop harness and hidden frames, like pytest."""
    cut = entries
    found = False
    if code is not None:
        for i, e in enumerate(entries):
            if e.frame.f_code is code:
                cut, found = entries[i:], True
                break
    if not found and path is not None:
        for i, e in enumerate(entries):
            if e.filename == path:
                cut, found = entries[i:], True
                break
    kept = [e for e in cut if not is_harness(e) and not (not found and is_generated(e))]
    if not kept:
        kept = cut
    visible = [e for e in kept if not is_hidden(e) and not e.frame.f_globals.get("__unittest")]
    return visible or kept[-1:]


def all_hidden(entries: list[Entry]) -> bool:
    """Every frame is the harness's or hides itself (``__tracebackhide__``)."""
    return bool(entries) and all(is_harness(e) or is_hidden(e) for e in entries)


_ALL_HIDDEN = "All traceback entries are hidden. Pass `--full-trace` to see hidden and internal frames."


def _hidden_repr(exc: BaseException) -> list[str]:
    """pytest's text for an exception none of whose frames may be shown."""
    first, *rest = exconly(exc).split("\n")
    return ["", "E   " + first, *("    " + line for line in rest), _ALL_HIDDEN]


def exconly(exc: BaseException) -> str:
    text = "".join(tb_module.format_exception_only(type(exc), exc)).rstrip()
    if isinstance(exc, AssertionError) and text.startswith("AssertionError: "):
        if saferepr(exc).startswith("AssertionError('assert "):
            text = text[len("AssertionError: "):]
    return text


def crash_location(exc: BaseException) -> tuple[str, int]:
    """(file, 1-based line) of the innermost frame that is not hidden."""
    for entry in reversed(entries_of(exc)):
        if not is_hidden(entry):
            return entry.filename, entry.lineno + 1
    return "", 0


def crash_message(exc: BaseException) -> str:
    return exconly(exc)


# -- source handling ------------------------------------------------------------

_ast_cache: dict[str, tuple[int, list[int]] | None] = {}


def _statement_starts(filename: str, lines: list[str]) -> list[int] | None:
    key = len(lines)
    cached = _ast_cache.get(filename)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError):
        return None
    starts = _starts_of(tree)
    _ast_cache[filename] = (key, starts)
    return starts


def _starts_of(tree: ast.AST) -> list[int]:
    starts: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.stmt, ast.ExceptHandler)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                starts.extend(d.lineno - 1 for d in node.decorator_list)
            starts.append(node.lineno - 1)
            for field in ("finalbody", "orelse"):
                block = getattr(node, field, None)
                if block:
                    starts.append(block[0].lineno - 2)
    starts.sort()
    return starts


def _statement_range(starts: list[int] | None, lines: list[str], lineno: int) -> tuple[int, int]:
    if starts is None:
        return lineno, lineno + 1
    import bisect
    at = bisect.bisect_right(starts, lineno)
    start = starts[at - 1] if at else lineno
    end = starts[at] if at < len(starts) else len(lines)
    while end > start + 1:
        text = lines[end - 1].strip()
        if text.startswith("#") or not text:
            end -= 1
        else:
            break
    return start, max(end, lineno + 1)


def _entry_source(entry: Entry) -> tuple[list[str], list[str], int] | None:
    """(deindented lines, raw lines, index of the failing line) or None."""
    filename = entry.filename
    lines = linecache.getlines(filename, entry.frame.f_globals)
    if not lines or entry.lineno >= len(lines):
        return None
    first = entry.frame.f_code.co_firstlineno - 1
    if first < 0 or first > entry.lineno:
        first = entry.lineno
    _start, end = _statement_range(_statement_starts(filename, lines), lines, entry.lineno)
    raw = [line.rstrip("\n").rstrip("\r") for line in lines[first:end]]
    dedented = textwrap.dedent("\n".join(raw)).split("\n")
    if len(dedented) != len(raw):
        dedented = raw
    return dedented, raw, entry.lineno - first


def _indent_for(source: list[str]) -> int:
    try:
        tree = ast.parse("\n".join(source))
        _s, _e = 0, 0
        start, _end = _statement_range(_starts_of(tree), source, len(source) - 1)
        line = source[start]
    except (SyntaxError, ValueError, IndexError):
        line = source[-1]
    return 4 + (len(line) - len(line.lstrip()))


def _carets(entry: Entry, raw_line: str, shown: str, prefix: int) -> list[str]:
    if sys.version_info < (3, 11):
        return []
    try:
        summary = tb_module.extract_tb(entry.tb, limit=1)[0]
    except Exception:  # noqa: BLE001
        return []
    if summary.end_lineno != summary.lineno or summary.colno is None or summary.end_colno is None:
        return []
    encoded = raw_line.encode("utf-8")
    start = len(encoded[:summary.colno].decode("utf-8", "replace"))
    end = len(encoded[:summary.end_colno].decode("utf-8", "replace"))
    count = end - start
    if count >= len(shown.strip()):
        return []
    stripped = len(raw_line) - len(shown)
    return [" " * (prefix + start - stripped) + "^" * count]


def _args_lines(entry: Entry) -> list[str]:
    code = entry.frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    if code.co_flags & 0x04:
        count += 1
    if code.co_flags & 0x08:
        count += 1
    f_locals = entry.frame.f_locals
    pairs = [(n, saferepr(f_locals[n])) for n in code.co_varnames[:count] if n in f_locals]
    if not pairs:
        return []
    out: list[str] = []
    current = ""
    for name, value in pairs:
        piece = f"{name} = {value}"
        if len(piece) + len(current) + 2 > WIDTH:
            if current:
                out.append(current)
            current = piece
        else:
            current = f"{current}, {piece}" if current else piece
    if current:
        out.append(current)
    out.append("")
    return out


def _locals_lines(entry: Entry) -> list[str]:
    out = []
    f_locals = entry.frame.f_locals
    for name in sorted(n for n in f_locals if not n.startswith("@")):
        if name == "__builtins__":
            out.append("__builtins__ = <builtins>")
        else:
            out.append(f"{name:<10} = {saferepr(f_locals[name])}")
    return out


def relpath_for_display(path: str, rootdir: str) -> str:
    try:
        rel = os.path.relpath(path, rootdir)
    except ValueError:
        return path
    return rel if len(rel) < len(path) else path


def _format_entry(entry: Entry, exc: BaseException | None, style: str, rootdir: str,
                  showlocals: bool) -> list[str]:
    short = style == "short"
    got = _entry_source(entry)
    if got is None:
        source, raw, index = ["???"], ["???"], 0
    else:
        source, raw, index = got
    lines: list[str] = []
    if not short:
        lines.extend(_args_lines(entry))
    if short:
        shown = source[index].strip()
        lines.append("    " + shown)
        lines.extend(_carets(entry, raw[index], shown, 4) if got else [])
    else:
        lines.extend("    " + line for line in source[:index])
        lines.append(">   " + source[index])
        lines.extend(_carets(entry, raw[index], source[index], 4) if got else [])
        lines.extend("    " + line for line in source[index + 1:])
    if exc is not None:
        indent = 4 if short else _indent_for(source)
        marker = "E" + " " * (indent - 1)
        lines.extend(marker + line for line in exconly(exc).split("\n"))
    path = relpath_for_display(entry.filename, rootdir)
    location = f"{path}:{entry.lineno + 1}: "
    if short:
        out = [location + f"in {entry.frame.f_code.co_name}", *lines]
        if showlocals:
            out.extend(" " * 8 + line for line in _locals_lines(entry))
        return out
    if showlocals:
        lines.append("")
        lines.extend(_locals_lines(entry))
    lines.append("")
    lines.append(location + (type(exc).__name__ if exc is not None else ""))
    return lines


def _separator() -> str:
    return "_ " * (WIDTH // 2)


def _format_traceback(entries: list[Entry], exc: BaseException, style: str, rootdir: str,
                      showlocals: bool) -> list[str]:
    if style == "value":
        return str(exc).split("\n")
    if not entries:
        return ["".join(tb_module.format_exception_only(type(exc), exc)).rstrip("\n")]
    out: list[str] = []
    styles = [e.style or style for e in entries]
    for i, entry in enumerate(entries):
        entry_style = styles[i]
        if entry_style == "long":
            out.append("")
        last = i == len(entries) - 1
        out.extend(_format_entry(entry, exc if last else None, entry_style, rootdir, showlocals))
        if not last and (entry_style == "long" or entry_style == "short" and styles[i + 1] == "long"):
            out.append(_separator())
    return out


def _chain(exc: BaseException) -> list[tuple[BaseException, str | None]]:
    """Oldest first: (exception, text printed after it)."""
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    descr: str | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, descr))
        if current.__cause__ is not None:
            current, descr = current.__cause__, _CHAIN_CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, descr = current.__context__, _CHAIN_CONTEXT
        else:
            current = None
    # Oldest first; each is followed by the text linking it to the next one.
    chain.reverse()
    return chain


def format_exception(exc: BaseException, style: str, *, rootdir: str, code: Any = None,
                     path: str | None = None, auto: bool = False, showlocals: bool = False) -> str:
    """Render ``exc`` (and the exceptions it chains from) in pytest's ``style``."""
    if style == "native":
        text = "".join(tb_module.format_exception(type(exc), exc, _native_tb(exc, code, path)))
        return text.rstrip("\n")
    out: list[str] = []
    if isinstance(exc, Failed) and not exc.pytrace:
        style = "value"
    for current, descr in _chain(exc):
        raw = entries_of(current)
        if style in ("long", "short") and descr is not None and all_hidden(raw):
            out.extend(_hidden_repr(current))
            out.extend(["", descr])
            continue
        entries = prune(raw, code, path)
        if auto and len(entries) > 2:
            for entry in entries[1:-1]:
                entry.style = "short"
        cur_style = style
        if isinstance(current, BaseExceptionGroup) and style != "value":
            start = entries[0].tb if entries else current.__traceback__
            native = "".join(tb_module.format_exception(type(current), current, start))
            out.extend(native.rstrip("\n").split("\n"))
        else:
            out.extend(_format_traceback(entries, current, cur_style, rootdir, showlocals))
        if descr is not None:
            out.extend(["", descr])
    return "\n".join(out)


def _native_tb(exc: BaseException, code: Any, path: str | None) -> TracebackType | None:
    entries = prune(entries_of(exc), code, path)
    return entries[0].tb if entries else exc.__traceback__


def collect_error(nodeid: str, exc: BaseException, collector: Any, *, module_path: str | None = None,
                  conftest: bool = False) -> dict:
    """A CollectError for a file that could not be imported or collected
    (``conftest``: for the folder whose conftest.py failed to import)."""
    from .parametrize import CollectError
    rootdir = str(collector.rootdir)
    if isinstance(exc, CollectError):
        return {"nodeid": nodeid, "longrepr": str(exc), "message": ""}
    if isinstance(exc, Failed) and not exc.pytrace:
        return {"nodeid": nodeid, "longrepr": str(exc.msg), "message": exconly(exc)}
    entries = [e for e in entries_of(exc) if not is_harness(e) and not is_generated(e)]
    for entry in entries:
        entry.style = "short"
    body = "\n".join(_format_traceback(entries, exc, "short", rootdir, False)) if entries else exconly(exc)
    if conftest:
        return {"nodeid": nodeid, "message": exconly(exc).split("\n")[0], "longrepr": body}
    if isinstance(exc, SyntaxError):
        return {"nodeid": nodeid, "longrepr": body, "message": ""}
    if isinstance(exc, ImportError):
        return {"nodeid": nodeid, "message": "", "longrepr":
                f"ImportError while importing test module '{module_path}'.\n"
                "Hint: make sure your test modules/packages have valid Python names.\n"
                f"Traceback:\n{body}"}
    entries = prune(entries_of(exc), None, module_path)
    for entry in entries:
        entry.style = "short"
    text = "\n".join(_format_traceback(entries, exc, "short", rootdir, False))
    return {"nodeid": nodeid, "longrepr": text, "message": exconly(exc).split("\n")[0]}
