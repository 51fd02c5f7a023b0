"""Explanations for failed assertions: the mini formatting language used by the
rewriter (``\\n{`` opens a "where" clause, ``\\n}`` closes it, ``\\n~`` continues
a line, ``\\n>`` starts an unindented line) and the detailed comparisons pytest
shows for ``==`` and friends."""

from __future__ import annotations

import collections.abc
import difflib
import os
import pprint
from typing import Any
from unicodedata import normalize

from .prettyformat import pformat
from .saferepr import saferepr, saferepr_unlimited

#: Set by the harness from the run's config (``-v`` count).
state = {"verbosity": 0, "approx_base": None}

MAX_LINES = 8
MAX_CHARS = MAX_LINES * 80


def on_ci() -> bool:
    return "CI" in os.environ or "BUILD_NUMBER" in os.environ


# -- the mini language --------------------------------------------------------------

def format_explanation(explanation: str) -> str:
    """Turn a rewriter explanation into the lines shown after ``E``."""
    pieces = (explanation or "").split("\n")
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if piece and piece[0] in "{}~>":
            lines.append(piece)
        else:
            lines[-1] += "\\n" + piece
    out = [lines[0]]
    # Each open clause remembers the line it belongs to and how many
    # sibling clauses came before it ("where" for the first, "and" after).
    anchors = [0]
    counts = [0]
    for line in lines[1:]:
        tag, rest = line[0], line[1:]
        if tag == "{":
            word = "and   " if counts[-1] else "where "
            counts[-1] += 1
            anchors.append(len(out))
            counts.append(0)
            out.append(" +" + "  " * (len(anchors) - 1) + word + rest)
        elif tag == "}":
            anchors.pop()
            counts.pop()
            out[anchors[-1]] += rest
        else:
            anchors[-1] += 1
            depth = len(anchors) if tag == "~" else len(anchors) - 1
            out.append("  " * depth + rest)
    return "\n".join(out)


# -- comparisons ------------------------------------------------------------------

def _is_seq(x: Any) -> bool:
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, str)


def _is_set(x: Any) -> bool:
    return isinstance(x, (set, frozenset))


def _is_iterable(x: Any) -> bool:
    try:
        iter(x)
    except Exception:  # noqa: BLE001
        return False
    return not isinstance(x, str)


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and getattr(x, "_fields", None) is not None


def _is_dataclass(x: Any) -> bool:
    return getattr(x, "__dataclass_fields__", None) is not None


def _is_attrs(x: Any) -> bool:
    return getattr(x, "__attrs_attrs__", None) is not None


def assertrepr_compare(op: str, left: Any, right: Any) -> list[str] | None:
    """Lines explaining why ``left op right`` failed, or None for the plain form."""
    verbose = state["verbosity"]
    use_ascii = (isinstance(left, str) and isinstance(right, str)
                 and normalize("NFD", left) == normalize("NFD", right))
    if verbose > 1:
        left_repr = saferepr_unlimited(left, use_ascii=use_ascii)
        right_repr = saferepr_unlimited(right, use_ascii=use_ascii)
    else:
        width = (80 - 15 - len(op) - 2) // 2
        left_repr = saferepr(left, maxsize=width, use_ascii=use_ascii)
        right_repr = saferepr(right, maxsize=width, use_ascii=use_ascii)
    summary = f"{left_repr} {op} {right_repr}"
    try:
        detail = _explain(op, left, right, verbose)
    except Exception as exc:  # noqa: BLE001 - a faulty __eq__ or __repr__
        detail = [
            f"(pytest_assertion plugin: representation of details failed: {type(exc).__name__}: {exc}.",
            " Probably an object has a faulty __repr__.)",
        ]
    if not detail:
        return None
    if detail[0] != "":
        detail = ["", *detail]
    return [summary, *detail]


