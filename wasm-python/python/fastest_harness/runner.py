"""Running items: the setup state (which nodes are set up), the three phases
of each item and the PhaseReports they produce, skip/xfail semantics included.

Before each test's setup phase ``random.seed(config.seed)`` is applied, so a
test sees the same random stream whatever ran before it; during each phase
``PYTEST_CURRENT_TEST`` is ``"<nodeid> (<phase>)"``, as under pytest.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any, Callable

from . import conditions, guard, longrepr, report_hooks, sandbox_limits, setupshow, sigint, subtests, timeouts
from .capture import CaptureManager
from .fixtures import get_real_func
from .requests import FixtureLookupError
from .imports import call_hook
from .outcomes import TEST_OUTCOME, Exit, Skipped, XFailed, fail, skip_report_text, xfail

# Bound once, like api._dumps: tests that replace time.perf_counter must not break the harness.
_perf_counter = time.perf_counter


class SetupState:
    """The stack of nodes currently set up (session ... item), like pytest's."""

    def __init__(self) -> None:
        self.stack: list[Any] = []
        self.errors: dict[int, BaseException] = {}

    def setup(self, item: Any) -> None:
        chain = item.listchain()
        for node in self.stack:
            error = self.errors.get(id(node))
            if error is not None:
                raise error
        for node in chain[len(self.stack):]:
            node._finalizers = []
            self.stack.append(node)
            try:
                node.setup()
            except TEST_OUTCOME as exc:
                self.errors[id(node)] = exc
                raise

    def teardown_exact(self, needed: list[Any]) -> None:
        errors: list[BaseException] = []
        while self.stack:
            if self.stack == needed[:len(self.stack)]:
                break
            node = self.stack.pop()
            self.errors.pop(id(node), None)
            finalizers, node._finalizers = node._finalizers, []
            node_errors: list[BaseException] = []
            while finalizers:
                fin = finalizers.pop()
                try:
                    fin()
                except TEST_OUTCOME as exc:
                    node_errors.append(exc)
            if len(node_errors) == 1:
                errors.extend(node_errors)
            elif node_errors:
                errors.append(BaseExceptionGroup(f"errors while tearing down {node!r}", node_errors[::-1]))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise BaseExceptionGroup("errors during test teardown", errors[::-1])


