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
import importlib
import io
import json
import os
import random
import sys
import time
import traceback
from typing import Any, Callable

from . import asyncsupport, dependencies, guard, importhook, sigint, timeouts
from .env_pytest_reports import collect_error, collect_skip, item_entry, phase_report, warning_record

_perf_counter = time.perf_counter
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
        self.pytest = _environment_pytest(raw.get("sitePackages"), raw.get("unavailableModules"))
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
        self.bridge = _bridge_plugin(self, self.pytest)
        _forget_project_modules(self.rootdir, str(raw.get("sitePackages")))
        # pytest's invocation folder is where the run started, as on the host.
        workdir = str(raw.get("invocationDir") or self.rootdir)
        if os.path.isdir(workdir):
            os.chdir(workdir)
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
                                  "message": f"pytest refused its options: {_error_line(str(exc))}"}
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
        return {"errors": errors, "warnings": []}

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
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - reported as a session-level error
            from _pytest._code import ExceptionInfo

            info = ExceptionInfo.from_exception(exc)
            text = str(info.getrepr(style=self.config.option.tbstyle if self.config.option.tbstyle != "auto" else "long"))
            (errors if errors is not None else self.finished_errors).append(
                {"nodeid": "", "longrepr": text, "message": info.exconly().split("\n")[0]})


def _error_line(text: str) -> str:
    """The line of a usage error that says what is wrong (argparse's ``error: ...``)."""
    lines = text.splitlines() or [""]
    return next((line.split("error: ", 1)[1] for line in lines if "error: " in line), lines[-1])


