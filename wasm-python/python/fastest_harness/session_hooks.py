"""Session-level conftest hooks: the start of a worker's session (initial
conftests, ``pytest_sessionstart``, ``pytest_report_header``), files that
``pytest_collect_file`` turns into custom items, and the end
(``pytest_sessionfinish``, ``pytest_terminal_summary``)."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from . import doctests
from .longrepr import collect_error
from .plugin_nodes import Item, SummaryReport, TerminalReporter


def start(session: Any, collector: Any) -> list[str] | None:
    """Load the conftests pytest loads before collecting (the rootdir's, each
    folder argument's and its ``test*`` subfolders'), then call
    ``pytest_sessionstart``; return ``pytest_report_header``'s lines, if any."""
    config = session.config
    folders = [collector.rootdir]
    for arg in config._raw.get("initialPaths") or ():
        path = Path(arg)
        if path.is_dir():
            folders.append(path)
            folders.extend(sorted(p for p in path.glob("test*") if p.is_dir()))
        else:
            folders.append(path.parent)
    for folder in folders:
        # An import error is reported when a file below it is collected.
        collector.load_conftests(folder)
    registry = collector.registry
    if registry.impls("pytest_sessionstart"):
        registry.call("pytest_sessionstart", None, session=session)
    if not registry.impls("pytest_report_header"):
        return None
    answers = registry.call("pytest_report_header", None, config=config, start_path=Path(
        config._raw.get("invocationDir") or config.rootpath))
    lines: list[str] = []
    # As pytest's terminal reporter: first registered plugin's lines first.
    for answer in reversed(answers):
        lines.extend([answer] if isinstance(answer, str) else [str(line) for line in answer])
    return lines


def collect_path(collector: Any, path: Path, options: Any, hooked: bool) -> tuple[list[Any], list[dict]]:
    """The items of one file: custom ones from ``pytest_collect_file`` hooks
    first, then its doctests and tests. ``hooked``: the host sent every file
    (a conftest may collect any), so Python files are checked against
    ``python_files`` here."""
    items: list[Any] = []
    errors: list[dict] = []
    if collector.registry.impls("pytest_collect_file") or hooked:
        items, errors = _collect_custom(collector, path)
    if hooked and not _is_test_module(collector, path, options):
        found, failed = doctests.collect(collector, path, options)
    else:
        found, failed = doctests.collect_path(collector, path, options)
    return items + found, errors + failed


def _is_test_module(collector: Any, path: Path, options: Any) -> bool:
    if path.suffix != ".py":
        return False
    if str(path) in (collector.config._raw.get("initialPaths") or ()):
        return True
    return any(fnmatch.fnmatch(path.name, p) for p in collector.config.getini("python_files"))


def _collect_custom(collector: Any, path: Path) -> tuple[list[Any], list[dict]]:
    error = collector.load_conftests(path.parent)
    if error is not None or not collector.registry.impls("pytest_collect_file"):
        return [], []
    parent = collector.dir_node(path.parent)
    items: list[Any] = []
    try:
        for node in collector.registry.call("pytest_collect_file", collector.relpath(path.parent),
                                            file_path=path, parent=parent):
            items.extend(_expand(collector, node))
    except Exception as exc:  # noqa: BLE001 - reported as a collection error
        return items, [collect_error(collector.relpath(path), exc, collector, module_path=str(path))]
    return items, []


def _expand(collector: Any, node: Any) -> list[Any]:
    if isinstance(node, Item) or not hasattr(node, "collect"):
        path, lineno, domain = node.reportinfo()
        node.location = (collector.relpath(path if path is not None else node.path), lineno, str(domain))
        return [node]
    found: list[Any] = []
    for child in node.collect() or ():
        found.extend(_expand(collector, child))
    return found


def unsupported_notices(collector: Any) -> list[str]:
    """One line per hook a conftest or plugin defines that fastest never calls
    (each reported once per configure), for the host to print on stderr."""
    found = []
    for name, plugin in collector.registry.unsupported:
        filename = getattr(plugin, "__file__", None) or type(plugin).__name__
        found.append(f"{filename} defines {name}, a hook fastest does not call "
                     "(docs/COMPATIBILITY.md#hooks lists those it calls)")
    collector.registry.unsupported = []
    return found


def session_finish(session: Any, collector: Any, summary: dict | None) -> None:
    """``pytest_sessionfinish``, before session fixtures are torn down (as in pytest)."""
    registry = collector.registry
    if registry.impls("pytest_sessionfinish"):
        registry.call("pytest_sessionfinish", None, session=session,
                      exitstatus=int((summary or {}).get("exitstatus", 0)))


def terminal_summary(session: Any, collector: Any, summary: dict | None) -> str | None:
    """``pytest_terminal_summary`` when the host sent the run's results
    (``summary["stats"]``, to one worker only); return what it wrote."""
    registry = collector.registry
    if summary is None or "stats" not in summary or not registry.impls("pytest_terminal_summary"):
        return None
    stats: dict[str, list] = {}
    for key, reports in (summary.get("stats") or {}).items():
        stats[key] = [SummaryReport(r["nodeid"], r.get("when", "call"), r.get("outcome", key), r.get("longrepr"))
                      for r in reports]
    reporter = TerminalReporter(session.config, stats, int(summary.get("width") or 80))
    registry.call("pytest_terminal_summary", None, terminalreporter=reporter,
                  exitstatus=int(summary.get("exitstatus", 0)), config=session.config)
    return reporter.getvalue()


def unconfigure(session: Any, collector: Any) -> None:
    """``pytest_unconfigure``, last thing of a worker's session."""
    if "pytest_unconfigure" in collector.registry.defined:
        collector.registry.call("pytest_unconfigure", None, config=session.config)