class Runner:
    def __init__(self, session: Any, collector: Any, harness_config: dict) -> None:
        self.session = session
        self.collector = collector
        self.config = session.config
        self.seed = harness_config.get("seed", 0)
        self._random_state: Any = None
        self.tbstyle = harness_config.get("tbStyle", "auto")
        self.showlocals = bool(harness_config.get("showLocals"))
        self.rootdir = str(session.config.rootpath)
        # Tracebacks show paths relative to where the run started, as pytest's do.
        self.display_dir = str(harness_config.get("invocationDir") or self.rootdir)
        self.capture = CaptureManager(harness_config.get("capture", "fd"))
        self.setupstate = SetupState()
        self.last_item: Any = None
        # Set by each run: did the host interrupt the running item for its timeout?
        self.timed_out: Callable[[], Any] = lambda: False
        self.item_timeout = 0.0
        # Teardown failures between runs (see api.run), reported by finish().
        self.deferred_errors: list[dict] = []

    # -- items
    def run_item(self, item: Any, nextitem: Any, emit: Callable[[dict], None]) -> None:
        try:
            self._run_item(item, nextitem, emit)
        except KeyboardInterrupt as exc:
            if not self.timed_out():
                raise
            # The timeout's interrupt landed between phases: the item still gets a result, once.
            if self.last_item is not item:
                self.last_item = item
                report = self.report(item, "call", timeouts.failure(exc, self.item_timeout), 0.0)
                emit({"type": "itemEnd", "nodeid": item.nodeid, "location": list(item.location),
                      "reports": [report], "properties": []})

    def _run_item(self, item: Any, nextitem: Any, emit: Callable[[dict], None]) -> None:
        location = list(item.location)
        emit({"type": "itemStart", "nodeid": item.nodeid, "location": location})
        item.reset()
        if "pytest_runtest_logstart" in self.collector.registry.defined:
            self.collector.registry.call("pytest_runtest_logstart", item.nodeid, nodeid=item.nodeid,
                                         location=item.location)
        needed = nextitem.listchain() if nextitem is not None else [self.session]
        reports = [self.phase(item, "setup", needed)]
        if reports[0]["outcome"] == "passed" and setupshow.state.enabled:
            setupshow.item_line(item)
        try:
            if reports[0]["outcome"] == "passed":
                call = self.phase(item, "call", needed)
                subtests.contains_failed(item, call)
                # Subtests are reported as they finish, before the call they ran in.
                reports.extend(subtests.take(item))
                reports.append(call)
            release = setupshow.hold() if setupshow.state.enabled else None
            reports.append(self.phase(item, "teardown", needed))
        except Exit:
            # pytest.exit(): pytest has already logged the phases that finished.
            self.last_item = item
            emit({"type": "itemEnd", "nodeid": item.nodeid, "location": location, "reports": reports,
                  "properties": []})
            raise
        properties = [[str(k), str(v)] for k, v in item.user_properties]
        self.last_item = item
        end = {"type": "itemEnd", "nodeid": item.nodeid, "location": location, "reports": reports,
               "properties": properties}
        xml_attributes = item.stash.get("xml_attributes", None)
        if xml_attributes:
            end["xmlAttributes"] = [[name, value] for name, value in xml_attributes]
            del item.stash["xml_attributes"]
        if "pytest_runtest_logfinish" in self.collector.registry.defined:
            self.collector.registry.call("pytest_runtest_logfinish", item.nodeid, nodeid=item.nodeid,
                                         location=item.location)
        emit(end)
        if release is not None:
            release()

    def phase(self, item: Any, when: str, needed: list[Any]) -> dict:
        os.environ["PYTEST_CURRENT_TEST"] = f"{item.nodeid} ({when})"
        capture = self.capture
        capture.start_phase()
        # caplog.get_records(when) reads the live list, during the phase too.
        item.stash.setdefault("caplog_records", {})[when] = capture.caplog_handler.records
        start = _perf_counter()
        error: BaseException | None = None
        sigint.clear()
        try:
            if when == "setup":
                self._setup(item)
            elif when == "call":
                self._call(item)
            else:
                self._teardown(item, needed)
        except KeyboardInterrupt as exc:
            if self.timed_out():
                error = timeouts.failure(exc, self.item_timeout)
            elif sigint.received():
                capture.end_phase()
                raise
            else:
                # Raised by the test's own code, not by Ctrl-C: it fails this test only.
                error = exc
        except Exit:
            capture.end_phase()
            raise
        except BaseException as exc:  # noqa: BLE001 - becomes the phase's report
            error = exc
        duration = _perf_counter() - start
        guard.restore(modules=when == "teardown")
        out, err, log = capture.end_phase()
        if when == "teardown":
            os.environ.pop("PYTEST_CURRENT_TEST", None)
        sections = item._report_sections
        if out:
            sections.append((when, "stdout", out))
        if err:
            sections.append((when, "stderr", err))
        if log:
            sections.append((when, "log", log))
        report = self.report(item, when, error, duration)
        if capture.live_log:
            report["liveLog"] = capture.live_log
        defined = self.collector.registry.defined
        if "pytest_runtest_makereport" in defined or "pytest_runtest_logreport" in defined:
            report_hooks.makereport(self.collector.registry, item, when, error, duration, report)
        # The error's traceback holds this frame, which holds the error: without this the
        # test's locals (a memory bomb's buffers) would live until the next garbage collection.
        error = None
        return report

    def _setup(self, item: Any) -> None:
        # The state random.seed(seed) makes, kept: setting it is about half the cost of seeding again.
        if self._random_state is None:
            random.seed(self.seed)
            self._random_state = random.getstate()
        else:
            random.setstate(self._random_state)
        problem = timeouts.problem(item)
        if problem is not None:
            fail(problem, pytrace=False)
        skip = conditions.evaluate_skip_marks(item)
        if skip is not None:
            raise Skipped(skip, _use_item_location=True)
        xfailed = item.stash["xfailed"] = conditions.evaluate_xfail_marks(item)
        if xfailed is not None and not xfailed.run and not self.config.option.runxfail:
            xfail("[NOTRUN] " + xfailed.reason)
        registry = self.collector.registry
        if "pytest_runtest_setup" in registry.defined:
            registry.call("pytest_runtest_setup", item.nodeid, default=lambda item: self.setupstate.setup(item),
                          item=item)
        else:
            self.setupstate.setup(item)

    def _call(self, item: Any) -> None:
        if item.stash.get("xfailed") is None:
            item.stash["xfailed"] = conditions.evaluate_xfail_marks(item)
        try:
            registry = self.collector.registry
            if "pytest_runtest_call" in registry.defined:
                registry.call("pytest_runtest_call", item.nodeid, default=lambda item: item.runtest(), item=item)
            else:
                item.runtest()
        finally:
            # The test may have added an xfail mark while running.
            if item.stash.get("xfailed") is None:
                item.stash["xfailed"] = conditions.evaluate_xfail_marks(item)

    def _teardown(self, item: Any, needed: list[Any]) -> None:
        registry = self.collector.registry
        if "pytest_runtest_teardown" in registry.defined:
            nextitem = needed[-1] if len(needed) > 1 else None
            registry.call("pytest_runtest_teardown", item.nodeid, item=item, nextitem=nextitem,
                          default=lambda item, nextitem: self.setupstate.teardown_exact(needed))
        else:
            self.setupstate.teardown_exact(needed)

    # -- reports
    def report(self, item: Any, when: str, error: BaseException | None, duration: float) -> dict:
        rep: dict[str, Any] = {
            "when": when, "outcome": "passed", "duration": duration, "longrepr": None,
            "message": None, "skip": None, "wasxfail": None,
            "sections": [[f"Captured {key} {w}", text] for w, key, text in item._report_sections],
        }
        if error is not None and when != "teardown":
            # --sandbox-skip-unsupported: a thread, process... the sandbox cannot provide skips the test.
            limit = sandbox_limits.skip_reason(error)
            if limit is not None:
                error = Skipped(limit, _use_item_location=True)
        if error is not None:
            if isinstance(error, Skipped) and not isinstance(error, XFailed):
                rep["outcome"] = "skipped"
                rep["skip"] = self._skip_info(item, error)
            else:
                rep["outcome"] = "failed"
                rep["longrepr"], rep["message"] = self.format_failure(item, error, when)
        xfailed = item.stash.get("xfailed")
        if self.config.option.runxfail:
            pass
        elif isinstance(error, XFailed):
            rep["outcome"] = "skipped"
            rep["wasxfail"] = error.msg or ""
        elif rep["outcome"] != "skipped" and xfailed is not None:
            if error is not None:
                if xfailed.raises is None or isinstance(error, xfailed.raises):
                    rep["outcome"] = "skipped"
                    rep["wasxfail"] = xfailed.reason
                else:
                    rep["outcome"] = "failed"
            elif when == "call":
                if xfailed.strict:
                    rep["outcome"] = "failed"
                    rep["longrepr"] = rep["message"] = "[XPASS(strict)] " + xfailed.reason
                else:
                    rep["outcome"] = "passed"
                    rep["wasxfail"] = xfailed.reason
        return rep

    def _skip_info(self, item: Any, error: Skipped) -> dict:
        if error._use_item_location:
            path, lineno = item.location[0], (item.location[1] or 0) + 1
        else:
            filename, lineno = longrepr.crash_location(error)
            # Relative to rootdir, like item locations: the host makes it relative to where the run started.
            path = longrepr.relpath_for_display(filename, self.rootdir) if filename else item.location[0]
        return {"path": path, "lineno": lineno, "reason": skip_report_text(error.msg)}

    def format_failure(self, item: Any, error: BaseException, when: str = "call") -> tuple[str, str | None]:
        if isinstance(error, FixtureLookupError):
            return lookup_error_repr(error), None
        custom = getattr(item, "failure_repr", None)
        if custom is not None:
            text = custom(error)
            if text is not None:
                return text
        style = self.tbstyle
        # The whole crash message: the summary line trims it, except on CI and with -vv.
        message = longrepr.crash_message(error)
        if style == "line" and when != "call":
            # An error's section shows only the exception lines, with no file:line (as pytest).
            lines = longrepr.exconly(error).split("\n")
            return "\n".join(["E   " + lines[0], *("    " + line for line in lines[1:])]), message
        if style == "line":
            filename, lineno = longrepr.crash_location(error)
            return f"{filename}:{lineno}: {longrepr.exconly(error).split(chr(10))[0]}", message
        code = getattr(get_real_func(item.function), "__code__", None)
        text = longrepr.format_exception(
            error, "long" if style in ("auto", "no") else style, rootdir=self.display_dir, code=code,
            path=str(item.path), auto=style == "auto", showlocals=self.showlocals)
        return text, message


