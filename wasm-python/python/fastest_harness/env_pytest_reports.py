"""Real pytest's items and reports as fastest's plain data (``core/protocol.ts``),
for ``--pytest-from-env`` (``env_pytest.py``)."""

from __future__ import annotations

import inspect
import io
import os
import warnings
from typing import Any

from . import itemdata


def item_entry(item: Any, rootdir: str, collect_only: bool, with_docs: bool) -> dict[str, Any]:
    """A CollectedItem: what the host selects (``-k``, ``-m``), schedules and lists by."""
    from _pytest.mark import KeywordMatcher

    marks = list(item.iter_markers())
    entry: dict[str, Any] = {
        "nodeid": item.nodeid,
        "location": list(item.location),
        "markers": list(dict.fromkeys(m.name for m in marks)),
        # The names pytest's own -k matches against (KeywordMatcher), in a stable order.
        "keywords": sorted(KeywordMatcher.from_item(item)._names),
        "marks": itemdata.marks(item, marks),
    }
    if collect_only:
        entry["nodes"] = _nodes(item, with_docs)
    return entry


def _nodes(item: Any, with_docs: bool) -> list[dict[str, Any]]:
    chain = []
    for node in item.listchain()[1:]:
        entry: dict[str, Any] = {"type": type(node).__name__, "name": node.name}
        obj = getattr(node, "obj", None) if with_docs and type(node).__name__ not in ("Dir", "Package") else None
        doc = inspect.getdoc(obj) if obj is not None else None
        if doc:
            entry["doc"] = doc
        chain.append(entry)
    return chain


def failure_message(report: Any) -> str | None:
    """The short summary's text for a failure (pytest's ``reprcrash`` message)."""
    longrepr = report.longrepr
    if longrepr is None:
        return None
    if isinstance(longrepr, str):
        return longrepr
    crash = getattr(longrepr, "reprcrash", None)
    return crash.message if crash is not None else None


def terminal_text(report: Any) -> str:
    """The report as pytest's terminal reporter writes it in the FAILURES section
    (``str(longrepr)`` would strip its leading blank line), without colors."""
    from _pytest._io import TerminalWriter

    out = io.StringIO()
    writer = TerminalWriter(file=out)
    writer.hasmarkup = False
    report.toterminal(writer)
    return out.getvalue()


def _relative(path: str, rootdir: str) -> str:
    """Rootdir-relative, as the host expects item locations (it makes them relative to where the run started)."""
    if os.path.isabs(path):
        relative = os.path.relpath(path, rootdir)
        if not relative.startswith(".."):
            return relative.replace(os.sep, "/")
    return path


def phase_report(report: Any, rootdir: str) -> dict[str, Any]:
    """A PhaseReport from pytest's TestReport."""
    skip = None
    longrepr: str | None = None
    message: str | None = None
    if report.skipped and isinstance(report.longrepr, tuple):
        path, lineno, reason = report.longrepr
        skip = {"path": _relative(str(path), rootdir), "lineno": int(lineno or 0), "reason": str(reason)}
    elif report.failed:
        longrepr = terminal_text(report)
        message = failure_message(report)
    entry: dict[str, Any] = {
        "when": report.when,
        "outcome": report.outcome,
        "duration": float(report.duration),
        "longrepr": longrepr,
        "message": message,
        "skip": skip,
        "wasxfail": getattr(report, "wasxfail", None),
        "sections": [[str(title), str(content)] for title, content in report.sections],
    }
    # pytest 9's subtests (the `subtests` fixture, unittest's subTest): one call report each.
    describe = getattr(report, "_sub_test_description", None)
    if describe is not None:
        entry["subtest"] = describe()
    return entry


def collect_error(report: Any) -> dict[str, Any]:
    """A CollectError from a failed CollectReport."""
    text = terminal_text(report)
    message = failure_message(report) or ""
    return {"nodeid": report.nodeid, "longrepr": text, "message": message.split("\n")[0]}


def collect_skip(report: Any, rootdir: str) -> dict[str, Any]:
    """A CollectSkip from a module that skipped itself (``pytest.skip(allow_module_level=True)``)."""
    path, lineno, reason = report.longrepr
    return {"nodeid": report.nodeid, "path": _relative(str(path), rootdir), "lineno": int(lineno or 0), "reason": str(reason)}


def warning_record(w: Any, nodeid: str) -> dict[str, Any]:
    """A WarningRecord from pytest's ``pytest_warning_recorded``."""
    formatted = warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line)
    return {"nodeid": nodeid, "category": w.category.__name__, "message": str(w.message),
            "filename": str(w.filename), "lineno": int(w.lineno or 0), "formatted": formatted}
