"""Doctests, as pytest runs them: ``--doctest-modules`` (every docstring of a
module), ``--doctest-glob`` text files (``test*.txt`` by default),
``doctest_optionflags`` (ELLIPSIS by default, plus pytest's NUMBER,
ALLOW_UNICODE and ALLOW_BYTES), ``--doctest-report`` and the
``doctest_namespace`` fixture. Ids follow pytest's: ``mod.py::mod.func``,
``README.md::README.md``."""

from __future__ import annotations

import doctest
import fnmatch
import re
import traceback
from pathlib import Path
from typing import Any

from .fixtures import closure
from .imports import import_path
from .items import Function
from .longrepr import collect_error
from .nodes import Module
from .outcomes import OutcomeException, Skipped, skip_report_text

NUMBER = doctest.register_optionflag("NUMBER")
ALLOW_UNICODE = doctest.register_optionflag("ALLOW_UNICODE")
ALLOW_BYTES = doctest.register_optionflag("ALLOW_BYTES")

_REPORT_FLAGS = {
    "none": 0, "udiff": doctest.REPORT_UDIFF, "cdiff": doctest.REPORT_CDIFF,
    "ndiff": doctest.REPORT_NDIFF, "only_first_failure": doctest.REPORT_ONLY_FIRST_FAILURE,
}
_UNICODE_PREFIX = re.compile(r"(\W|^)[uU]([rR]?['\"])", re.UNICODE)
_BYTES_PREFIX = re.compile(r"(\W|^)[bB]([rR]?['\"])", re.UNICODE)
# A float literal: digits with a point or an exponent (integers are compared as text).
_FLOAT = re.compile(r"(?<![\w.])([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?(?![\w.])")


class Options:
    """The run's doctest settings (from HarnessConfig ``doctest`` and the ini)."""

    def __init__(self, raw: dict, config: Any) -> None:
        spec = raw.get("doctest") or {}
        self.modules = bool(spec.get("modules"))
        self.globs = list(spec.get("globs") or []) or ["test*.txt"]
        self.report = _REPORT_FLAGS.get(str(spec.get("report") or "udiff"), doctest.REPORT_UDIFF)
        self.continue_on_failure = bool(spec.get("continueOnFailure"))
        self.ignore_import_errors = bool(spec.get("ignoreImportErrors"))
        self.initial = {str(Path(p)) for p in raw.get("initialPaths") or []}
        self.encoding = str(config._ini.get("doctest_encoding") or "utf-8")
        names = config._ini.get("doctest_optionflags")
        if names is None:
            names = ["ELLIPSIS"]
        elif isinstance(names, str):
            names = names.split()
        self.flags = 0
        for name in names:
            if name not in doctest.OPTIONFLAGS_BY_NAME:
                raise ValueError(f"doctest_optionflags: unknown option flag {name!r}")
            self.flags |= doctest.OPTIONFLAGS_BY_NAME[name]

    def is_textfile(self, path: Path) -> bool:
        if path.suffix == ".py":
            return False
        if path.suffix in (".txt", ".rst") and str(path) in self.initial:
            return True
        return any(fnmatch.fnmatch(path.name, pattern) for pattern in self.globs)

    def is_module(self, path: Path) -> bool:
        if not self.modules or path.suffix != ".py" or path.name == "__main__.py":
            return False
        if path.name == "setup.py":
            data = path.read_bytes()
            return b"setuptools" not in data and b"distutils" not in data
        return True


