"""What conftest hooks handle beside the harness's own nodes: ``pytest.Item``
and ``pytest.File`` for custom collection (``pytest_collect_file``), the
``TestReport`` and ``CallInfo`` of ``pytest_runtest_makereport``, and the
``terminalreporter`` of ``pytest_terminal_summary``."""

from __future__ import annotations

import io
from abc import ABCMeta
from pathlib import Path
from typing import Any, Iterator

from .nodes import Node


class _FromParent:
    """pytest's ``Node.from_parent(parent, **kw)`` constructor for user subclasses."""

    @classmethod
    def from_parent(cls, parent: Node, **kw: Any) -> Any:
        return cls(parent=parent, **kw)


def _init_node(node: Node, name: str | None, parent: Node | None, path: Any, nodeid: str | None,
               fspath: Any = None) -> None:
    if path is None and fspath is not None:
        path = Path(str(fspath))
    if path is not None:
        path = Path(path)
    if name is None:
        name = path.name if path is not None else ""
    if nodeid is None:
        if parent is not None and parent.kind in ("session", "dir", "package") and path is not None:
            nodeid = parent.session._collector.relpath(path)
        else:
            nodeid = f"{parent.nodeid}::{name}" if parent is not None and parent.nodeid else name
    Node.__init__(node, name, parent, nodeid, path)


class File(_FromParent, Node, metaclass=ABCMeta):
    """``pytest.File``: a file a ``pytest_collect_file`` hook collects; subclasses define ``collect()``."""

    kind = "module"

    def __init__(self, name: str | None = None, parent: Node | None = None, config: Any = None,
                 session: Any = None, path: Any = None, nodeid: str | None = None, fspath: Any = None,
                 **kw: Any) -> None:
        _init_node(self, name, parent, path, nodeid, fspath)
        self.obj: Any = None

    def collect(self) -> Iterator[Any]:
        raise NotImplementedError("a pytest.File subclass must define collect()")


class Item(_FromParent, Node, metaclass=ABCMeta):
    """``pytest.Item``: a test a custom collector makes; subclasses define ``runtest()``."""

    kind = "function"
    callspec = None
    function = None
    cls = None
    instance = None

    def __init__(self, name: str | None = None, parent: Node | None = None, config: Any = None,
                 session: Any = None, path: Any = None, nodeid: str | None = None, fspath: Any = None,
                 **kw: Any) -> None:
        _init_node(self, name, parent, path, nodeid, fspath)
        self.fixturenames: list[str] = []
        self.funcargs: dict[str, Any] = {}
        self._arg2fixturedefs: dict[str, list] = {}
        self.user_properties: list[tuple[str, Any]] = []
        self._report_sections: list[tuple[str, str, str]] = []
        self.location: tuple[str, int | None, str] = ("", None, "")

    def runtest(self) -> None:
        raise NotImplementedError("a pytest.Item subclass must define runtest()")

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, ""

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        from .longrepr import format_exception
        return format_exception(excinfo.value, "short", rootdir=str(self.config.rootpath), code=None,
                                path=str(self.path))

    def add_report_section(self, when: str, key: str, content: str) -> None:
        if content:
            self._report_sections.append((when, key, content))

    def failure_repr(self, error: BaseException) -> tuple[str, str | None] | None:
        """The runner's hook for a custom item's failure text: its ``repr_failure``."""
        from .longrepr import exconly
        from .raises import ExceptionInfo
        text = str(self.repr_failure(ExceptionInfo.from_exception(error)))
        if type(self).repr_failure is not Item.repr_failure:
            # pytest's summary line shows the first line of a custom failure text.
            return text, text.split("\n")[0]
        return text, exconly(error).split("\n")[0]

    def reset(self) -> None:
        self.funcargs = {}
        self._report_sections = []
        self.user_properties = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class CallInfo:
    """``pytest.CallInfo`` as ``pytest_runtest_makereport`` receives it."""

    def __init__(self, when: str, excinfo: Any, duration: float) -> None:
        self.when = when
        self.excinfo = excinfo
        self.duration = duration
        self.start = self.stop = 0.0

    @property
    def result(self) -> Any:
        if self.excinfo is not None:
            raise AttributeError(f"{self!r} has no valid result")
        return None