def pytest_args(raw: dict[str, Any]) -> list[str]:
    """pytest's command line for this run: fastest's settings as pytest options,
    then what the user gave for pytest (``pytestFromEnv.args``). The config
    file's ``addopts`` are left out here: the host has read them already and
    hands over the options that concern pytest."""
    args = ["-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(raw["rootdir"])]
    if raw.get("inipath"):
        args += ["-c", str(raw["inipath"])]
    verbosity = int(raw.get("verbosity", 0))
    args += ["-v"] * verbosity if verbosity > 0 else ["-q"] * -verbosity
    args += [f"--tb={raw.get('tbStyle') or 'auto'}", "--capture=no" if raw.get("capture") == "no" else "--capture=sys"]
    if raw.get("showLocals"):
        args.append("--showlocals")
    if raw.get("strictMarkers"):
        args.append("--strict-markers")
    if raw.get("junitFamily"):
        # The host writes the JUnit XML; pytest's own (in the sandbox's memory, never read)
        # makes record_property and friends warn about junit_family as pytest's do.
        args.append("--junitxml=/tmp/.fastest-pytest-from-env-junit.xml")
    for spec in raw.get("pythonWarnings") or ():
        args += ["-W", spec]
    return args + list((raw.get("pytestFromEnv") or {}).get("args") or ())


def preimport(site_dir: str) -> list[str]:
    """Import the environment's pytest and its built-in plugins before a
    snapshot is taken (``dependencySnapshot`` in node-host/dependencies.ts),
    so that a worker restored from it does not import them again: pytest is
    most of this mode's start-up cost inside WebAssembly. The shim leaves
    ``sys.modules`` here already, as ``configure`` would do. ``.pth`` files
    are not read (they may point into the project, written only after the
    restore); ``configure`` reads them. Returns the plugin modules imported."""
    _release_shim(site_dir)
    import _pytest.config

    imported = []
    for name in _pytest.config.default_plugins:
        try:
            importlib.import_module(f"_pytest.{name}")
            imported.append(name)
        except Exception:  # noqa: BLE001 - a plugin that cannot import here is imported (and reported) by the run
            pass
    # Folders that did not exist yet must be looked at again after the restore.
    for key in [k for k, v in sys.path_importer_cache.items() if v is None]:
        del sys.path_importer_cache[key]
    return imported


def _release_shim(site_dir: str) -> None:
    """The harness's shim leaves ``sys.modules`` (and the guard stops putting
    it back), its assertion-rewriting import hook steps aside for pytest's
    own, and the environment's folder goes first on ``sys.path``."""
    importhook.uninstall()
    guard.release_module("pytest")
    for name in [n for n in sys.modules if n.split(".")[0] in ("pytest", "_pytest", "py")]:
        if not str(getattr(sys.modules[name], "__file__", "") or "").startswith(site_dir.rstrip("/") + "/"):
            del sys.modules[name]
    if site_dir in sys.path:
        sys.path.remove(site_dir)
    sys.path.insert(0, site_dir)
    importhook.invalidate_file_finders()


def _environment_pytest(site_dir: str | None, unavailable: dict[str, str] | None) -> Any:
    """Put the environment's pytest in the place of the harness's shim
    (``_release_shim``), its site folder read as Python's ``site`` reads one."""
    if not site_dir:
        raise RuntimeError("--pytest-from-env needs an environment holding pytest (--site-packages, .venv or --wheels)")
    dependencies.install(site_dir, unavailable)
    _release_shim(site_dir)
    import pytest

    if not str(pytest.__file__).startswith(site_dir.rstrip("/") + "/"):
        raise RuntimeError(f"--pytest-from-env: pytest was not found in {site_dir}")
    asyncsupport.install()
    return pytest


def _forget_project_modules(rootdir: str, site_dir: str) -> None:
    """A new session imports the project's modules afresh (watch mode reconfigures the same interpreter)."""
    inside, site = rootdir.rstrip("/") + "/", site_dir.rstrip("/") + "/"
    for name, module in list(sys.modules.items()):
        file = str(getattr(module, "__file__", None) or "")
        if file.startswith(inside) and not file.startswith(site):
            del sys.modules[name]


def _without_handler(tb: Any) -> Any:
    """The traceback up to where the interrupt found the test, without the
    harness's SIGINT handler frame (pytest would show it as the failing line)."""
    handler_file = sigint.__file__
    entry = tb
    while entry is not None and entry.tb_next is not None:
        if entry.tb_next.tb_frame.f_code.co_filename == handler_file:
            entry.tb_next = None
            break
        entry = entry.tb_next
    return tb


def _bridge_plugin(state: EnvPytest, pytest: Any) -> Any:
    """The plugin that hands pytest's reports to fastest (pytest-xdist's worker plugin does the same)."""

    class FastestBridge:
        @pytest.hookimpl(tryfirst=True)
        def pytest_collectstart(self, collector: Any) -> None:
            if state.collecting is not None:
                state.collecting["started"][collector.nodeid] = _perf_counter()

        def pytest_collectreport(self, report: Any) -> None:
            collecting = state.collecting
            if collecting is None:
                return
            started = collecting["started"].pop(report.nodeid, None)
            path = str(getattr(report, "fspath", "") or "")
            absolute = os.path.join(state.rootdir, path) if path else ""
            if started is not None and absolute in collecting["paths"]:
                collecting["durations"][absolute] = _perf_counter() - started
            if report.failed:
                collecting["errors"].append(collect_error(report))
            elif report.skipped and isinstance(report.longrepr, tuple):
                collecting["skipped"].append(collect_skip(report, state.rootdir))

        def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
            state.send({"type": "itemStart", "nodeid": nodeid, "location": list(location)})

        def pytest_runtest_logreport(self, report: Any) -> None:
            state.pending.append(phase_report(report, state.rootdir))
            if report.when == "teardown":
                state.pending_properties = [[str(k), str(v)] for k, v in report.user_properties]

        def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
            item = state.items.get(nodeid)
            if item is not None:
                state.flush_item(item)

        def pytest_warning_recorded(self, warning_message: Any, when: str, nodeid: str, location: Any) -> None:
            if when == "runtest":
                state.send({"type": "warning", "warning": warning_record(warning_message, nodeid)})
            elif when == "collect" and state.collecting is not None:
                state.collecting["warnings"].append(warning_record(warning_message, ""))

        # A timeout reaches Python as KeyboardInterrupt: pytest-timeout's failure, in the phase it stopped.
        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_setup(self, item: Any) -> Any:
            # fastest's --seed: `random` starts from the run's seed in every test, as under fastest's own pytest.
            random.seed(state.raw.get("seed", 0))
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_call(self, item: Any) -> Any:
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        @pytest.hookimpl(wrapper=True)
        def pytest_runtest_teardown(self, item: Any, nextitem: Any) -> Any:
            try:
                return (yield)
            except KeyboardInterrupt as interrupt:
                raise self._timeout(interrupt) from None

        def _timeout(self, interrupt: KeyboardInterrupt) -> BaseException:
            """pytest-timeout's failure, where the interrupt found the test; Ctrl-C stays an interrupt."""
            if not state.timed_out():
                return interrupt
            failure = pytest.fail.Exception(f"Timeout (>{state.timeout}s) from pytest-timeout.")
            failure.__traceback__ = _without_handler(interrupt.__traceback__)
            return failure

    return FastestBridge()