def _explain(op: str, left: Any, right: Any, verbose: int) -> list[str] | None:
    both_sets = _is_set(left) and _is_set(right)
    if op == "==":
        return _explain_eq(left, right, verbose)
    if op == "not in":
        if isinstance(left, str) and isinstance(right, str):
            return _explain_not_in_text(left, right, verbose)
        return None
    if not both_sets:
        return None
    if op == "!=":
        return ["Both sets are equal"]
    if op == ">=":
        return _one_sided("right", right, left)
    if op == "<=":
        return _one_sided("left", left, right)
    if op == ">":
        return _one_sided("right", right, left) or ["Both sets are equal"]
    if op == "<":
        return _one_sided("left", left, right) or ["Both sets are equal"]
    return None


def _explain_eq(left: Any, right: Any, verbose: int) -> list[str]:
    if isinstance(left, str) and isinstance(right, str):
        return diff_text(left, right, verbose)
    lines: list[str] = []
    approx_base = state["approx_base"]
    if approx_base is not None and (isinstance(left, approx_base) or isinstance(right, approx_base)):
        approx_side, other = (left, right) if isinstance(left, approx_base) else (right, left)
        lines = approx_side._repr_compare(other)
    elif type(left) is type(right) and (_is_dataclass(left) or _is_attrs(left) or _is_namedtuple(left)):
        lines = _explain_fields(left, right, verbose)
    elif _is_seq(left) and _is_seq(right):
        lines = _explain_sequence(left, right)
    elif _is_set(left) and _is_set(right):
        lines = _one_sided("left", left, right) + _one_sided("right", right, left)
    elif isinstance(left, dict) and isinstance(right, dict):
        lines = _explain_dict(left, right, verbose)
    if _is_iterable(left) and _is_iterable(right):
        lines.extend(_full_diff(left, right, verbose))
    return lines


def diff_text(left: str, right: str, verbose: int) -> list[str]:
    """ndiff of two strings, "right" being the expected base."""
    lines: list[str] = []
    if verbose < 1:
        common = 0
        for common in range(min(len(left), len(right))):
            if left[common] != right[common]:
                break
        if common > 42:
            common -= 10
            lines = [f"Skipping {common} identical leading characters in diff, use -v to show"]
            left, right = left[common:], right[common:]
        if len(left) == len(right):
            back = 0
            for back in range(len(left)):
                if left[-back] != right[-back]:
                    break
            if back > 42:
                back -= 10
                lines.append(f"Skipping {back} identical trailing characters in diff, use -v to show")
                left, right = left[:-back], right[:-back]
    if left.isspace() or right.isspace():
        left, right = repr(str(left)), repr(str(right))
        lines.append("Strings contain only whitespace, escaping them using repr()")
    diffed = "\n".join(line.strip("\n") for line in difflib.ndiff(
        right.splitlines(True), left.splitlines(True)))
    lines.extend(diffed.splitlines())
    return lines


def _explain_sequence(left: Any, right: Any) -> list[str]:
    as_bytes = isinstance(left, bytes) and isinstance(right, bytes)
    lines: list[str] = []
    for i in range(min(len(left), len(right))):
        if left[i] != right[i]:
            lv, rv = (left[i:i + 1], right[i:i + 1]) if as_bytes else (left[i], right[i])
            lines.append(f"At index {i} diff: {lv!r} != {rv!r}")
            break
    if as_bytes:
        return lines
    extra = len(left) - len(right)
    if extra:
        side, item = ("Left", left[len(right)]) if extra > 0 else ("Right", right[len(left)])
        extra = abs(extra)
        if extra == 1:
            lines.append(f"{side} contains one more item: {saferepr(item)}")
        else:
            lines.append(f"{side} contains {extra} more items, first extra item: {saferepr(item)}")
    return lines


def _one_sided(side: str, a: Any, b: Any) -> list[str]:
    only = a - b
    if not only:
        return []
    return [f"Extra items in the {side} set:", *(saferepr(x) for x in only)]


def _explain_dict(left: dict, right: dict, verbose: int) -> list[str]:
    lines: list[str] = []
    common = set(left) & set(right)
    same = {k: left[k] for k in common if left[k] == right[k]}
    if same and verbose < 2:
        lines.append(f"Omitting {len(same)} identical items, use -vv to show")
    elif same:
        lines.append("Common items:")
        lines.extend(pprint.pformat(same).splitlines())
    differing = {k for k in common if left[k] != right[k]}
    if differing:
        lines.append("Differing items:")
        for k in differing:
            lines.append(saferepr({k: left[k]}) + " != " + saferepr({k: right[k]}))
    for side, mine, other in (("Left", left, right), ("Right", right, left)):
        extra = set(mine) - set(other)
        if extra:
            plural = "" if len(extra) == 1 else "s"
            lines.append(f"{side} contains {len(extra)} more item{plural}:")
            lines.extend(pprint.pformat({k: mine[k] for k in extra}).splitlines())
    return lines


