"""Evaluating ``skip``/``skipif``/``xfail`` marks for an item."""

from __future__ import annotations

import os
import platform
import sys
import traceback
from typing import Any, NamedTuple

from .imports import call_hook
from .outcomes import fail


class XfailSpec(NamedTuple):
    reason: str
    run: bool
    strict: bool
    raises: Any


def evaluate_condition(item: Any, mark: Any, condition: Any) -> tuple[bool, str]:
    if isinstance(condition, str):
        namespace: dict[str, Any] = {"os": os, "sys": sys, "platform": platform, "config": item.config}
        for hook in item.session._collector.hooks("pytest_markeval_namespace", item.nodeid)[::-1]:
            extra = call_hook(hook, config=item.config)
            if isinstance(extra, dict):
                namespace.update(extra)
        globs = getattr(item.obj, "__globals__", None)
        if globs is not None:
            namespace.update(globs)
        try:
            code = compile(condition, f"<{mark.name} condition>", "eval")
            result = eval(code, namespace)
        except SyntaxError as exc:
            fail("\n".join([f"Error evaluating {mark.name!r} condition", "    " + condition,
                            "    " + " " * (exc.offset or 0) + "^", "SyntaxError: invalid syntax"]),
                 pytrace=False)
        except Exception as exc:  # noqa: BLE001
            fail("\n".join([f"Error evaluating {mark.name!r} condition", "    " + condition,
                            *traceback.format_exception_only(type(exc), exc)]), pytrace=False)
    else:
        try:
            result = bool(condition)
        except Exception as exc:  # noqa: BLE001
            fail("\n".join([f"Error evaluating {mark.name!r} condition as a boolean",
                            *traceback.format_exception_only(type(exc), exc)]), pytrace=False)
    reason = mark.kwargs.get("reason")
    if reason is None:
        if isinstance(condition, str):
            reason = "condition: " + condition
        else:
            fail(f"Error evaluating {mark.name!r}: you need to specify reason=STRING when using booleans "
                 "as conditions.", pytrace=False)
    return bool(result), reason


def _conditions(mark: Any) -> tuple:
    if "condition" in mark.kwargs:
        return (mark.kwargs["condition"],)
    return mark.args


def evaluate_skip_marks(item: Any) -> str | None:
    """The skip reason if a skip/skipif mark applies, else None."""
    for mark in item.iter_markers("skipif"):
        conds = _conditions(mark)
        if not conds:
            return mark.kwargs.get("reason", "")
        for condition in conds:
            result, reason = evaluate_condition(item, mark, condition)
            if result:
                return reason
    for mark in item.iter_markers("skip"):
        def _skip(reason: str = "unconditional skip") -> str:
            return reason
        try:
            return _skip(*mark.args, **mark.kwargs)
        except TypeError as exc:
            raise TypeError(str(exc) + " - maybe you meant pytest.mark.skipif?") from None
    return None


def evaluate_xfail_marks(item: Any) -> XfailSpec | None:
    for mark in item.iter_markers("xfail"):
        run = mark.kwargs.get("run", True)
        strict = mark.kwargs.get("strict", item.config.getini("xfail_strict"))
        raises = mark.kwargs.get("raises")
        conds = _conditions(mark)
        if not conds:
            return XfailSpec(mark.kwargs.get("reason", ""), run, strict, raises)
        for condition in conds:
            result, reason = evaluate_condition(item, mark, condition)
            if result:
                return XfailSpec(reason, run, strict, raises)
    return None