class Checker(doctest.OutputChecker):
    """doctest's checker plus pytest's NUMBER, ALLOW_UNICODE and ALLOW_BYTES."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        if super().check_output(want, got, optionflags):
            return True
        if not optionflags & (NUMBER | ALLOW_UNICODE | ALLOW_BYTES):
            return False
        if optionflags & ALLOW_UNICODE:
            want, got = _UNICODE_PREFIX.sub(r"\1\2", want), _UNICODE_PREFIX.sub(r"\1\2", got)
        if optionflags & ALLOW_BYTES:
            want, got = _BYTES_PREFIX.sub(r"\1\2", want), _BYTES_PREFIX.sub(r"\1\2", got)
        if optionflags & NUMBER:
            got = _numbers_as_written(want, got)
        return super().check_output(want, got, optionflags)


def _floats(text: str) -> list[re.Match]:
    return [m for m in _FLOAT.finditer(text) if m.group(2) or m.group(3)]


def _numbers_as_written(want: str, got: str) -> str:
    """Replace each float of ``got`` by ``want``'s when equal to the precision written there."""
    wanted, found = _floats(want), _floats(got)
    if len(wanted) != len(found):
        return got
    pieces: list[str] = []
    last = 0
    for w, g in zip(wanted, found):
        if w.group(3) is None and w.group(4) is None:
            continue
        precision = len(w.group(3) or "") - int(w.group(4) or 0)
        try:
            wv, gv = float(w.group(0)), float(g.group(0))
        except ValueError:
            continue
        if abs(wv - gv) <= max(10.0 ** -precision, 1e-6 * abs(wv)):
            pieces.append(got[last:g.start()])
            pieces.append(w.group(0))
            last = g.end()
    pieces.append(got[last:])
    return "".join(pieces)


class Runner(doctest.DocTestRunner):
    """Stops at the first failure (raised) unless told to continue (collected)."""

    def __init__(self, options: Options) -> None:
        # --doctest-report only shapes the diff in the report (as in pytest): as a runner flag,
        # only_first_failure would hide the later failures --doctest-continue-on-failure shows.
        super().__init__(checker=Checker(), verbose=False, optionflags=options.flags)
        self.continue_on_failure = options.continue_on_failure

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        failure = doctest.DocTestFailure(test, example, got)
        if not self.continue_on_failure:
            raise failure
        out.append(failure)

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        if isinstance(exc_info[1], OutcomeException):
            raise exc_info[1]
        failure = doctest.UnexpectedException(test, example, exc_info)
        if not self.continue_on_failure:
            raise failure
        out.append(failure)


class MultipleFailures(Exception):
    def __init__(self, failures: list) -> None:
        super().__init__(failures)
        self.failures = failures


class DoctestItem(Function):
    """One docstring (or text file) run as a test."""

    def __init__(self, name: str, parent: Any, dtest: doctest.DocTest, options: Options) -> None:
        super().__init__(name, parent, f"{parent.nodeid}::{name}", None, name)
        self.dtest = dtest
        self.options = options
        self._globs = dict(dtest.globs)
        self.location = (parent.nodeid, dtest.lineno, f"[doctest] {name}")

    @property
    def obj(self) -> Any:
        return None

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, self.dtest.lineno, f"[doctest] {self.name}"

    def setup(self) -> None:
        super().setup()
        request = self._request
        assert request is not None
        globs: dict[str, Any] = {"getfixture": request.getfixturevalue}
        globs.update(request.getfixturevalue("doctest_namespace"))
        self.dtest.globs.update(globs)

    def runtest(self) -> None:
        if all(example.options.get(doctest.SKIP, False) for example in self.dtest.examples):
            # pytest points at its own doctest.py; the doctest's line is more use.
            raise Skipped("all tests skipped by +SKIP option", _use_item_location=True)
        failures: list = []
        Runner(self.options).run(self.dtest, out=failures, clear_globs=False)  # type: ignore[arg-type]
        if failures:
            raise MultipleFailures(failures)

    def reset(self) -> None:
        super().reset()
        self.dtest.globs = dict(self._globs)

    def failure_repr(self, error: BaseException) -> tuple[str, str | None] | None:
        """pytest's doctest failure text, or None for errors that are not doctest failures."""
        if isinstance(error, (doctest.DocTestFailure, doctest.UnexpectedException)):
            failures = [error]
        elif isinstance(error, MultipleFailures):
            failures = error.failures
        else:
            return None
        blocks = [_failure_lines(failure, self.options.report) for failure in failures]
        return "\n".join(line for block in blocks for line in block), None

    def __repr__(self) -> str:
        return f"<DoctestItem {self.name}>"