def _explain_fields(left: Any, right: Any, verbose: int) -> list[str]:
    eq = getattr(type(left), "__eq__", None)
    code = getattr(eq, "__code__", None)
    if code is not None:
        if _is_attrs(left):
            if "attrs generated " not in code.co_filename:
                return []
        elif code.co_filename != "<string>" and not _is_namedtuple(left):
            return []
    if _is_dataclass(left):
        import dataclasses
        names = [f.name for f in dataclasses.fields(left) if f.compare]
    elif _is_attrs(left):
        names = [f.name for f in left.__attrs_attrs__ if getattr(f, "eq", True)]
    else:
        names = list(left._fields)
    same = [n for n in names if getattr(left, n) == getattr(right, n)]
    diff = [n for n in names if n not in same]
    lines: list[str] = [""] if names else []
    if same and verbose < 2:
        lines.append(f"Omitting {len(same)} identical items, use -vv to show")
    elif same:
        lines.append("Matching attributes:")
        lines.extend(pprint.pformat(same).splitlines())
    if diff:
        lines.append("Differing attributes:")
        lines.extend(pprint.pformat(diff).splitlines())
        for name in diff:
            lv, rv = getattr(left, name), getattr(right, name)
            lines += ["", f"Drill down into differing attribute {name}:", f"  {name}: {lv!r} != {rv!r}"]
            lines += ["  " + line for line in _explain_eq(lv, rv, verbose)]
    return lines


def _full_diff(left: Any, right: Any, verbose: int) -> list[str]:
    if verbose <= 0 and not on_ci():
        return ["Use -v to get more diff"]
    lines = ["", "Full diff:"]
    lines.extend(line.rstrip() for line in difflib.ndiff(
        pformat(right).splitlines(), pformat(left).splitlines()))
    return lines


def _explain_not_in_text(term: str, text: str, verbose: int) -> list[str]:
    at = text.find(term)
    without = text[:at] + text[at + len(term):]
    lines = [f"{saferepr(term, maxsize=42)} is contained here:"]
    for line in diff_text(text, without, verbose):
        if line.startswith(("Skipping", "- ")):
            continue
        lines.append("  " + line[2:] if line.startswith("+ ") else line)
    return lines


def truncate(lines: list[str]) -> list[str]:
    """Shorten long explanations unless -vv or on CI, like pytest."""
    if state["verbosity"] >= 2 or on_ci():
        return lines
    char_budget = MAX_CHARS + 70
    line_budget = MAX_LINES + 2
    if len(lines) <= line_budget and len("".join(lines)) <= char_budget:
        return lines
    kept = lines[:MAX_LINES]
    cut_chars = len("".join(kept)) > char_budget
    if cut_chars:
        used = 0
        index = 0
        for index, line in enumerate(kept):
            if used + len(line) > MAX_CHARS:
                break
            used += len(line)
        last = kept[index][:MAX_CHARS - used] if kept[index] else kept[index]
        kept = kept[:index] + [last]
    if kept == lines:
        return kept
    hidden = len(lines) - len(kept)
    if kept[-1]:
        kept[-1] += "..."
        if cut_chars:
            hidden += 1
    else:
        kept[-1] = "..."
    plural = "" if hidden == 1 else "s"
    return [*kept, "", f"...Full output truncated ({hidden} line{plural} hidden), use '-vv' to show"]


def reprcompare_for_rewrite(op: str, left: Any, right: Any) -> str | None:
    """The hook the rewritten asserts call: explanation in the mini language."""
    lines = assertrepr_compare(op, left, right)
    if not lines:
        return None
    lines = [line.replace("\n", "\\n") for line in truncate(lines)]
    return "\n~".join(lines).replace("%", "%%")