def lookup_error_repr(error: FixtureLookupError) -> str:
    import inspect
    request = error.request
    item = request._pyfuncitem
    stack = [item.obj, *(d.func for d in error.fixturestack)]
    msg = error.msg
    if msg is not None:
        stack = stack[:-1]
    lines: list[str] = []
    path, lineno = "", 0
    for func in stack:
        real = get_real_func(func)
        code = getattr(real, "__code__", None)
        path = code.co_filename if code else "?"
        lineno = code.co_firstlineno - 1 if code else 0
        try:
            source, _ = inspect.getsourcelines(real)
        except (OSError, TypeError, IndexError):
            lines.append(f"file {path}, line {lineno + 1}: source code not available")
            continue
        lines.append(f"file {path}, line {lineno + 1}")
        for line in source:
            line = line.rstrip()
            lines.append("  " + line)
            if line.lstrip().startswith("def"):
                break
    if msg is None:
        available = item.session._fixturemanager.available(item.parent.nodeid)
        if error.argname in available:
            msg = f" recursive dependency involving fixture '{error.argname}' detected"
        else:
            msg = f"fixture '{error.argname}' not found"
            if error.argname in ("pytester", "testdir"):
                msg += ("\n fastest cannot run a nested pytest session in its sandbox,"
                        " so the pytester plugin's fixtures are not available")
        msg += "\n available fixtures: " + ", ".join(available)
        msg += "\n use 'pytest --fixtures [testpath]' for help on them."
    out = [line.rstrip() for line in lines]
    parts = msg.split("\n")
    out.append("E       " + parts[0].strip())
    out.extend(">       " + part.strip() for part in parts[1:])
    out.append("")
    out.append(f"{path}:{lineno + 1}")
    return "\n".join(out)