class TestReport:
    """``pytest.TestReport`` over the harness's plain report of one phase.
    Setting ``outcome`` or ``longrepr`` in a hook changes what is reported."""

    __test__ = False

    def __init__(self, item: Any, data: dict) -> None:
        self._data = data
        self.nodeid = item.nodeid
        self.location = tuple(item.location)
        self.keywords = {k: 1 for k in item.keywords}
        self.user_properties = list(item.user_properties)
        self.sections = [tuple(s) for s in data["sections"]]
        self.duration = data["duration"]
        self.when = data["when"]
        if data.get("wasxfail") is not None:
            self.wasxfail = data["wasxfail"]

    outcome = property(lambda self: self._data["outcome"],
                       lambda self, value: self._data.__setitem__("outcome", value))

    @property
    def longrepr(self) -> Any:
        data = self._data
        if data["outcome"] == "skipped" and data.get("skip"):
            skip = data["skip"]
            return (skip["path"], skip["lineno"], skip["reason"])
        return data["longrepr"]

    @longrepr.setter
    def longrepr(self, value: Any) -> None:
        self._data["longrepr"] = None if value is None else str(value)

    passed = property(lambda self: self.outcome == "passed")
    failed = property(lambda self: self.outcome == "failed")
    skipped = property(lambda self: self.outcome == "skipped")

    @property
    def longreprtext(self) -> str:
        value = self.longrepr
        return "" if value is None else str(value)

    def _section(self, prefix: str) -> str:
        return "".join(content for title, content in self.sections if title.startswith(prefix))

    capstdout = property(lambda self: self._section("Captured stdout"))
    capstderr = property(lambda self: self._section("Captured stderr"))
    caplog = property(lambda self: self._section("Captured log"))
    head_line = property(lambda self: self.location[2])
    count_towards_summary = True

    def __repr__(self) -> str:
        return f"<TestReport {self.nodeid!r} when={self.when!r} outcome={self.outcome!r}>"


class SummaryReport:
    """A finished test as ``terminalreporter.stats`` lists it (from the host's results)."""

    def __init__(self, nodeid: str, when: str, outcome: str, longrepr: str | None) -> None:
        self.nodeid = nodeid
        self.when = when
        self.outcome = outcome
        self.longrepr = longrepr
        self.location = (nodeid.split("::")[0], None, nodeid.split("::")[-1])

    passed = property(lambda self: self.outcome == "passed")
    failed = property(lambda self: self.outcome == "failed")
    skipped = property(lambda self: self.outcome == "skipped")
    longreprtext = property(lambda self: self.longrepr or "")
    head_line = property(lambda self: self.location[2])


class TerminalReporter:
    """The ``terminalreporter`` of ``pytest_terminal_summary``: what it writes
    goes to the report, where pytest prints plugin summaries."""

    def __init__(self, config: Any, stats: dict[str, list], width: int) -> None:
        self.config = config
        self.stats = stats
        self._tw_width = width
        self._out = io.StringIO()
        self.verbosity = int(config.option.verbose)
        self.showfspath = True
        self.startpath = config.rootpath

    def write(self, content: str, *, flush: bool = False, **markup: Any) -> None:
        self._out.write(str(content))

    def write_line(self, line: str, **markup: Any) -> None:
        text = self._out.getvalue()
        if text and not text.endswith("\n"):
            self._out.write("\n")
        self._out.write(str(line) + "\n")

    def line(self, msg: str = "", **markup: Any) -> None:
        self.write_line(msg)

    def ensure_newline(self) -> None:
        text = self._out.getvalue()
        if text and not text.endswith("\n"):
            self._out.write("\n")

    def write_sep(self, sep: str, title: str | None = None, fullwidth: int | None = None, **markup: Any) -> None:
        width = fullwidth or self._tw_width
        if title:
            n = max((width - len(title) - 2) // (2 * len(sep)), 1)
            fill = sep * n
            line = f"{fill} {title} {fill}"
            if len(line) + len(sep.rstrip()) <= width:
                line += sep.rstrip()
        else:
            line = sep * (width // len(sep))
        self.write_line(line)

    def section(self, title: str, sep: str = "=", **kw: Any) -> None:
        self.write_sep(sep, title, **kw)

    def getvalue(self) -> str:
        return self._out.getvalue()


def _register_builtin_nodes() -> None:
    """The harness's own test modules and items count as ``pytest.File`` / ``pytest.Item``."""
    from .doctests import DoctestItem
    from .items import Function
    from .nodes import Module
    File.register(Module)
    Item.register(Function)
    Item.register(DoctestItem)


_register_builtin_nodes()