def _failure_lines(failure: Any, report: int) -> list[str]:
    example, test = failure.example, failure.test
    lineno = test.lineno + example.lineno + 1 if test.lineno is not None else None
    if lineno is not None:
        numbered = [f"{i + test.lineno + 1:03d} {line}" for i, line in enumerate(test.docstring.splitlines())]
        lines = numbered[max(example.lineno - 9, 0):example.lineno + 1]
    else:
        lines = ["EXAMPLE LOCATION UNKNOWN, not showing all tests of that example"]
        prompt = ">>>"
        for source_line in example.source.splitlines():
            lines.append(f"??? {prompt} {source_line}")
            prompt = "..."
    if isinstance(failure, doctest.DocTestFailure):
        lines.extend(Checker().output_difference(example, failure.got, report).split("\n"))
        kind = "DocTestFailure"
    else:
        lines.append(f"UNEXPECTED EXCEPTION: {failure.exc_info[1]!r}")
        lines.extend(chunk.strip("\n") for chunk in traceback.format_exception(*failure.exc_info))
        kind = "UnexpectedException"
    lines.append(f"{test.filename}:{lineno}: {kind}")
    return lines


# -- collection ------------------------------------------------------------------

def collect(collector: Any, path: Path, options: Options) -> tuple[list[Function], list[dict]]:
    """Doctest items of one file (a module or a text file), and collection errors."""
    if options.is_module(path):
        return _collect_module(collector, path, options)
    if options.is_textfile(path):
        return _collect_textfile(collector, path, options)
    return [], []


def _make_item(collector: Any, parent: Any, dtest: doctest.DocTest, options: Options) -> DoctestItem:
    item = DoctestItem(dtest.name, parent, dtest, options)
    chain_ids = list(dict.fromkeys(n.nodeid for n in parent.listchain()))
    item.fixturenames, item._arg2fixturedefs = closure(
        collector.manager, [*collector.manager.autouse_names(chain_ids), "doctest_namespace"], parent.nodeid, set())
    return item


def _collect_textfile(collector: Any, path: Path, options: Options) -> tuple[list[Function], list[dict]]:
    nodeid = collector.relpath(path)
    error = collector.load_conftests(path.parent)
    if error is not None:
        return [], collector.conftest_error(error)
    parent = Module(path.name, collector.dir_node(path.parent), nodeid, path)
    text = path.read_text(encoding=options.encoding)
    dtest = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, path.name, str(path), 0)
    return ([_make_item(collector, parent, dtest, options)] if dtest.examples else []), []


def _collect_module(collector: Any, path: Path, options: Options) -> tuple[list[Function], list[dict]]:
    nodeid = collector.relpath(path)
    error = collector.load_conftests(path.parent)
    if error is not None:
        return [], collector.conftest_error(error)
    try:
        if path.name == "conftest.py":
            module = collector.conftests.get(str(path.parent))
        else:
            module = import_path(path)
            collector.imported.append(module.__name__)
    except Skipped as exc:
        collector._record_module_skip(nodeid, exc)
        return [], []
    except Exception as exc:  # noqa: BLE001 - reported as a collection error
        if options.ignore_import_errors:
            collector.skipped.append({"nodeid": nodeid, "path": nodeid, "lineno": 0,
                                      "reason": skip_report_text(f"unable to import module {path!r}")})
            return [], []
        return [], [collect_error(nodeid, exc, collector, module_path=str(path))]
    parent = Module(path.name, collector.dir_node(path.parent), nodeid, path)
    parent.obj = module
    finder = doctest.DocTestFinder()
    items: list[Function] = []
    for dtest in finder.find(module, module.__name__):
        if dtest.examples:
            items.append(_make_item(collector, parent, dtest, options))
    return items, []


def collect_path(collector: Any, path: Path, options: Options) -> tuple[list[Function], list[dict]]:
    """Everything one discovered file holds: its doctests first (as pytest orders
    them), then its tests when it is a test module."""
    items, errors = collect(collector, path, options)
    if path.suffix == ".py" and (not options.modules or str(path) in options.initial
                                 or any(fnmatch.fnmatch(path.name, p) for p in collector.config.getini("python_files"))):
        found, failed = collector.collect_file(path)
        items.extend(found)
        errors.extend(failed)
    return items, errors
