"""``--pytest-from-env``: the environment's own pytest collects and runs the tests.

The harness normally runs tests with its own pytest implementation (this
package and the ``pytest`` shim). A suite that needs pytest plugins runs
under real pytest instead, taken from the run's environment
(``--site-packages``, the project's ``.venv``, ``--wheels``), with the
plugins that environment holds loaded by their entry points, as pytest
loads them. It works the way pytest-xdist's workers do: one pytest
``Session`` per interpreter; ``collect`` collects the given files with it,
``run`` runs items through pytest's own per-item protocol
(``pytest_runtest_protocol``, so plugins wrapping it keep working and
fixtures keep their scopes across a run's items), and a bridge plugin maps
pytest's reports onto fastest's events (``core/protocol.ts``). Selection,
``-x``/``--maxfail``, timeouts, reports and the cache stay with the host.

The entry points mirror ``api.py``'s: ``configure`` / ``collect`` / ``run``
/ ``finish``, same JSON shapes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from typing import Any, Callable

from . import cov_measure, timeouts
from .env_pytest_bridge import bridge_plugin
from .env_pytest_reports import failure_message, item_entry, terminal_text
from .env_pytest_setup import environment_pytest, error_line, forget_project_modules, preimport, pytest_args

__all__ = ["EnvPytest", "preimport"]

_dumps = json.dumps


class _Discard(io.TextIOBase):
    """Where pytest's own terminal output goes: fastest's host writes the report."""

    def write(self, text: str) -> int:
        return len(text)


class EnvPytest:
    """One interpreter's pytest session and what the host asked of it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.rootdir = str(raw["rootdir"])
        self.pytest = environment_pytest(raw.get("sitePackages"), raw.get("unavailableModules"))
        from _pytest.config import _prepareconfig
        from _pytest.main import Session

        self.items: dict[str, Any] = {}
        self.send: Callable[[dict], Any] = lambda event: None
        self.timed_out: Callable[[], Any] = lambda: False
        self.timeout = 0.0
        self.collecting: dict[str, Any] | None = None
        self.pending: list[dict] = []
        self.pending_properties: list[list[str]] = []
        self.finished_errors: list[dict] = []
        # The item run last: a session-level teardown error is reported at it, as pytest does.
        self.last_nodeid = ""
        self.bridge = bridge_plugin(self, self.pytest)
        forget_project_modules(self.rootdir, str(raw.get("sitePackages")))
        # pytest's invocation folder is where the run started, as on the host.
        workdir = str(raw.get("invocationDir") or self.rootdir)
        if os.path.isdir(workdir):
            os.chdir(workdir)
        # --cov: measuring starts before pytest imports the conftests and test modules.
        if raw.get("coverage"):
            cov_measure.begin(raw["coverage"], self.rootdir)
        else:
            cov_measure.end()
        args = pytest_args(raw)
        saved = sys.stdout, sys.stderr
        # The terminal reporter keeps the stream it was made with: a sink.
        sys.stdout = sys.stderr = _Discard()
        # A command line pytest refuses, or a plugin failing to configure, is the
        # run's collection error (the host shows it and runs nothing), not a crash.
        self.startup_error: dict[str, Any] | None = None
        self.session: Any = None
        try:
            self.config = _prepareconfig(args, plugins=[self.bridge])
            self.config._do_configure()
            self.session = Session.from_config(self.config)
            self.session.exitstatus = 0
            self.config.hook.pytest_sessionstart(session=self.session)
        except self.pytest.UsageError as exc:
            self.startup_error = {"nodeid": "", "longrepr": f"ERROR: {exc}\n",
                                  "message": f"pytest refused its options: {error_line(str(exc))}"}
        except Exception as exc:  # noqa: BLE001 - reported as data
            text = "".join(traceback.format_exception(exc))
            self.startup_error = {"nodeid": "", "longrepr": text, "message": f"pytest failed to start: {text.splitlines()[-1]}"}
        finally:
            sys.stdout, sys.stderr = saved
        self.default_timeout = timeouts.parse(raw.get("timeout") or 0, "--timeout")

    def collect(self, paths: list[str]) -> dict[str, Any]:
        if self.session is None:
            return {"items": [], "errors": [self.startup_error], "warnings": [], "skipped": []}
        self.collecting = {"errors": [], "warnings": [], "skipped": [], "started": {}, "durations": {}, "paths": set(paths)}
        items: list[Any] = []
        try:
            with self._collect_warnings():
                items = list(self.session.perform_collect(paths))
        except self.pytest.UsageError as exc:
            self.collecting["errors"].append({"nodeid": "", "longrepr": f"ERROR: {exc}", "message": str(exc)})
        collecting, self.collecting = self.collecting, None
        result_items = []
        verbose = int(self.raw.get("verbosity", 0)) >= 1
        for item in items:
            self.items[item.nodeid] = item
            result_items.append(item_entry(item, self.rootdir, bool(self.raw.get("collectOnly")), verbose))
        return {"items": result_items, "errors": collecting["errors"], "warnings": collecting["warnings"], "skipped": collecting["skipped"],
                "durations": collecting["durations"]}

    def _collect_warnings(self) -> Any:
        """Warnings raised while collecting reach ``pytest_warning_recorded``, as
        pytest's warnings plugin arranges around its ``pytest_collection`` hook."""
        try:
            from _pytest.warnings import catch_warnings_for_item
        except ImportError:
            return contextlib.nullcontext()
        if self.config.pluginmanager.is_blocked("warnings"):
            return contextlib.nullcontext()
        return catch_warnings_for_item(self.config, ihook=self.config.hook, when="collect", item=None)

    def run(self, nodeids: list[str], emit: Callable[[str], Any], proceed: Callable[[int, float], Any] | None,
            timed_out: Callable[[], Any] | None) -> None:
        from _pytest.outcomes import Exit

        if self.session is None:
            return
        items = []
        for nodeid in nodeids:
            if nodeid not in self.items:
                raise KeyError(f"unknown node id {nodeid!r}: run() only takes ids returned by collect()")
            items.append(self.items[nodeid])
        self.send = lambda event: emit(_dumps(event))
        self.timed_out = timed_out if timed_out is not None else (lambda: False)
        setupstate = self.session._setupstate
        if items:
            # A run the host cut short may have left another file set up: pytest's
            # setup refuses a stack that is not on the next item's chain.
            self._teardown(lambda: setupstate.teardown_exact(items[0]))
        for i, item in enumerate(items):
            self.timeout = timeouts.of_item(item, self.default_timeout)
            if proceed is not None and not proceed(i, self.timeout):
                break
            # The last item keeps the session set up: the host may give this worker more, and finish() tears down.
            nextitem = items[i + 1] if i + 1 < len(items) else self.session
            self.last_nodeid = item.nodeid
            try:
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            except Exit as exc:
                self.flush_item(item)
                self.send({"type": "exit", "nodeid": item.nodeid, "returncode": exc.returncode,
                           "message": f"_pytest.outcomes.Exit: {exc.msg}"})
                break
            self.flush_item(item)
            if self.session.shouldstop or self.session.shouldfail:
                break
        self.send = lambda event: None

    def flush_item(self, item: Any) -> None:
        """The item's reports as one ``itemEnd`` (once: the protocol or ``run`` sends it)."""
        if not self.pending:
            return
        reports, self.pending = self.pending, []
        properties, self.pending_properties = self.pending_properties, []
        self.send({"type": "itemEnd", "nodeid": item.nodeid, "location": list(item.location), "reports": reports,
                   "properties": properties})

    def finish(self) -> dict[str, Any]:
        errors = self.finished_errors
        self.finished_errors = []
        if self.session is None:
            return {"errors": errors, "warnings": []}
        self._teardown(lambda: self.session._setupstate.teardown_exact(None), errors)
        result: dict[str, Any] = {"errors": errors, "warnings": []}
        measured = cov_measure.take()
        if measured is not None:
            result["coverage"] = [measured]
        return result

    def close(self) -> None:
        """End the session (a new ``configure`` makes another)."""
        if self.session is None:
            return
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = _Discard()
        try:
            self.config.hook.pytest_sessionfinish(session=self.session, exitstatus=self.session.exitstatus)
            self.config._ensure_unconfigure()
        except BaseException:  # noqa: BLE001 - a plugin failing to unconfigure must not stop the next run
            pass
        finally:
            sys.stdout, sys.stderr = saved

    def _teardown(self, action: Callable[[], Any], errors: list[dict] | None = None) -> None:
        """Tear down; a failure is a session-level error reported at the item run
        last, its traceback cut as pytest cuts that item's teardown's."""
        from _pytest.outcomes import Exit
        from _pytest.reports import TestReport
        from _pytest.runner import CallInfo

        call = CallInfo.from_call(action, when="teardown", reraise=(Exit, KeyboardInterrupt))
        if call.excinfo is None:
            return
        item = self.items.get(self.last_nodeid)
        if item is not None:
            report = TestReport.from_item_and_call(item, call)
            text, message = terminal_text(report), failure_message(report) or ""
        else:
            text = str(call.excinfo.getrepr(style="long"))
            message = call.excinfo.exconly()
        (errors if errors is not None else self.finished_errors).append(
            {"nodeid": self.last_nodeid, "longrepr": text, "message": message.split("\n")[0]})
